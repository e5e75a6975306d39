"""DCAT-AP-DONL 1.1 for data.overheid.nl (CKAN with ``ckanext-dataoverheid``).

Every DONL field is a top-level key: the portal's schema plugin stores them as
extras itself and ignores DONL fields sent inside ``extras``. Vocabulary values
are URIs. The mapping follows the research note ``ckan-donl.md`` (§3); the
local rules are in :mod:`ckan_export.donl_rules`.

The helpers without a leading underscore (texts, tags, dates, links) are shared
with the generic ``ckan`` profile.
"""

from __future__ import annotations

import calendar
import datetime
import re
from urllib.parse import unquote, urlparse

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from wagtail_algoregister import standard
from wagtail_algoregister.standard import organisations
from wagtail_algoregister.standard.validation import is_year_month, strip_html

from .. import donl_rules
from ..conf import Portal
from ..context import EntryContext


OWMS = "http://standaarden.overheid.nl/owms/terms/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
FREQUENCY_IRREGULAR = "http://publications.europa.eu/resource/authority/frequency/IRREG"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/deed.nl"
# Where the Publicatiestandaard is published (its handbook says so); DONL only
# checks that conforms_to holds URIs.
STANDARD_URI = "https://regels.overheid.nl/standaarden/algoritmeregister-publicatiestandaard"

# Register theme ("Thema", the standard's ``category``) -> OWMS TaxonomieBeleidsagenda
# term, as suggested in ckan-donl.md §3.3 (to be confirmed with KOOP and editors).
# Every value the standard permits has a row; tests check that against the
# standard and that each URI is in the packaged DONL theme list.
THEMES = {
    "Organisatie en bedrijfsvoering": OWMS + "Organisatie_en_beleid",
    "Cultuur en recreatie": OWMS + "Cultuur_en_recreatie",
    "Economie": OWMS + "Economie",
    "Overheidsfinanciën": OWMS + "Financien",
    "Wonen": OWMS + "Huisvesting_(thema)",
    "Internationaal": OWMS + "Internationaal",
    "Migratie en integratie": OWMS + "Migratie_en_integratie",
    "Natuur en milieu": OWMS + "Natuur_en_milieu",
    "Onderwijs en wetenschap": OWMS + "Onderwijs_en_wetenschap",
    "Openbare orde en veiligheid": OWMS + "Openbare_orde_en_veiligheid",
    "Recht": OWMS + "Recht_(thema)",
    "Ruimte en infrastructuur": OWMS + "Ruimte_en_infrastructuur",
    "Sociale zekerheid": OWMS + "Sociale_zekerheid",
    "Verkeer": OWMS + "Verkeer_(thema)",
    "Werk": OWMS + "Werk_(thema)",
    "Zorg en gezondheid": OWMS + "Zorg_en_gezondheid",
}
FALLBACK_THEME = OWMS + "Bestuur"

# ISO 639 codes (the page's locale, the standard's ``lang``) -> EU language URI.
LANGUAGES = {
    "nl": "NLD",
    "nld": "NLD",
    "dut": "NLD",
    "en": "ENG",
    "eng": "ENG",
    "fy": "FRY",
    "fry": "FRY",
    "de": "DEU",
    "deu": "DEU",
    "ger": "DEU",
}

# Organisation URIs (authority, publisher) derived from the organisation code.
#
# DONL 1.1 validates ``authority`` and ``publisher`` against its organisation
# list (donl_organization.json), whose keys are OWMS URIs such as
# http://standaarden.overheid.nl/owms/terms/Utrecht_(gemeente). Those cannot be
# derived reliably from a code or a name ("_(gemeente)" is added only where the
# name is ambiguous, and the list itself is not in any public repository), so
# the default is the organisation's TOOI URI, which follows from the code:
# https://identifier.overheid.nl/tooi/id/gemeente/gm0344. TOOI is the
# successor of OWMS; the DCAT-AP-DONL 2.0 drafts and the new Aanlever API use
# it, and DONL said its software would convert between the two.
# UNCERTAIN: whether the DONL 1.1 CKAN API accepts TOOI URIs yet (ckan-donl.md
# §10, question 4). If data.overheid.nl rejects them, set the portal's
# AUTHORITY_URI to the organisation's OWMS URI (organisaties.overheid.nl shows
# both for every organisation).
TOOI = "https://identifier.overheid.nl/tooi/id/"
TOOI_KINDS = {"gm": "gemeente", "pv": "provincie", "ws": "waterschap"}
TOOI_CODE = re.compile(r"^(gm|pv|ws)[0-9]{2,4}$")

