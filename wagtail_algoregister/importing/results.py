"""What an import did, as data: for the command's output and for an admin upload view.

:func:`~.importer.run_import` returns an :class:`ImportResult`, and raises
:class:`~.importer.ImportFailed` carrying one (``error.result``) when it wrote nothing
because an entry was invalid or the file could not be read. A view renders either the
same way:

- :attr:`ImportResult.file_name`, :attr:`~ImportResult.dry_run`,
  :attr:`~ImportResult.written`, :meth:`~ImportResult.counts` (one number per
  :class:`Action`) and :meth:`~ImportResult.summary` (one line of text);
- :attr:`ImportResult.messages`: about the file as a whole (its encoding, say);
- :attr:`ImportResult.entries`: one :class:`EntryResult` per entry of the file, in the
  file's order, with where it is (``label``: "entry 3", "row 4", "sheet 1.0, column
  C"), its name, the version of the standard it was read as, its :class:`Action`,
  the page it matched or became (``page_id``), and three lists of :class:`Message`:

  - ``errors``: why it is invalid (the standard refuses it); nothing is written for it;
  - ``warnings``: quality problems an editor should fix, which the national register
    accepts too (text in a link field);
  - ``notes``: what the import did with the file's keys (a key of an older version
    moved, merged or ignored, an empty grouping row left out, a theme renamed);

  and, for an entry that is (or, in a dry run, would be) updated, ``changes``: one
  :class:`FieldChange` per field whose value changes, with both values.

Every text is a complete sentence in the active language (Dutch or English), without
the entry's label: :attr:`Message.text`. :meth:`EntryResult.lines` gives the lines the
command prints.

:meth:`ImportResult.as_dict` and :meth:`ImportResult.from_dict` turn a result into
JSON-ready data and back (the admin keeps a preview between two requests that way;
values of field changes as ``DjangoJSONEncoder`` writes them).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Action(StrEnum):
    """What happened to an entry (in a dry run: what would happen)."""

    CREATED = "created"  # a new entry
    UPDATED = "updated"  # matched, and a new revision saved (``--update``)
    UNCHANGED = "unchanged"  # matched, and the file says what the entry says
    SKIPPED = "skipped"  # matched, left alone (no ``--update``)
    DUPLICATE = "duplicate"  # no ids, same organisation and name as an entry: not created
    INVALID = "invalid"  # refused: see its errors

    @property
    def label(self):
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.CREATED: gettext_lazy("created"),
    Action.UPDATED: gettext_lazy("updated"),
    Action.UNCHANGED: gettext_lazy("unchanged"),
    Action.SKIPPED: gettext_lazy("skipped"),
    Action.DUPLICATE: gettext_lazy("probable duplicates"),
    Action.INVALID: gettext_lazy("invalid"),
}

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Message:
    """One sentence about an entry: an error, a warning or a note."""

    text: str
    key: str = ""  # the field it is about (the standard's key or a local field), if any
    source_key: str = ""  # the key in the file it came from, when that differs (an old key)
    row: int | None = None  # the row of a link grouping (from 1), if any

    def line(self) -> str:
        return _SPACES.sub(" ", self.text)


@dataclass(frozen=True)
class FieldChange:
    """One field an update changes (values as the standard stores them)."""

    key: str
    before: object
    after: object


@dataclass
class EntryResult:
    label: str
    name: str = ""
    version: str = ""
    action: Action | None = None  # None until the import decided
    page_id: int | None = None
    duplicate_of: str = ""  # a probable duplicate: the page ("page 12") or entry it repeats
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def where(self) -> str:
        """The label and the name: ``entry 3 ("Parkeervergunning")``."""
        name = self.name.replace('"', "'")
        if len(name) > 60:
            name = name[:59].rstrip() + "…"
        return f'{self.label} ("{name}")' if name else self.label


@dataclass
class ImportResult:
    file_name: str
    entries: list[EntryResult] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    def count(self, action: Action) -> int:
        return sum(1 for entry in self.entries if entry.action == action)

    def counts(self) -> dict[Action, int]:
        return {action: self.count(action) for action in Action}

    @property
    def invalid(self) -> list[EntryResult]:
        return [e for e in self.entries if e.action == Action.INVALID]

    def summary(self) -> str:
        counts = {action.value: number for action, number in self.counts().items()}
        text = (
            _(
                "created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, "
                "skipped: %(skipped)s, invalid: %(invalid)s"
            )
            % counts
        )
        if counts["duplicate"]:
            text += ", " + _("probable duplicates: %(duplicate)s") % counts
        return (
            _("Dry run, nothing written: %(summary)s") % {"summary": text} if self.dry_run else text
        )

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ImportResult:
        def entry(values):
            values = dict(values)
            action = values.pop("action")
            return EntryResult(
                action=Action(action) if action else None,
                errors=[Message(**m) for m in values.pop("errors")],
                warnings=[Message(**m) for m in values.pop("warnings")],
                notes=[Message(**m) for m in values.pop("notes")],
                changes=[FieldChange(**c) for c in values.pop("changes")],
                **values,
            )

        values = dict(data)
        return cls(entries=[entry(e) for e in values.pop("entries")], **values)

    def error_lines(self) -> list[str]:
        return [f"{e.where}: {m.line()}" for e in self.entries for m in e.errors]

    def warning_lines(self) -> list[str]:
        return [f"{e.where}: {m.line()}" for e in self.entries for m in e.warnings]

    def note_lines(self) -> list[str]:
        return [f"{e.where}: {m.line()}" for e in self.entries for m in e.notes]
