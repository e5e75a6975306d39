"""An entry described as an open-data dataset: the texts, keywords, contact and links
that the site's DCAT catalogue (:mod:`.dcat`) and every exporter's mapping (the CKAN
profiles) share, as pure functions of an :class:`~.context.EntryContext`.

The vocabulary terms (themes, statuses, languages, file types, licence) are in
:mod:`wagtail_algoregister.standard.mappings`.
"""

from __future__ import annotations

import re

from wagtail_algoregister import standard
from wagtail_algoregister.standard.validation import is_email, is_web_address, strip_html

from .context import EntryContext


# Keywords become CKAN tags wherever the dataset lands (pushed, or harvested from the
# catalogue by ckanext-dcat), so they follow CKAN's tag rule
# (ckan.logic.validators.tag_name_validator / tag_length_validator).
TAG = re.compile(r"^[\w \-.]+$")
TAG_MIN, TAG_MAX = 2, 100
TAG_JUNK = re.compile(r"[^\w \-.]+")
TAG_SPLIT = re.compile(r"[,;\n]")
FIXED_TAGS = ("algoritme", "algoritmeregister")

TEXTS = {
    "nl": {
        "full": "Volledige beschrijving",
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

# One rule for what is a web address (and an e-mail address): the standard's validation's.
is_http_url = is_web_address


def http_uris(values, known: dict | None = None) -> list[str]:
    """The web addresses among ``values``, stripped, in order, without repeats.

    ``known`` remembers which values are web addresses, for a caller that sees the
    same addresses again and again (the catalogue, across a page of entries).
    """
    known = {} if known is None else known
    result = []
    for value in values:
        value = (value or "").strip() if isinstance(value, str) else ""
        is_url = known.get(value)
        if is_url is None:
            is_url = known[value] = is_http_url(value)
        if is_url and value not in result:
            result.append(value)
    return result


def links(entry: dict, key: str) -> list[str]:
    """The links of one of the standard's groupings."""
    return [row.get("link") or "" for row in entry.get(key) or [] if isinstance(row, dict)]


def documentation(entry: dict) -> list:
    """Links to documents about the algorithm: its impact assessments, its processing record."""
    return [*links(entry, "impacttoetsen_grouping"), entry.get("process_index_url")]


def related(entry: dict) -> list:
    """Links to related resources: its source code, its source data."""
    return [entry.get("publiccode"), *links(entry, "source_data_grouping")]


def plain_text(value) -> str:
    """Text of an HTML fragment on one line: tags dropped, entities decoded, spaces folded."""
    return " ".join(strip_html(value or "").split())


def texts(context: EntryContext) -> dict:
    return TEXTS["en" if (context.language or "").startswith("en") else "nl"]


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
    return text[:TAG_MAX].strip()


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
        if len(tag) >= TAG_MIN and tag.casefold() not in seen:
            seen.add(tag.casefold())
            result.append({"name": tag})
    return result


def organisation_name(context: EntryContext) -> str:
    return context.organisation_name or context.entry.get("organization") or ""


def contact_name(context: EntryContext) -> str:
    parts = [organisation_name(context), context.department]
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
    if is_email(value):
        return value, ""
    if is_http_url(value):
        return "", value
    fallback = http_uris([context.entry.get("website"), context.public_url])
    return "", fallback[0] if fallback else ""


def resource_texts(context: EntryContext, key: str) -> tuple[str, str]:
    """The name and description of one of the entry's distributions (``mappings.DISTRIBUTIONS``)."""
    name, description = texts(context)[key]
    values = {"organisation": organisation_name(context), "version": standard.VERSION}
    return name.format(**values), description.format(**values)
