"""Records of every version of the standard, upgraded to the current one step by step.

Each version the national register published has one module here that turns a record
of that version into a record of the next (``FROM``, ``TO`` and ``step(u)``), following
the changes the register made between versions (its handbook's change table,
``ch03.md`` of ``MinBZK/Algoritmeregister-Publicatiestandaard``, and the definitions
of each version in ``standard/data/``); each module's docstring lists its moves:

- :mod:`.v0_1`: 0.1 → 0.2.3, :mod:`.v0_2_3`: 0.2.3 → 0.3.1,
  :mod:`.v0_3_1`: 0.3.1 → 0.4, :mod:`.v0_4`: 0.4 → 1.0.

A new version of the standard is one new module (its definition in ``data/``, a step
from the previous version) added to :data:`STEPS`. :func:`upgrade` detects a record's
version, runs the steps from there, then :func:`finish` normalises what published data
varies in (``null`` for empty, ``lang`` in any case, HTML in ``tags``, themes as one
text, groupings as the national CSV writes them, completely empty grouping rows) and
puts what the steps kept aside into the current keys. Every key a step moved, merged or
left out is a :class:`~.base.Change`, which the importer reports per entry.

**A record of the current version with keys of older versions** (the national
register's own vendor templates have ``type``, ``source_data_link``, ``uuid`` and
``iama_description`` next to the 1.0 keys): by default those keys are ignored, as the
national register ignores keys it does not know, and each one is reported with its
value and the field it would have gone to. Merging them would change a file that is
valid as it is: a ``type`` of "Zelflerend" would become a paragraph of the technical
design, and a ``source_data_link`` a second row next to the one the 1.0 grouping
already has. With ``merge_old_keys=True`` they go through the steps from the version
they belong to, as in an old record (rows that are in the grouping already are not
added twice). Empty values of old keys are not reported: there is nothing to lose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from wagtail_algoregister.standard import VERSION, get, input_fields
from wagtail_algoregister.standard.upgrades import v0_1, v0_2_3, v0_3_1, v0_4
from wagtail_algoregister.standard.upgrades.base import (
    DUPLICATE,
    IGNORED,
    MOVED,
    NOTE,
    OLD_KEY,
    Change,
    Upgrade,
    append_paragraph,
    split_grouping,
    split_themes,
    text_of,
)
from wagtail_algoregister.standard.validation import strip_html
from wagtail_algoregister.standard.versions import (
    VERSIONS,
    definitions,
    detect_version,
    last_version,
)


# The chain, oldest first: each step turns a record of FROM into one of TO.
STEPS = (v0_1, v0_2_3, v0_3_1, v0_4)

# Keys the national register assigns, or a download adds: read where they mean something.
SYSTEM = ("lars", "algorithm_id", "publication_dt", "id", "public_url")

LANGUAGES = {"nl": "nld", "dut": "nld"}


def _check_chain():
    versions = [STEPS[0].FROM, *(s.TO for s in STEPS)]
    assert tuple(versions) == VERSIONS, versions  # noqa: S101 (a programming error)
    assert all(a.TO == b.FROM for a, b in zip(STEPS, STEPS[1:], strict=False))  # noqa: S101


_check_chain()


@dataclass
class Upgraded:
    """A record mapped to the current version of the standard."""

    version: str  # the version the record was read as
    national: dict  # the current standard's keys
    local: dict = field(default_factory=dict)  # the site's own fields
    lars: str = ""  # the national id
    changes: list[Change] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    # Which keys of the file went into a key of the current standard (for messages).
    origins: dict[str, list[str]] = field(default_factory=dict)
    row_origins: dict[str, dict[int, str]] = field(default_factory=dict)

    @property
    def notes(self) -> list[str]:
        return [change.message() for change in self.changes]

    def add_assessment(self, title: str, link: str, source: str) -> None:
        """An item of ``impacttoetsen_grouping``; the link of one with the same title."""
        rows = self.national.setdefault("impacttoetsen_grouping", [])
        for number, row in enumerate(rows, start=1):
            if (row.get("title") or "").casefold() == title.casefold():
                if link and not row.get("link"):
                    row["link"] = link
                    self.row_origins.setdefault("impacttoetsen_grouping", {})[number] = source
                return
        rows.append({"title": title, "link": link})
        self.row_origins.setdefault("impacttoetsen_grouping", {})[len(rows)] = source
        _origin(self, "impacttoetsen_grouping", source)


def run_steps(u: Upgrade) -> None:
    """Run the chain from ``u.version`` up to the current version."""
    for step in STEPS:
        if VERSIONS.index(step.FROM) >= VERSIONS.index(u.version):
            step.step(u)
            u.version = step.TO


def upgrade(record: dict, *, merge_old_keys: bool = False) -> Upgraded:
    """Map one record of any version to the current one (see the module docstring)."""
    record = {str(k).strip(): v for k, v in record.items() if k is not None and text_of(v) != ""}
    lars = text_of(record.get("lars")) or text_of(record.get("algorithm_id"))
    for key in SYSTEM:
        record.pop(key, None)
    version = detect_version(record)
    u = Upgrade(source_version=version, version=version, record=record, lars=lars)
    if version == VERSION:
        _old_keys(u, merge=merge_old_keys)
    else:
        run_steps(u)
    return finish(u)


def _old_keys(u: Upgrade, *, merge: bool) -> None:
    """Keys of older versions in a record of the current one (see the module docstring)."""
    current = definitions(VERSION)
    strays = {}
    for key in list(u.record):
        if key not in current and last_version(key):
            strays.setdefault(last_version(key), {})[key] = u.record.pop(key)
    for version, keys in strays.items():
        scratch = Upgrade(source_version=version, version=version, record=dict(keys))
        scratch.lars = u.lars
        run_steps(scratch)
        if merge:
            _absorb(u, scratch)
            continue
        for key, value in keys.items():
            targets = []
            for change in scratch.changes:
                if change.key == key:
                    targets += [t for t in change.targets if t not in targets]
            u.change(key, OLD_KEY, targets, value, version=version)


def _absorb(u: Upgrade, scratch: Upgrade) -> None:
    """What the steps made of a record's old keys, added to the record."""
    u.appends += scratch.appends
    u.rows += scratch.rows
    u.assessments += scratch.assessments
    u.changes += scratch.changes
    for key, messages in scratch.errors.items():
        u.errors.setdefault(key, []).extend(messages)
    if scratch.lars and not u.lars:
        u.lars = scratch.lars
    for key, value in [*scratch.later.items(), *scratch.local.items()]:
        target = u.later if key in scratch.later else u.local
        target.setdefault(key, value)
    inputs = input_fields()
    for key, value in scratch.record.items():
        if key in inputs and not text_of(u.record.get(key)):
            u.record[key] = value
        elif key in inputs:
            u.changes = [c for c in u.changes if not (key in c.targets and c.action == MOVED)]
            sources = [c.key for c in scratch.changes if key in c.targets]
            for source in sources or [key]:
                u.change(
                    source,
                    IGNORED,
                    value=value,
                    reason=_("The entry has a value for %(key)s already.") % {"key": key},
                )


