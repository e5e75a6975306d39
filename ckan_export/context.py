"""What a dataset mapping needs to know about one entry, gathered in one place.

:func:`context_for` reads a page; the mappings in :mod:`ckan_export.profiles`
are pure functions of an :class:`EntryContext` and a portal, so they can be
tested without a database or a network.
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


def context_for(page) -> EntryContext:
    """The context of a published entry (its live content, not a draft)."""
    register = page.get_parent().specific
    public_url = page.full_url or ""
    entry = entry_to_national(page, public_url=public_url)
    return EntryContext(
        entry=entry,
        identifier=page.identifier_uri,
        public_url=public_url,
        json_url=f"{public_url}export.json",
        csv_url=f"{public_url}export.csv",
        register_url=register.full_url or "",
        organisation_code=register.organisation_code or "",
        organisation_name=entry.get("organization") or register.organisation_name,
        department=page.department,
        issued=page.first_published_at,
        modified=page.last_published_at or page.latest_revision_created_at,
        key=str(page.translation_key),
        language=page.locale.language_code if page.locale_id else "nl",
    )
