"""Versions of the standard: recognise a record's version and map it to 1.0.

Pure functions over plain dicts. :func:`upgrade` turns one record of any version
(national 0.1, 0.2.3, 0.3.1, 0.4 or 1.0, or a record already converted from the
Eurocities template by :mod:`.eurocities`) into an :class:`Upgraded`: the standard
1.0 keys, the local extension fields of :class:`~wagtail_algoregister.models.AlgorithmPage`
(``department``, ``objection_procedure``, ``next_review_date``), the national id
(``lars``) and notes about what was moved or left out.

Which keys a version has is read from the national register's own definitions of
each version (``standard/data/publicatiestandaard_v0_*.json``, copied from
``MinBZK/Algoritmeregister:backend/app/schemas/config/``); only what happens to a key
that 1.0 no longer has is written here. The rules follow the changes the national
register made between versions (its handbook's change table, ``ch03.md`` of
``MinBZK/Algoritmeregister-Publicatiestandaard``, and the definitions themselves):

- 0.4 merged ``goal`` and ``impact`` into "Doel en impact" (``goal``): an older
  ``impact`` is appended to ``goal``. Likewise what 1.0 asks to describe in one field
  is appended there as a paragraph with the old field's Dutch title:
  ``decision_making_process`` → ``goal``; ``description``, ``performance_standard``
  and ``type`` ("Type algoritme"/"(Zelf)lerend", which 1.0 asks to state in the
  technical design) → ``methods_and_models``; ``monitoring`` → ``risks`` ("Risicobeheer");
  ``mprd`` (links with base registries) → ``source_data``; ``competent_authority`` →
  ``lawful_basis``.
- Impact assessments: the flags ``iama``/``dpia`` ("Ja"/"Nee", ≤0.3.1) become items of
  ``impacttoetsen_grouping`` with the standard's recommended titles; a link given in
  ``iama_description`` (0.3.1: "Link naar Mensenrechtentoets", 0.4: "Link naar
  impacttoetsen") becomes the item's link, a description (0.1/0.2.3
  "Omschrijving van de IAMA/DPIA") the explanation ``impacttoetsen``. In 0.4
  ``impacttoetsen`` was the list of assessments; in 1.0 the same key is the
  explanation: a list becomes the grouping, text stays text.
- Single links of 0.4 (``lawful_basis_link``, ``source_data_link``) become one item of
  the 1.0 groupings (``lawful_basis_grouping``, ``source_data_grouping``).
- Themes (``category``): ≤0.3.1 free text ("Beleidsterrein"), 0.4 a list of 19 values,
  1.0 a list of 16. The 0.4 values 1.0 renamed or dropped are mapped by
  :data:`THEME_RENAMES` (Financiën → Overheidsfinanciën and Huisvesting → Wonen are
  renames; Dienstverlening, Bestuur and Landbouw have no successor and are mapped to
  the nearest 1.0 theme, our choice). Free text that names no theme is kept as search
  terms (``tags``) instead, with a note.
- Kept locally: ``department`` (≤0.3.1) and ``objection_procedure`` (≤0.3.1) go to the
  local fields of the same name, ``revision_date`` ("Herzieningsdatum", ≤0.3.1) to
  ``next_review_date``.
- ``uuid`` ("UUID" ≤0.3.1, "Landelijk-ID" in 0.4): a LARS code goes to ``lars``;
  otherwise it becomes ``source_id`` when the record has none (it was the source's
  identifier), else it is left out.
- Left out with a note: ``area``, ``application_url``, ``documentation`` (unless
  ``website`` is empty, then it becomes the public page) and unknown keys.

Real-world variations of published data are normalised first: ``null`` for empty,
``lang`` in any case (``NLD``, ``nl``), ``standard_version`` written as ``1.0.0``,
``v1_0`` or ``0.4.0``, HTML in ``tags`` (its text is kept), themes as one
comma-separated string, groupings written as the national CSV writes them
(``1: title, link. 2: title, link``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from html import escape
from importlib import resources

from django.utils.translation import gettext as _

from wagtail_algoregister import standard
from wagtail_algoregister.standard.validation import is_lars, strip_html


VERSIONS = ("0.1", "0.2.3", "0.3.1", "0.4", "1.0")

# 0.4 themes that 1.0 renamed or dropped (see the module docstring).
THEME_RENAMES = {
    "Financiën": "Overheidsfinanciën",
    "Huisvesting": "Wonen",
    "Dienstverlening": "Organisatie en bedrijfsvoering",
    "Bestuur": "Organisatie en bedrijfsvoering",
    "Landbouw": "Natuur en milieu",
}

# The standard's recommended titles of impact assessments (v1_0.json
# ``impacttoetsen_grouping.items.title.recommended_items``) for the old flags.
_IAMA = "Impact Assessment Mensenrechten en Algoritmes (IAMA)"
_DPIA = "Data Protection Impact Assessment (DPIA)"

# Old keys whose text is appended to a 1.0 rich-text key, with their Dutch title.
APPEND_TO = {
    "impact": "goal",
    "decision_making_process": "goal",
    "description": "methods_and_models",
    "performance_standard": "methods_and_models",
    "type": "methods_and_models",
    "monitoring": "risks",
    "mprd": "source_data",
    "competent_authority": "lawful_basis",
}
LOCAL_KEYS = {"department": "department", "objection_procedure": "objection_procedure"}
DROPPED = ("area", "application_url")
# Keys the national register assigns or a download adds; read where they mean something.
SYSTEM = ("lars", "algorithm_id", "publication_dt", "id", "public_url")

YES = {"ja", "yes", "true", "1", "j", "y"}

_GROUPING_ITEM = re.compile(r"(?:^|\.\s+)(\d+):\s")
_TRAILING_LINK = re.compile(r"^(.*?)(?:,\s*)?(https?://\S*)$", re.S)


@dataclass
class Upgraded:
    """A record mapped to standard 1.0."""

    version: str
    national: dict
    local: dict = field(default_factory=dict)
    lars: str = ""
    notes: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)


@cache
def definitions(version: str) -> dict:
    """The national register's field definitions of one version (``properties``)."""
    if version == standard.VERSION:
        return {key: {"title": f.title_nl} for key, f in standard.all_fields().items()}
    name = f"publicatiestandaard_v{version.replace('.', '_')}.json"
    text = resources.files(standard.__name__).joinpath("data", name).read_text("utf-8")
    return json.loads(text)["properties"]


