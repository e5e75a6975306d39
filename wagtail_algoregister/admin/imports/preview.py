"""An import's result (the preview's dry run, or the import itself) as the pages show it:
per action a group of entries, each with its messages and, for a change, every field
with its value now and after the import, the changed words marked."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.compare import diff_text

from wagtail_algoregister import standard
from wagtail_algoregister.formats.downloads import html_to_text
from wagtail_algoregister.importing import Action, EntryResult, ImportResult
from wagtail_algoregister.models import AlgorithmPage


# Entries shown per group; the report (CSV) has all of them.
LIMIT = 200

ORDER = (
    Action.INVALID,
    Action.CREATED,
    Action.UPDATED,
    Action.DUPLICATE,
    Action.SKIPPED,
    Action.UNCHANGED,
)

PREVIEW_HEADINGS = {
    Action.INVALID: _("Refused"),
    Action.CREATED: _("To be added"),
    Action.UPDATED: _("To be changed"),
    Action.DUPLICATE: _("Probable duplicates: not added"),
    Action.SKIPPED: _("In the register already: left as they are"),
    Action.UNCHANGED: _("Unchanged"),
}
RESULT_HEADINGS = {
    Action.INVALID: _("Refused: not imported"),
    Action.CREATED: _("Added"),
    Action.UPDATED: _("Changed"),
    Action.DUPLICATE: _("Probable duplicates: not added"),
    Action.SKIPPED: _("In the register already: left as they are"),
    Action.UNCHANGED: _("Unchanged"),
}
EXPLANATIONS = {
    Action.INVALID: _(
        "The standard does not allow what the file says for these algorithms. Correct the "
        "file and upload it again, or import the other algorithms without these."
    ),
    Action.UPDATED: _(
        "These have the same source id or national ID as an algorithm in the register. "
        "Per field: what the register says now, and what it will say."
    ),
    Action.DUPLICATE: _(
        "These have no source id or national ID, and the same organisation and name as an "
        "algorithm in the register or earlier in the file. If one is a different algorithm, "
        "give it its own source_id in the file."
    ),
    Action.SKIPPED: _(
        "These have the same source id or national ID as an algorithm in the register. "
        "Choose “Update algorithms that are in the register already” to change them."
    ),
}

LOCAL_LABELS = {
    "lars": lambda: AlgorithmPage._meta.get_field("lars").verbose_name,
    "department": lambda: AlgorithmPage._meta.get_field("department").verbose_name,
    "objection_procedure": lambda: (
        AlgorithmPage._meta.get_field("objection_procedure").verbose_name
    ),
    "next_review_date": lambda: AlgorithmPage._meta.get_field("next_review_date").verbose_name,
}
RICH_LOCAL = ("objection_procedure",)


def field_label(key: str) -> str:
    if key in standard.input_fields():
        return str(standard.get(key).label)
    if key in LOCAL_LABELS:
        return str(LOCAL_LABELS[key]()).capitalize()
    return key


def display_value(key: str, value) -> str:
    """A value as text for the editor (rich text without its tags)."""
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, list):
        if all(isinstance(item, dict) for item in value):  # rows of a link grouping
            return "\n".join(
                " – ".join(str(part) for part in (row.get("title"), row.get("link")) if part)
                for row in value
            )
        return ", ".join(str(item) for item in value)
    definition = standard.input_fields().get(key)
    if (definition is not None and definition.is_rich_text) or key in RICH_LOCAL:
        return html_to_text(str(value))
    return str(value)


@dataclass
class ChangeView:
    key: str
    label: str
    before: list  # (kind, text): kind "equal" or "deletion"
    after: list  # (kind, text): kind "equal" or "addition"


@dataclass
class MessageView:
    label: str  # the field's label, or ""
    key: str  # the key in the file, or ""
    text: str


@dataclass
class EntryView:
    where: str
    name: str
    page_url: str = ""
    duplicate_of: str = ""
    errors: list[MessageView] = field(default_factory=list)
    warnings: list[MessageView] = field(default_factory=list)
    notes: list[MessageView] = field(default_factory=list)
    changes: list[ChangeView] = field(default_factory=list)


def change_view(key, before, after) -> ChangeView:
    diff = diff_text(display_value(key, before), display_value(key, after))
    return ChangeView(
        key=key,
        label=field_label(key),
        before=[(kind, text) for kind, text in diff.changes if kind != "addition"],
        after=[(kind, text) for kind, text in diff.changes if kind != "deletion"],
    )


def _messages(messages) -> list[MessageView]:
    """The importer's messages; the field they start with ("status: …", as the command
    prints them) is shown by its label and key instead."""
    views = []
    for m in messages:
        text = m.line()
        if m.key and text.startswith(f"{m.key}: "):
            text = text[len(m.key) + 2 :]
        views.append(MessageView(field_label(m.key) if m.key else "", m.key, text))
    return views


def entry_view(entry: EntryResult) -> EntryView:
    return EntryView(
        where=entry.label,
        name=entry.name,
        page_url=reverse("wagtailadmin_pages:edit", args=(entry.page_id,)) if entry.page_id else "",
        duplicate_of=entry.duplicate_of,
        errors=_messages(entry.errors),
        warnings=_messages(entry.warnings),
        notes=_messages(entry.notes),
        changes=[change_view(c.key, c.before, c.after) for c in entry.changes],
    )


@dataclass
class Group:
    action: Action
    heading: str
    explanation: str
    count: int
    entries: list[EntryView]

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


def groups(result: ImportResult, *, preview: bool) -> list[Group]:
    """The entries per action, in :data:`ORDER`; entries the import did not decide on
    (a real run that stopped at refused entries) are left out."""
    headings = PREVIEW_HEADINGS if preview else RESULT_HEADINGS
    found = []
    for action in ORDER:
        entries = [e for e in result.entries if e.action == action]
        if not entries:
            continue
        found.append(
            Group(
                action=action,
                heading=str(headings[action]),
                explanation=str(EXPLANATIONS.get(action, "")),
                count=len(entries),
                entries=[entry_view(e) for e in entries[:LIMIT]],
            )
        )
    return found


def refused(result: ImportResult) -> list[EntryView]:
    """Entries with errors, whatever the import decided (a real run that stopped at them
    decided nothing)."""
    return [entry_view(e) for e in result.entries if e.errors][:LIMIT]
