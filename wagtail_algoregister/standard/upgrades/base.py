"""What every upgrade step works on: the record on its way to the current version.

A step (one module per version, see :mod:`.`) reads the keys of its version from
:attr:`Upgrade.record` and leaves keys of the next version there. What has no place
in the next version but has one in the current standard is kept aside until the end
(:meth:`Upgrade.append`, :meth:`Upgrade.add_row`, :meth:`Upgrade.add_assessment`,
:attr:`Upgrade.later`), and every key a step moves, merges or drops is recorded as a
:class:`Change`, which is how the importer can say what it did with each key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from html import escape

from django.utils.translation import gettext as _

from wagtail_algoregister.standard import get, input_fields
from wagtail_algoregister.standard.versions import title as version_title


# What a step did with a key of the file.
APPENDED = "appended"  # its text became a paragraph of ``target`` (under the old title)
MOVED = "moved"  # its value went to ``target`` (a key, a row of a grouping, an id)
LOCAL = "local"  # kept in one of the site's own fields (``target``)
IGNORED = "ignored"  # no place in the standard: left out
DUPLICATE = "duplicate"  # the row it would become is in the entry already
OLD_KEY = "old_key"  # a key of an older version in a record of the current one: ignored
NOTE = "note"  # anything else worth saying about the key (``text``)


def field_name(key: str) -> str:
    """A field for a message: its label in the active language and its key."""
    inputs = input_fields()
    if key in inputs:
        return f"“{inputs[key].label}” ({key})"
    return LOCAL_FIELDS.get(key, key)


LOCAL_FIELDS = {
    "department": "department",
    "objection_procedure": "objection_procedure",
    "next_review_date": "next_review_date",
}


def shorten(value, limit: int = 60) -> str:
    text = " ".join(text_of(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Change:
    """What the upgrade did with one key of the file (for the importer's report)."""

    key: str  # the key as the file has it
    version: str  # the version of the standard the key belongs to ("" for none)
    action: str  # APPENDED, MOVED, LOCAL, IGNORED, DUPLICATE or OLD_KEY
    targets: tuple[str, ...] = ()  # the key(s) of the current standard it went (or would go) to
    value: str = ""  # the value, shortened
    reason: str = ""  # why, when the action alone does not say it
    text: str = ""  # the whole message of a NOTE

    @property
    def target_names(self) -> str:
        return ", ".join(field_name(t) for t in self.targets)

    def message(self) -> str:
        """One plain sentence, in the active language."""
        values = {
            "key": self.key,
            "version": self.version,
            "targets": self.target_names,
            "value": self.value,
        }
        if self.action == NOTE:
            return self.text
        if self.action == APPENDED:
            text = (
                _("“%(key)s” (standard %(version)s) was added to %(targets)s as a paragraph.")
                % values
            )
        elif self.action == MOVED:
            text = _("“%(key)s” (standard %(version)s) was moved to %(targets)s.") % values
        elif self.action == LOCAL:
            text = (
                _("“%(key)s” (standard %(version)s) was kept in this site's own field %(targets)s.")
                % values
            )
        elif self.action == DUPLICATE:
            text = (
                _(
                    "“%(key)s” (“%(value)s”) was not added to %(targets)s: the same link is there already."
                )
                % values
            )
        elif self.action == OLD_KEY:
            if self.targets:
                text = (
                    _(
                        "“%(key)s” (“%(value)s”) is a field of standard %(version)s, not of 1.0: it was "
                        "ignored, as the national register ignores it. To keep it, add it to "
                        "%(targets)s yourself or import with the option to merge old fields "
                        "(--merge-old-keys)."
                    )
                    % values
                )
            else:
                text = (
                    _(
                        "“%(key)s” (“%(value)s”) is a field of standard %(version)s, not of 1.0: it was "
                        "ignored, as the national register ignores it."
                    )
                    % values
                )
        elif self.version:
            text = (
                _(
                    "“%(key)s” (“%(value)s”, standard %(version)s) has no place in standard 1.0: ignored."
                )
                % values
            )
        else:
            text = _("“%(key)s” (“%(value)s”) is not a field of the standard: ignored.") % values
        return f"{text} {self.reason}" if self.reason else text


@dataclass
class Upgrade:
    """A record on its way from ``source_version`` to the current version."""

    source_version: str
    version: str
    record: dict
    local: dict = field(default_factory=dict)
    lars: str = ""
    changes: list[Change] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    # Kept aside until the record is current (keys of the current version).
    later: dict = field(default_factory=dict)
    appends: list[tuple[str, str, str, str]] = field(default_factory=list)
    rows: list[tuple[str, dict, str]] = field(default_factory=list)
    assessments: list[tuple[str, str, str]] = field(default_factory=list)

    def take(self, key):
        """Remove ``key`` from the record; its value (``None`` when absent)."""
        return self.record.pop(key, None)

    def change(self, key, action, targets=(), value=None, reason="", version=None, text=""):
        self.changes.append(
            Change(
                key,
                self.version if version is None else version,
                action,
                tuple(targets),
                shorten(value) if value is not None else "",
                reason,
                text,
            )
        )

    def note(self, key: str, text: str) -> None:
        self.change(key, NOTE, text=text)

    def append(self, key: str, target: str) -> None:
        """Move the text of ``key`` to the end of ``target``, under the key's title."""
        value = self.take(key)
        if text_of(value):
            self.appends.append((target, version_title(key, self.version), text_of(value), key))
            self.change(key, APPENDED, [target], value)

    def append_text(self, key: str, target: str, label: str, text: str) -> None:
        if text_of(text):
            self.appends.append((target, label, text_of(text), key))

    def add_row(self, grouping: str, row: dict, key: str) -> None:
        self.rows.append((grouping, row, key))

    def add_assessment(self, title: str, link: str, key: str) -> None:
        self.assessments.append((title, link, key))

    def ignore(self, key: str, reason: str = "") -> None:
        value = self.take(key)
        if text_of(value):
            self.change(key, IGNORED, value=value, reason=reason)

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


# -- values ---------------------------------------------------------------------------


def text_of(value) -> str:
    """A value of any JSON type as text (lists joined, ``True`` as "Ja")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, (list, tuple)):
        return ", ".join(text_of(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def is_url(text: str) -> bool:
    return text.startswith(("https://", "http://")) and " " not in text


def paragraphs(text: str) -> str:
    """Text as HTML: kept when it has tags, else one paragraph per block of lines."""
    if "<" in text and ">" in text:
        return text
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    return "".join(f"<p>{escape(block, quote=False)}</p>" for block in blocks)


def append_paragraph(national: dict, key: str, label: str, text: str) -> None:
    """Add ``text`` to the rich text of ``key``, after a paragraph "``label``:"."""
    text = text_of(text)
    if not text:
        return
    extra = f"<p>{escape(label, quote=False)}:</p>{paragraphs(text)}" if label else paragraphs(text)
    current = text_of(national.get(key))
    national[key] = f"{paragraphs(current)}{extra}" if current else extra


_GROUPING_ITEM = re.compile(r"(?:^|\.\s+)(\d+):\s")
_TRAILING_LINK = re.compile(r"^(.*?)(?:,\s*)?(https?://\S*)$", re.S)


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
                rows.append({k: text_of(item.get(k)) for k in ("title", "link")})
            elif item not in (None, ""):
                rows.append({"title": text_of(item), "link": ""})
        return rows
    text = str(value).strip()
    if text.startswith("["):
        try:
            return split_grouping(json.loads(text))
        except (ValueError, RecursionError):
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


def parse_date(u: Upgrade, key: str, value):
    """A date (``YYYY-MM-DD…`` or ``DD-MM-YYYY``), or ``None`` with an error naming ``key``."""
    text = text_of(value)
    if not text:
        return None
    for pattern in (r"^\d{4}-\d{2}-\d{2}", r"^\d{2}-\d{2}-\d{4}$"):
        if re.match(pattern, text):
            try:
                if text[4] == "-":
                    return date.fromisoformat(text[:10])
                day, month, year = text.split("-")
                return date(int(year), int(month), int(day))
            except ValueError:
                break
    u.error(
        key,
        _("%(key)s: use a date in the form YYYY-MM-DD, got “%(value)s”.")
        % {"key": key, "value": text},
    )
    return None


def split_themes(text: str) -> list[str]:
    """Themes written as one text: separated by ", ", ";" or line breaks."""
    return [v.strip() for v in re.split(r",\s+|;|\n", text) if v.strip()]


def grouping_title_limit(key: str) -> int:
    return get(key).items["title"].max_length or 100
