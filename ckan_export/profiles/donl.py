"""DCAT-AP-DONL 1.1 for data.overheid.nl (CKAN with ``ckanext-dataoverheid``).

Every DONL field is a top-level key: the portal's schema plugin stores them as
extras itself and ignores DONL fields sent inside ``extras``. Vocabulary values
are URIs. The mapping follows the research note ``ckan-donl.md`` (§3); the
local rules are in :mod:`ckan_export.donl_rules`.

The entry's description as a dataset (texts, tags, contact, links) and every
vocabulary term come from the core (:mod:`wagtail_algoregister.formats.dataset`,
:mod:`wagtail_algoregister.standard.mappings`), which the site's own DCAT catalogue
reads too; this module adds what only DONL asks: its dates, its title, the legal
foundation and the portal's authority.
"""

from __future__ import annotations

import calendar
import datetime
import re
from urllib.parse import unquote, urlparse

from wagtail_algoregister import standard
from wagtail_algoregister.formats.context import EntryContext
from wagtail_algoregister.formats.dataset import (
    contact_methods,
    contact_name,
    documentation,
    http_uris,
    is_http_url,
    notes,
    organisation_name,
    related,
    resource_texts,
    tags,
)
from wagtail_algoregister.standard import mappings
from wagtail_algoregister.standard.validation import is_year_month

from .. import donl_rules
from ..conf import Portal
from .base import Profile


# Organisation URIs (authority, publisher) derived from the organisation code.
#
# DONL 1.1 validates ``authority`` and ``publisher`` against its organisation
# list (donl_organization.json), whose keys are OWMS URIs such as
# http://standaarden.overheid.nl/owms/terms/Utrecht_(gemeente). Those cannot be
# derived reliably from a code or a name ("_(gemeente)" is added only where the
# name is ambiguous, and the list itself is not in any public repository), so
# the default is the organisation's TOOI URI (mappings.organisation_uri), which
# follows from the code. TOOI is the successor of OWMS; the DCAT-AP-DONL 2.0
# drafts and the new Aanlever API use it, and DONL said its software would
# convert between the two.
# UNCERTAIN: whether the DONL 1.1 CKAN API accepts TOOI URIs yet (ckan-donl.md
# §10, question 4). If data.overheid.nl rejects them, set the portal's
# AUTHORITY_URI to the organisation's OWMS URI (organisaties.overheid.nl shows
# both for every organisation).

WETTEN_HOST = "wetten.overheid.nl"
BWB_PATH = re.compile(r"^(BWBR[0-9]{7})(?:/|$)")
JCI_PATH = re.compile(r"^jci1\.[0-9]+:[a-z]:BWBR[0-9]{7}")
ARTICLE_ANCHOR = re.compile(r"(?:^|_)Artikel([0-9]+[a-z]*)$")

# DONL's title names the organisation (see _title).
TITLES = {
    "nl": "{name} (algoritme, {organisation})",
    "en": "{name} (algorithm, {organisation})",
}


# -- DONL's own values ------------------------------------------------------------