def finish(u: Upgrade) -> Upgraded:
    """The current version's keys, normalised, with what the steps kept aside."""
    inputs = input_fields()
    national = {}
    result = Upgraded(version=u.source_version, national=national, local=u.local, lars=u.lars)

    for key, value in list(u.record.items()):
        definition = inputs.get(key)
        if definition is None:
            continue
        u.record.pop(key)
        if key == "impacttoetsen" and isinstance(value, (list, tuple)):
            # The 0.4 list of assessments in a record that says it is 1.0.
            for item in value:
                if isinstance(item, dict):
                    u.add_assessment(text_of(item.get("title")), text_of(item.get("link")), key)
                elif text_of(item):
                    u.add_assessment(text_of(item), "", key)
            u.change(key, MOVED, ["impacttoetsen_grouping"], value, version="0.4")
        elif definition.is_grouping:
            national[key] = _rows(u, key, split_grouping(value))
        elif definition.is_multiple_choice:
            if not isinstance(value, (list, tuple)):
                value = split_themes(text_of(value))
            national[key] = [text_of(v) for v in value]
        else:
            national[key] = value if isinstance(value, str) else text_of(value)

    # Variations seen in published data.
    if "lang" in national:
        lang = text_of(national["lang"]).lower()
        national["lang"] = LANGUAGES.get(lang, lang)
    if national.get("tags") and "<" in text_of(national["tags"]):
        national["tags"] = " ".join(strip_html(text_of(national["tags"])).split())
    national["standard_version"] = VERSION
    if isinstance(national.get("category"), list):
        permitted = {v.casefold(): v for v in get("category").permitted_values}
        national["category"] = [permitted.get(v.casefold(), v) for v in national["category"]]

    for key, value in u.later.items():
        if not text_of(national.get(key)):
            national[key] = value
    for target, label, text, source in u.appends:
        append_paragraph(national, target, label, text)
        _origin(result, target, source)
    for grouping, row, source in u.rows:
        rows = national.setdefault(grouping, [])
        if any(_same_row(row, other) for other in rows):
            u.change(source, DUPLICATE, [grouping], row.get("link") or row.get("title"))
            continue
        rows.append(row)
        result.row_origins.setdefault(grouping, {})[len(rows)] = source
        _origin(result, grouping, source)
    for title, link, source in u.assessments:
        result.add_assessment(title, link, source)
    for change in u.changes:
        if change.action == MOVED and change.targets and change.targets[0] in inputs:
            _origin(result, change.targets[0], change.key)

    for key, value in u.record.items():
        if key not in SYSTEM:
            u.change(key, IGNORED, value=value, version=last_version(key))

    result.changes = u.changes
    result.errors = u.errors
    return result


def _origin(result: Upgraded, key: str, source: str) -> None:
    sources = result.origins.setdefault(key, [])
    if source not in sources and source != key:
        sources.append(source)


def _same_row(row: dict, other: dict) -> bool:
    link = (row.get("link") or "").strip()
    if link:
        return link == (other.get("link") or "").strip()
    return (row.get("title") or "").strip().casefold() == (
        other.get("title") or ""
    ).strip().casefold() and not (other.get("link") or "").strip()


def _rows(u: Upgrade, key: str, rows: list[dict]) -> list[dict]:
    """The rows of a grouping, without completely empty ones (noted)."""
    kept = []
    for number, row in enumerate(rows, start=1):
        if any(text_of(v) for v in row.values()):
            kept.append(row)
        else:
            u.change(
                key,
                NOTE,
                text=_("Row %(number)s of %(field)s was empty and is left out.")
                % {"number": number, "field": f"“{get(key).label}” ({key})"},
            )
    return kept


__all__ = ["STEPS", "Change", "Upgrade", "Upgraded", "finish", "run_steps", "upgrade"]