@cache
def known_keys() -> frozenset[str]:
    """Every key of every version."""
    keys = set()
    for version in VERSIONS:
        keys.update(definitions(version))
    return frozenset(keys)


@cache
def titles() -> dict[str, str]:
    """Dutch title (case-folded) → key, over every version (newest wins).

    The national XLSX download labels its rows with these titles.
    """
    mapping = {}
    for version in VERSIONS:
        for key, spec in definitions(version).items():
            mapping[(spec.get("title") or key).casefold()] = key
    return mapping


def normalise_version(value) -> str:
    """``"1.0.0"``, ``"v1_0"``, ``"0.4.0"`` … as one of :data:`VERSIONS`, or ``""``."""
    text = str(value or "").strip().lower().lstrip("v").replace("_", ".")
    for version in sorted(VERSIONS, key=len, reverse=True):
        if text == version or text.startswith(version + ".") or text == version + ".0":
            return version
    return ""


def detect_version(record: dict) -> str:
    """The record's version: its ``standard_version`` if known, else guessed from its keys."""
    version = normalise_version(record.get("standard_version"))
    if version:
        return version
    keys = {key for key, value in record.items() if value not in (None, "", [])}
    if keys & {"publication_category", *(f.key for f in standard.grouping_fields())}:
        return "1.0"
    if keys & {"begin_date", "end_date", "lawful_basis_link", "source_data_link"} or isinstance(
        record.get("category"), list
    ):
        return "0.4"
    if keys & {"provider", "process_index_url", "source_id", "tags"}:
        return "0.3.1"
    return "0.2.3"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_url(text: str) -> bool:
    return text.startswith(("https://", "http://")) and " " not in text


def _paragraphs(text: str) -> str:
    """Text as HTML: kept when it has tags, else one paragraph per block of lines."""
    if "<" in text and ">" in text:
        return text

    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    return "".join(f"<p>{escape(block, quote=False)}</p>" for block in blocks)


def _append(national: dict, key: str, label: str, text: str) -> None:
    text = _text(text)
    if not text:
        return
    extra = f"<p>{label}:</p>{_paragraphs(text)}" if label else _paragraphs(text)
    current = _text(national.get(key))
    national[key] = f"{_paragraphs(current)}{extra}" if current else extra


