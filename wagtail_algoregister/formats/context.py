"""What a dataset description needs to know about one entry, gathered in one place.

The site's DCAT catalogue (:mod:`.dcat`) and every exporter's mapping (the CKAN
profiles, for one) read an entry through an :class:`EntryContext`, so they describe it
alike, and the mappings are pure functions that can be tested without a database.
:func:`context_for` makes one of a page; the catalogue makes them of plain rows for a
whole page of entries at once (:func:`entry_context`, the same code).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from wagtail_algoregister.formats.national import entry_to_national


@dataclass(frozen=True)
class EntryContext:
    entry: dict  # the national format: every v1.0 input key (url and source_id resolved)
    identifier: str  # stable absolute URI of the entry (dct:identifier)
    public_url: str  # the entry's page
    json_url: str  # the entry in the national JSON format
    csv_url: str  # the entry as CSV (national column layout)
    register_url: str  # the register page
    organisation_code: str  # TOOI/CBS code such as "gm0363" ("" when unknown)
    organisation_name: str
    department: str
    issued: datetime.datetime | None  # first publication (aware)
    modified: datetime.datetime  # last publication (aware)
    key: str  # the entry's stable id (Wagtail translation key)
    language: str = "nl"


def entry_context(
    source, *, register, register_url: str, public_url: str, identifier: str, language: str
) -> EntryContext:
    """The context of ``source``: a live page, or anything with its attributes and
    ``standard_value(key)`` (the catalogue's rows), in ``register``."""
    entry = entry_to_national(source, public_url=public_url)
    return EntryContext(
        entry=entry,
        identifier=identifier,
        public_url=public_url,
        json_url=f"{public_url}export.json",
        csv_url=f"{public_url}export.csv",
        register_url=register_url,
        organisation_code=register.organisation_code or "",
        organisation_name=entry.get("organization") or register.organisation_name,
        department=source.department,
        issued=source.first_published_at,
        modified=source.last_published_at or source.latest_revision_created_at,
        key=str(source.translation_key),
        language=language,
    )


def context_for(page) -> EntryContext:
    """The context of a published entry (its live content, not a draft)."""
    register = page.get_parent().specific
    return entry_context(
        page,
        register=register,
        register_url=register.full_url or "",
        public_url=page.full_url or "",
        identifier=page.identifier_uri,
        language=page.locale.language_code if page.locale_id else "nl",
    )
