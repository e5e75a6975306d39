"""The published versions of entries, read from Wagtail's page history.

A version is a revision that Wagtail published: the page history (``PageLogEntry``)
records every publication as ``wagtail.publish`` (or ``wagtail.publish.scheduled``
when a scheduled revision went live) with the revision it published. Drafts,
revisions waiting for approval or for their scheduled time, and previews are never
published and so never appear. Whether the entry itself may be seen (live, no view
restriction) is for the caller: Wagtail's serve checks the page before its routes,
and the downloads read only live, public entries.

Each version is rebuilt from its revision's content in memory
(``from_serializable_data``, no queries), so the entry's link groupings and fields
are those of that version. Wagtail may remove old revisions (``purge_revisions``):
such a version keeps its number and date, and says that its text is no longer kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cache, cached_property

from django.utils.formats import date_format
from django.utils.text import capfirst
from wagtail.models import PageLogEntry, Revision

from wagtail_algoregister import standard
from wagtail_algoregister.history.diff import with_context, word_diff
from wagtail_algoregister.models import AlgorithmPage
from wagtail_algoregister.standard.validation import is_year_month, strip_html


PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")

# Fields of the entry outside the standard that its public page shows.
LOCAL_FIELDS = ("department", "objection_procedure", "next_review_date", "lars", "body")


def _text(value: str) -> str:
    return " ".join(strip_html(value or "").split())


def _strings(data):
    """Every string in a StreamField's raw data (block types and ids left out)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in ("type", "id"):
                yield from _strings(value)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from _strings(item)


@dataclass(frozen=True)
class Part:
    """One part of an entry that the history follows: a key of the standard or a local field."""

    key: str
    attribute: str
    kind: (
        str  # "rich_text", "text", "url", "choice", "list", "links", "date", "year_month", "blocks"
    )
    definition: standard.FieldDef | None = None

    @property
    def label(self):
        if self.definition is not None:
            return self.definition.label
        return capfirst(AlgorithmPage._meta.get_field(self.attribute).verbose_name)

    def value(self, page):
        if self.definition is not None:
            return page.standard_value(self.key)
        return getattr(page, self.attribute)

    def text(self, page) -> str:
        """The value as one line of plain text, in the active language (what is compared)."""
        value = self.value(page)
        if value in (None, "", [], ()):
            return ""
        d = self.definition
        if self.kind == "links":
            return "; ".join(
                " ".join(
                    filter(None, (item.get("title"), item.get("link") and f"({item['link']})"))
                )
                for item in value
            )
        if self.kind == "list":
            return ", ".join(str(d.value_label(item)) for item in value)
        if self.kind == "choice":
            return str(d.value_label(value))
        if self.kind == "rich_text":
            return _text(value)
        if self.kind == "year_month" and is_year_month(value):
            return date_format(datetime.date(int(value[:4]), int(value[5:]), 1), "F Y")
        if self.kind == "date":
            return date_format(value, "j F Y") if isinstance(value, datetime.date) else str(value)
        if self.kind == "blocks":
            return " ".join(_text(text) for text in _strings(value.get_prep_value()) if text)
        return " ".join(str(value).split())


def _standard_kind(definition):
    if definition.is_grouping:
        return "links"
    if definition.is_multiple_choice:
        return "list"
    if definition.is_choice:
        return "choice"
    if definition.is_rich_text:
        return "rich_text"
    if definition.format in ("url", "email_or_url", "year_month"):
        return definition.format
    return "text"


@cache
def parts() -> tuple[Part, ...]:
    """Every part the history follows: the standard's input keys in order, then local fields."""
    result = [
        Part(d.key, d.attribute, _standard_kind(d), d) for d in standard.input_fields().values()
    ]
    local_kinds = {
        "objection_procedure": "rich_text",
        "next_review_date": "date",
        "body": "blocks",
    }
    result += [Part(name, name, local_kinds.get(name, "text")) for name in LOCAL_FIELDS]
    return tuple(result)


@dataclass
class Change:
    """One part that differs from the previous version."""

    part: Part
    old: str
    new: str

    @property
    def label(self):
        return self.part.label

    @cached_property
    def segments(self):
        """The word diff, long unchanged runs shortened around the changes."""
        return with_context(word_diff(self.old, self.new))