WETTEN_HOST = "wetten.overheid.nl"
BWB_PATH = re.compile(r"^(BWBR[0-9]{7})(?:/|$)")
JCI_PATH = re.compile(r"^jci1\.[0-9]+:[a-z]:BWBR[0-9]{7}")
ARTICLE_ANCHOR = re.compile(r"(?:^|_)Artikel([0-9]+[a-z]*)$")

TAG_JUNK = re.compile(r"[^\w \-.]+")
TAG_SPLIT = re.compile(r"[,;\n]")
FIXED_TAGS = ("algoritme", "algoritmeregister")

# The three resources: key, context attribute, format, media type.
RESOURCES = (
    ("page", "public_url", "HTML", "text/html"),
    ("json", "json_url", "JSON", "application/json"),
    ("csv", "csv_url", "CSV", "text/csv"),
)

TEXTS = {
    "nl": {
        "full": "Volledige beschrijving",
        "title": "{name} (algoritme, {organisation})",
        "page": (
            "Beschrijving algoritme (webpagina)",
            "Volledige beschrijving op de website van {organisation}",
        ),
        "json": (
            "Algoritmebeschrijving (JSON, Publicatiestandaard {version})",
            "Machineleesbare beschrijving volgens de Algoritmeregister Publicatiestandaard {version}",
        ),
        "csv": (
            "Algoritmebeschrijving (CSV, Publicatiestandaard {version})",
            "Beschrijving als CSV in de kolomindeling van het landelijke Algoritmeregister (Publicatiestandaard {version})",
        ),
    },
    "en": {
        "full": "Full description",
        "title": "{name} (algorithm, {organisation})",
        "page": (
            "Algorithm description (web page)",
            "Full description on the website of {organisation}",
        ),
        "json": (
            "Algorithm description (JSON, Publicatiestandaard {version})",
            "Machine-readable description following the Algorithm Register Publicatiestandaard {version}",
        ),
        "csv": (
            "Algorithm description (CSV, Publicatiestandaard {version})",
            "Description as CSV in the national Algorithm Register's column layout (Publicatiestandaard {version})",
        ),
    },
}

_http_url = URLValidator(schemes=["http", "https"])


# -- shared helpers --------------------------------------------------------------


def is_http_url(value) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:
        _http_url(value)
    except ValidationError:
        return False
    return True


def http_uris(values) -> list[str]:
    """The web addresses among ``values``, stripped, in order, without repeats."""
    result = []
    for value in values:
        value = (value or "").strip() if isinstance(value, str) else ""
        if is_http_url(value) and value not in result:
            result.append(value)
    return result


def links(entry: dict, key: str) -> list[str]:
    """The links of one of the standard's groupings."""
    return [row.get("link") or "" for row in entry.get(key) or [] if isinstance(row, dict)]


def plain_text(value) -> str:
    """Text of an HTML fragment on one line: tags dropped, entities decoded, spaces folded."""
    return " ".join(strip_html(value or "").split())


def texts(context: EntryContext) -> dict:
    return TEXTS["en" if (context.language or "").startswith("en") else "nl"]


def language_uri(code: str) -> str:
    return LANGUAGE + LANGUAGES.get((code or "").lower(), "NLD")


def notes(context: EntryContext) -> str:
    """Short description, goal and a link to the full description (Markdown)."""
    entry = context.entry
    english = (context.language or "").startswith("en")
    parts = [plain_text(entry.get("description_short"))]
    goal = plain_text(entry.get("goal"))
    if goal:
        definition = standard.get("goal")
        label = definition.title_en if english and definition.title_en else definition.title_nl
        parts.append(f"**{label}**\n\n{goal}")
    if context.public_url:
        parts.append(f"{texts(context)['full']}: {context.public_url}")
    return "\n\n".join(part for part in parts if part)


def clean_tag(text: str) -> str:
    """A tag CKAN accepts: ``[\\w \\-.]``, at most 100 characters (may come out too short)."""
    text = " ".join(TAG_JUNK.sub(" ", text or "").split())
    return text[: donl_rules.TAG_MAX].strip()