def split_grouping(value) -> list[dict]:
    """A link grouping from JSON (a list, or its JSON text) or the national CSV's text.

    The national CSV writes ``1: title, link. 2: title, link`` (``stringify`` in
    ``MinBZK/Algoritmeregister:backend/app/util/stringify.py``); a link is recognised
    as the item's trailing ``http(s)://`` word.
    """
    if value in (None, ""):
        return []
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, (list, tuple)):
        rows = []
        for item in value:
            if isinstance(item, dict):
                rows.append({k: _text(item.get(k)) for k in ("title", "link")})
            elif item not in (None, ""):
                rows.append({"title": _text(item), "link": ""})
        return rows
    text = str(value).strip()
    if text.startswith("["):
        try:
            return split_grouping(json.loads(text))
        except ValueError:
            pass
    parts = _GROUPING_ITEM.split(text)
    if len(parts) >= 3 and not parts[0].strip():
        items = [parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)]
    else:
        items = [text]
    rows = []
    for item in items:
        item = item.rstrip(".") if not item.endswith(("/", "html")) else item
        match = _TRAILING_LINK.match(item)
        if match and match.group(2):
            rows.append({"title": match.group(1).strip().rstrip(","), "link": match.group(2)})
        else:
            rows.append({"title": item, "link": ""})
    return rows


def _themes(value, upgraded: Upgraded) -> list[str]:
    permitted = standard.get("category").permitted_values
    by_fold = {v.casefold(): v for v in permitted}
    renames = {k.casefold(): v for k, v in THEME_RENAMES.items()}
    if isinstance(value, str):
        items = [v.strip() for v in re.split(r",\s+|;|\n", value) if v.strip()]
        if value.strip() in permitted:
            items = [value.strip()]
    elif isinstance(value, (list, tuple)):
        items = [_text(v) for v in value if _text(v)]
    else:
        items = [_text(value)] if _text(value) else []
    themes, unmatched = [], []
    for item in items:
        fold = item.casefold()
        if fold in by_fold:
            themes.append(by_fold[fold])
        elif fold in renames:
            themes.append(renames[fold])
            upgraded.notes.append(
                _("theme “%(old)s” of standard 0.4 is “%(new)s” in 1.0.")
                % {"old": item, "new": renames[fold]}
            )
        else:
            unmatched.append(item)
    if unmatched and upgraded.version != standard.VERSION:
        # Free text ("Beleidsterrein" before 0.4) that names no theme: keep it searchable.
        upgraded.national["tags"] = ", ".join(
            t for t in [_text(upgraded.national.get("tags")), *unmatched] if t
        )
        upgraded.notes.append(
            _("policy area “%(value)s” is no theme of standard 1.0; kept as search terms.")
            % {"value": ", ".join(unmatched)}
        )
    else:
        # In a 1.0 record an unknown theme is an error (validation names it).
        themes.extend(unmatched)
    return list(dict.fromkeys(themes))


def _assessment(upgraded: Upgraded, title: str, link: str = "") -> None:
    rows = upgraded.national.setdefault("impacttoetsen_grouping", [])
    for row in rows:
        if (row.get("title") or "").casefold() == title.casefold():
            if link and not row.get("link"):
                row["link"] = link
            return
    rows.append({"title": title, "link": link})


def _date(value, key, upgraded: Upgraded):
    text = _text(value)
    if not text:
        return None
    for pattern, length in ((r"^\d{4}-\d{2}-\d{2}", 10), (r"^\d{2}-\d{2}-\d{4}$", 10)):
        if re.match(pattern, text):
            try:
                if text[4] == "-":
                    return date.fromisoformat(text[:length])
                day, month, year = text.split("-")
                return date(int(year), int(month), int(day))
            except ValueError:
                break
    upgraded.errors.setdefault(key, []).append(
        _("%(key)s: use a date in the form YYYY-MM-DD, got “%(value)s”.")
        % {"key": key, "value": text}
    )
    return None