@dataclass
class Shown:
    """One part of a version with a value, to show."""

    part: Part
    value: object
    text: str

    @property
    def label(self):
        return self.part.label

    @property
    def kind(self):
        return self.part.kind


@dataclass
class Version:
    """One published version of an entry."""

    number: int
    published_at: datetime.datetime
    revision_id: int
    page: AlgorithmPage | None  # the entry as published then; None once the revision is gone
    is_current: bool = False
    previous: Version | None = field(default=None, repr=False)

    @property
    def is_available(self):
        return self.page is not None

    @property
    def note(self) -> str:
        return (getattr(self.page, "change_note", "") or "").strip() if self.page else ""

    @cached_property
    def texts(self) -> dict[str, str]:
        if self.page is None:
            return {}
        return {part.key: part.text(self.page) for part in parts()}

    @cached_property
    def changes(self) -> list[Change] | None:
        """What differs from the previous version; ``[]`` for the first, ``None`` when unknown."""
        if self.previous is None:
            return []
        if not self.is_available or not self.previous.is_available:
            return None
        old, new = self.previous.texts, self.texts
        return [
            Change(part, old[part.key], new[part.key])
            for part in parts()
            if old[part.key] != new[part.key]
        ]

    @property
    def is_first(self):
        return self.previous is None

    def shown(self) -> list[Shown]:
        """The parts of this version that have a value, in order."""
        if self.page is None:
            return []
        texts = self.texts
        return [
            Shown(part, part.value(self.page), texts[part.key])
            for part in parts()
            if texts[part.key]
        ]


def _entry(content) -> AlgorithmPage:
    # No foreign key checks: they would cost queries and only matter when saving.
    return AlgorithmPage.from_serializable_data(content, check_fks=False)


def versions_by_page(page_ids) -> dict[int, list[Version]]:
    """``{page id: [Version, oldest first]}`` for these entries, in three queries.

    A revision published more than once (published, unpublished, published again)
    is one version, dated by its first publication. The entry's live revision is
    its current version; a live entry whose history holds no publication (written
    by code without a revision) shows its live revision as its only version.
    """
    live = {
        pk: (live_revision_id, last_published_at)
        for pk, live_revision_id, last_published_at in AlgorithmPage.objects.filter(
            pk__in=list(page_ids)
        ).values_list("pk", "live_revision_id", "last_published_at")
    }
    publications = {pk: [] for pk in live}
    seen = {pk: set() for pk in live}
    rows = (
        PageLogEntry.objects.filter(
            page_id__in=list(live), action__in=PUBLISH_ACTIONS, revision_id__isnull=False
        )
        .order_by("timestamp", "pk")
        .values_list("page_id", "revision_id", "timestamp")
    )
    for page_id, revision_id, timestamp in rows:
        if revision_id not in seen[page_id]:
            seen[page_id].add(revision_id)
            publications[page_id].append((revision_id, timestamp))
    for pk, (live_revision_id, last_published_at) in live.items():
        if live_revision_id and live_revision_id not in seen[pk] and last_published_at:
            publications[pk].append((live_revision_id, last_published_at))
    wanted = {revision_id for rows in publications.values() for revision_id, _ in rows}
    # Only revisions of these pages: a log entry never points elsewhere, but a
    # revision of another object must never be shown here.
    contents = {
        (object_id, pk): content
        for pk, object_id, content in Revision.objects.filter(pk__in=wanted).values_list(
            "pk", "object_id", "content"
        )
    }
    result = {}
    for pk, rows in publications.items():
        versions, previous = [], None
        for number, (revision_id, timestamp) in enumerate(rows, start=1):
            content = contents.get((str(pk), revision_id))
            version = Version(
                number=number,
                published_at=timestamp,
                revision_id=revision_id,
                page=_entry(content) if content is not None else None,
                is_current=revision_id == live[pk][0],
                previous=previous,
            )
            versions.append(version)
            previous = version
        result[pk] = versions
    return result


def versions_of(page) -> list[Version]:
    """The published versions of one entry, oldest first."""
    return versions_by_page([page.pk]).get(page.pk, [])