def donl_datetime(value: datetime.datetime | None) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` in UTC, without zone or fraction ("" for None)."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S")


def month_start(year_month: str) -> datetime.datetime | None:
    if not is_year_month(year_month or ""):
        return None
    return datetime.datetime(int(year_month[:4]), int(year_month[5:]), 1)


def month_end(year_month: str) -> datetime.datetime | None:
    """The last day of the month: an entry that ended in June was in use in June."""
    start = month_start(year_month)
    if start is None:
        return None
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def organisation_uri(context: EntryContext, portal: Portal) -> str:
    """The portal's AUTHORITY_URI, else the TOOI URI of the organisation code ("" if unknown)."""
    return portal.authority_uri or mappings.organisation_uri(context.organisation_code)


def theme_uris(entry: dict) -> list[str]:
    """OWMS theme URIs of the entry's themes, else Bestuur."""
    return mappings.owms_theme_uris(entry.get("category"))


def legal_foundation(entry: dict) -> dict:
    """The three ``legal_foundation_*`` fields from the first wetten.overheid.nl link.

    DONL needs a label, a Juriconnect reference and a URI together; only a link
    to wetten.overheid.nl (a BWB id, optionally an article) gives a reference,
    so other links give no legal foundation at all.
    """
    for row in entry.get("lawful_basis_grouping") or []:
        title = (row.get("title") or "").strip()
        link = (row.get("link") or "").strip()
        if not title or not is_http_url(link):
            continue
        parsed = urlparse(link)
        if parsed.hostname != WETTEN_HOST:
            continue
        path = unquote(parsed.path).lstrip("/")
        if JCI_PATH.match(path):
            reference = path
        else:
            match = BWB_PATH.match(path)
            if not match:
                continue
            reference = f"jci1.3:c:{match.group(1)}"
            article = ARTICLE_ANCHOR.search(parsed.fragment or "")
            if article:
                reference += f"&artikel={article.group(1)}"
        return {
            "legal_foundation_label": title,
            "legal_foundation_ref": reference,
            "legal_foundation_uri": link,
        }
    return {}


# -- the profile -------------------------------------------------------------------


def _title(context: EntryContext) -> str:
    name = (context.entry.get("name") or "").strip()
    organisation = organisation_name(context).strip()
    # The organisation in the title keeps titles apart across the portal's
    # municipalities (several publish e.g. "Parkeerscan") and helps search.
    if not organisation or organisation.casefold() in name.casefold():
        return name
    english = (context.language or "").startswith("en")
    return TITLES["en" if english else "nl"].format(name=name, organisation=organisation)


def _resources(context: EntryContext, license_id: str) -> list[dict]:
    metadata_language = mappings.language_uri(context.language)
    language = [mappings.language_uri(context.entry.get("lang") or context.language)]
    result = []
    for distribution in mappings.DISTRIBUTIONS:
        name, description = resource_texts(context, distribution.key)
        result.append(
            {
                "_key": distribution.key,
                "url": getattr(context, distribution.attribute),
                "name": name,
                "description": description,
                "format": distribution.file_type_uri,
                "mimetype": distribution.media_type,
                "metadata_language": metadata_language,
                "language": language,
                "license_id": license_id,
            }
        )
    return result


class DonlProfile(Profile):
    name = "donl"
    version = "1"
    # Every top-level key build() can write. The engine merges these onto the
    # remote dataset and removes those we no longer send; it keeps the rest
    # (KOOP's high_value, basis_register, ..., a phone number added on DONL).
    # ``type`` is left out on purpose: it is sent when configured, never removed.
    managed_keys = frozenset(
        {
            "owner_org",
            "title",
            "notes",
            "url",
            "identifier",
            "alternate_identifier",
            "authority",
            "publisher",
            "contact_point_name",
            "contact_point_email",
            "contact_point_website",
            "metadata_language",
            "language",
            "license_id",
            "access_rights",
            "theme",
            "tags",
            "modified",
            "issued",
            "dataset_status",
            "frequency",
            "conforms_to",
            "temporal_start",
            "temporal_end",
            "legal_foundation_label",
            "legal_foundation_ref",
            "legal_foundation_uri",
            "documentation",
            "related_resource",
            "resources",
        }
    )

    def build(self, context: EntryContext, portal: Portal) -> dict:
        entry = context.entry
        license_id = portal.license_id or mappings.LICENCE
        organisation = organisation_uri(context, portal)
        email, website = contact_methods(context)
        begin, end = month_start(entry.get("begin_date")), month_end(entry.get("end_date"))

        payload = {"owner_org": portal.organization}
        if portal.dataset_type:
            payload["type"] = portal.dataset_type
        payload.update(
            {
                "title": _title(context),
                "notes": notes(context),
                "url": context.public_url,
                "identifier": context.identifier,
                "alternate_identifier": [
                    v for v in [entry.get("source_id") or ""] if donl_rules.is_uri(v)
                ],
                "authority": organisation,
                "publisher": organisation,
                "contact_point_name": contact_name(context),
                "contact_point_email": email,
                "contact_point_website": website,
                "metadata_language": mappings.language_uri(context.language),
                "language": [mappings.language_uri(entry.get("lang") or context.language)],
                "license_id": license_id,
                "access_rights": mappings.ACCESS_PUBLIC,
                "theme": theme_uris(entry),
                "tags": tags(context),
                "modified": donl_datetime(context.modified),
                "issued": donl_datetime(context.issued),
                "dataset_status": mappings.DONL_STATUSES.get(
                    entry.get("status") or "", mappings.DONL_AVAILABLE
                ),
                "frequency": mappings.FREQUENCY_IRREGULAR,
                "conforms_to": [standard.URI],
                "temporal_start": donl_datetime(begin),
                "temporal_end": donl_datetime(end) if end and (not begin or begin < end) else "",
                **legal_foundation(entry),
                "documentation": http_uris(documentation(entry)),
                "related_resource": http_uris(related(entry)),
                "resources": _resources(context, license_id),
            }
        )
        # Optional fields are left out rather than sent empty.
        return {key: value for key, value in payload.items() if value not in ("", [], None)}

    def validate(self, payload: dict) -> dict[str, list[str]]:
        return donl_rules.validate(payload)


PROFILE = DonlProfile()