def upgrade(record: dict) -> Upgraded:
    """Map one record of any version to standard 1.0 (see the module docstring)."""
    record = {str(k).strip(): v for k, v in record.items() if k is not None}
    version = detect_version(record)
    upgraded = Upgraded(version=version, national={})
    national = upgraded.national
    inputs = standard.input_fields()
    old = {k: v for k, v in record.items() if v not in (None, "", [])}
    if version == "0.4" and isinstance(old.get("impacttoetsen"), str):
        # The 0.4 list of assessments, flattened by the national CSV download.
        old["impacttoetsen"] = [v.strip() for v in old["impacttoetsen"].split(", ") if v.strip()]

    for key, value in old.items():
        if key in inputs:
            definition = inputs[key]
            if key == "impacttoetsen" and isinstance(value, (list, tuple)):
                continue  # 0.4: the list of assessments (below)
            if definition.is_grouping:
                national[key] = split_grouping(value)
            elif key == "category":
                continue  # below, after tags
            elif definition.is_multiple_choice:
                national[key] = [_text(v) for v in value] if isinstance(value, list) else value
            else:
                national[key] = value if isinstance(value, str) else _text(value)

    # Variations seen in published data.
    if "lang" in national:
        lang = _text(national["lang"]).lower()
        national["lang"] = {"nl": "nld", "dut": "nld"}.get(lang, lang)
    if national.get("tags") and "<" in _text(national["tags"]):
        national["tags"] = " ".join(strip_html(_text(national["tags"])).split())
    national["standard_version"] = standard.VERSION
    if "category" in old:
        national["category"] = _themes(old["category"], upgraded)

    # Fields 1.0 merged into others.
    for key, target in APPEND_TO.items():
        if key in old:
            title = definitions(version).get(key, {}).get("title") or titles_by_key().get(key, key)
            _append(national, target, title, old[key])

    # Impact assessments.
    if isinstance(old.get("impacttoetsen"), (list, tuple)):
        for item in old["impacttoetsen"]:
            if isinstance(item, dict):
                _assessment(upgraded, _text(item.get("title")), _text(item.get("link")))
            elif _text(item):
                _assessment(upgraded, _text(item))
    for flag, title in (("iama", _IAMA), ("dpia", _DPIA)):
        description = _text(old.get(f"{flag}_description"))
        flagged = _text(old.get(flag)).lower() in YES
        link = description if _is_url(description) else ""
        if flagged or (flag == "dpia" and description):
            _assessment(upgraded, title, link)
        if description and not link:
            _append(
                national,
                "impacttoetsen",
                titles_by_key().get(f"{flag}_description", flag),
                description,
            )
        elif link and not flagged and flag == "iama" and version == "0.4":
            # 0.4 "Link naar impacttoetsen": the link of the only assessment, or text.
            rows = national.get("impacttoetsen_grouping") or []
            if len(rows) == 1 and not rows[0].get("link"):
                rows[0]["link"] = link
            else:
                _append(national, "impacttoetsen", _("Link to impact assessments"), link)

    # Single links of 0.4.
    for key, target in (
        ("lawful_basis_link", "lawful_basis_grouping"),
        ("source_data_link", "source_data_grouping"),
    ):
        link = _text(old.get(key))
        if link:
            title_limit = standard.get(target).items["title"].max_length or 100
            title = link if len(link) <= title_limit else titles_by_key().get(key, key)
            national.setdefault(target, []).append({"title": title, "link": link})

    # Kept in local fields.
    for key, attribute in LOCAL_KEYS.items():
        if key in old:
            upgraded.local[attribute] = _text(old[key])
    if "revision_date" in old:
        upgraded.local["next_review_date"] = _date(old["revision_date"], "revision_date", upgraded)

    # Identifiers.
    lars = _text(old.get("lars") or old.get("algorithm_id"))
    uuid = _text(old.get("uuid"))
    if uuid and is_lars(uuid) and not lars:
        lars = uuid
    elif uuid and not national.get("source_id") and version not in ("0.4", "1.0"):
        national["source_id"] = uuid
    elif uuid:
        upgraded.notes.append(_("“uuid” (%(value)s) left out.") % {"value": uuid})
    upgraded.lars = lars

    documentation = _text(old.get("documentation"))
    if documentation and not national.get("website"):
        national["website"] = documentation
    elif documentation:
        upgraded.notes.append(
            _("“documentation” (%(value)s) left out: the entry has a website already.")
            % {"value": documentation}
        )

    handled = (
        set(inputs)
        | set(APPEND_TO)
        | set(LOCAL_KEYS)
        | set(SYSTEM)
        | {
            "iama",
            "dpia",
            "iama_description",
            "dpia_description",
            "lawful_basis_link",
            "source_data_link",
            "revision_date",
            "uuid",
            "documentation",
        }
    )
    left_out = [key for key in old if key not in handled]
    if left_out:
        upgraded.notes.append(
            _("not in standard 1.0, left out: %(keys)s.") % {"keys": ", ".join(left_out)}
        )
    return upgraded


@cache
def titles_by_key() -> dict[str, str]:
    """Key → Dutch title, over every version (newest wins)."""
    mapping = {}
    for version in VERSIONS:
        for key, spec in definitions(version).items():
            mapping[key] = spec.get("title") or key
    return mapping