def tags(context: EntryContext) -> list[dict]:
    """ "algoritme", "algoritmeregister", the entry's keywords and its publication category."""
    entry = context.entry
    raw = [
        *FIXED_TAGS,
        *TAG_SPLIT.split(entry.get("tags") or ""),
        entry.get("publication_category") or "",
    ]
    result, seen = [], set()
    for text in raw:
        tag = clean_tag(text)
        if len(tag) >= donl_rules.TAG_MIN and tag.casefold() not in seen:
            seen.add(tag.casefold())
            result.append({"name": tag})
    return result


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
    if portal.authority_uri:
        return portal.authority_uri
    code = (context.organisation_code or "").strip().lower()
    organisation = organisations.get(code)
    kind = organisation.kind if organisation else None
    if kind is None and TOOI_CODE.match(code):
        kind = TOOI_KINDS[code[:2]]
    return f"{TOOI}{kind}/{code}" if kind else ""


def contact_name(context: EntryContext) -> str:
    parts = [
        context.organisation_name or context.entry.get("organization") or "",
        context.department,
    ]
    return ", ".join(part.strip() for part in parts if part and part.strip())


def contact_methods(context: EntryContext) -> tuple[str, str]:
    """``(email, website)`` from the entry's contact: one of them is filled.

    The standard's contact is an e-mail address or a web address. Should it be
    neither, the entry's website (or else its page) is the way to reach the
    organisation, so the contact-point rule still holds.
    """
    value = (context.entry.get("contact_email") or "").strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :]
    if donl_rules.is_email(value):
        return value, ""
    if is_http_url(value):
        return "", value
    fallback = http_uris([context.entry.get("website"), context.public_url])
    return "", fallback[0] if fallback else ""


def resource_texts(context: EntryContext, key: str) -> tuple[str, str]:
    name, description = texts(context)[key]
    values = {
        "organisation": context.organisation_name or context.entry.get("organization") or "",
        "version": standard.VERSION,
    }
    return name.format(**values), description.format(**values)


def theme_uris(entry: dict) -> list[str]:
    """OWMS theme URIs of the entry's themes (in the packaged list), else Bestuur."""
    known = donl_rules.themes()
    result = []
    for value in entry.get("category") or []:
        uri = THEMES.get(value)
        if uri in known and uri not in result:
            result.append(uri)
    return result or [FALLBACK_THEME]


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
    organisation = (context.organisation_name or context.entry.get("organization") or "").strip()
    # The organisation in the title keeps titles apart across the portal's
    # municipalities (several publish e.g. "Parkeerscan") and helps search.
    if not organisation or organisation.casefold() in name.casefold():
        return name
    return texts(context)["title"].format(name=name, organisation=organisation)


def _resources(context: EntryContext, license_id: str) -> list[dict]:
    metadata_language = language_uri(context.language)
    language = [language_uri(context.entry.get("lang") or context.language)]
    result = []
    for key, attribute, file_type, media_type in RESOURCES:
        name, description = resource_texts(context, key)
        result.append(
            {
                "_key": key,
                "url": getattr(context, attribute),
                "name": name,
                "description": description,
                "format": FILE_TYPE + file_type,
                "mimetype": media_type,
                "metadata_language": metadata_language,
                "language": language,
                "license_id": license_id,
            }
        )
    return result


class DonlProfile:
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
        rules = donl_rules.config()["validation"]
        license_id = portal.license_id or CC0
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
                "metadata_language": language_uri(context.language),
                "language": [language_uri(entry.get("lang") or context.language)],
                "license_id": license_id,
                "access_rights": rules["public_uri"],
                "theme": theme_uris(entry),
                "tags": tags(context),
                "modified": donl_datetime(context.modified),
                "issued": donl_datetime(context.issued),
                # The dataset is the description, which stays available for every
                # status: retired ("Buiten gebruik") algorithms stay published for
                # transparency, and "In ontwikkeling" is described already. DONL's
                # gepland/in_onderzoek would also demand a date_planned.
                # UNCERTAIN: whether KOOP prefers niet_beschikbaar for retired ones.
                "dataset_status": rules["available_uri"],
                "frequency": FREQUENCY_IRREGULAR,
                "conforms_to": [STANDARD_URI],
                "temporal_start": donl_datetime(begin),
                "temporal_end": donl_datetime(end) if end and (not begin or begin < end) else "",
                **legal_foundation(entry),
                "documentation": http_uris(
                    [*links(entry, "impacttoetsen_grouping"), entry.get("process_index_url")]
                ),
                "related_resource": http_uris(
                    [entry.get("publiccode"), *links(entry, "source_data_grouping")]
                ),
                "resources": _resources(context, license_id),
            }
        )
        # Optional fields are left out rather than sent empty.
        return {key: value for key, value in payload.items() if value not in ("", [], None)}

    def validate(self, payload: dict) -> dict[str, list[str]]:
        return donl_rules.validate(payload)


PROFILE = DonlProfile()
