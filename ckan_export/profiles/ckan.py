"""A plain CKAN dataset, also accepted by ckanext-scheming with ckanext-dcat's DCAT-AP schemas.

Plain CKAN keeps the core fields and ``extras``; the standard's other values go
into extras named ``algoritme_<key>`` (strings only), so they never clash with
a schema field: ckanext-scheming rejects an extra that has the name of one of
its fields ("There is a schema field with the same name").

DCAT values also go into the top-level fields of ckanext-dcat's
``dcat_ap_full.yaml`` / ``dcat_ap_recommended.yaml`` schemas where that is
easy. Plain CKAN ignores unknown top-level keys whose value is a string or a
list of strings, so those are always sent. It does *not* ignore a list of
objects: CKAN files those under ``__junk`` and refuses the whole dataset. The
repeating-subfield fields (``contact``, ``publisher``, ``temporal_coverage``)
are therefore sent only to portals that set ``DATASET_TYPE``, which says the
portal runs ckanext-scheming (``"dataset"`` for ckanext-dcat's schemas).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wagtail_algoregister import standard
from wagtail_algoregister.formats.context import EntryContext
from wagtail_algoregister.formats.dataset import (
    TAG,
    TAG_MAX,
    TAG_MIN,
    contact_methods,
    documentation,
    http_uris,
    notes,
    plain_text,
    resource_texts,
    tags,
)
from wagtail_algoregister.standard import mappings

from ..conf import Portal
from ..donl_rules import is_uri
from .base import Profile
from .donl import donl_datetime, organisation_uri


EXTRA_PREFIX = "algoritme_"
# Standard keys that become core CKAN fields instead of extras (title, tags).
CORE_MAPPED = frozenset({"name", "tags"})
DEFAULT_LICENSE = "cc-zero"  # CKAN's default licence list: Creative Commons CCZero

# Top-level keys of CKAN's own package schema (ckan/logic/schema.py) and of
# what package_show adds: an extra with one of these names is refused.
CKAN_CORE_KEYS = frozenset(
    {
        "id",
        "name",
        "title",
        "author",
        "author_email",
        "maintainer",
        "maintainer_email",
        "license_id",
        "license_title",
        "license_url",
        "notes",
        "url",
        "version",
        "state",
        "type",
        "owner_org",
        "organization",
        "private",
        "resources",
        "tags",
        "tag_string",
        "extras",
        "groups",
        "plugin_data",
        "relationships_as_object",
        "relationships_as_subject",
        "metadata_created",
        "metadata_modified",
        "creator_user_id",
        "num_tags",
        "num_resources",
        "isopen",
        "log_message",
        "save",
        "return_to",
    }
)
# Dataset fields of ckanext-dcat's scheming schemas (ckanext/dcat/schemas/
# dcat_ap_full.yaml and dcat_ap_recommended.yaml, ckan/ckanext-dcat 2.x).
DCAT_SCHEMA_KEYS = frozenset(
    {
        "title",
        "name",
        "notes",
        "tag_string",
        "contact",
        "publisher",
        "creator",
        "license_id",
        "owner_org",
        "url",
        "issued",
        "modified",
        "version",
        "version_notes",
        "identifier",
        "frequency",
        "provenance",
        "dcat_type",
        "temporal_coverage",
        "temporal_resolution",
        "spatial_coverage",
        "spatial_resolution_in_meters",
        "access_rights",
        "alternate_identifier",
        "theme",
        "language",
        "documentation",
        "conforms_to",
        "is_referenced_by",
        "applicable_legislation",
        "has_version",
        "qualified_relation",
        "uri",
    }
)
RESERVED_KEYS = CKAN_CORE_KEYS | DCAT_SCHEMA_KEYS
# Fields that hold a list of objects: only for ckanext-scheming portals.
SCHEMING_ONLY = frozenset({"contact", "publisher", "temporal_coverage"})


def _text(definition, value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v).strip() for v in value if str(v).strip())
    if definition.is_rich_text:
        return plain_text(value)
    return "" if value is None else str(value).strip()


def extras(context: EntryContext) -> list[dict]:
    """``algoritme_identifier`` and every filled scalar field of the standard, as strings."""
    result = [{"key": EXTRA_PREFIX + "identifier", "value": context.identifier}]
    for definition in standard.scalar_fields():
        if definition.key in CORE_MAPPED:
            continue
        value = _text(definition, context.entry.get(definition.key))
        if value:
            result.append({"key": EXTRA_PREFIX + definition.key, "value": value})
    return [extra for extra in result if extra["value"]]


def theme_uris(entry: dict) -> list[str]:
    """EU data-theme URIs of the entry's themes, else GOVE."""
    return mappings.eu_theme_uris(entry.get("category"))


def _resources(context: EntryContext) -> list[dict]:
    result = []
    for distribution in mappings.DISTRIBUTIONS:
        name, description = resource_texts(context, distribution.key)
        result.append(
            {
                "_key": distribution.key,
                "url": getattr(context, distribution.attribute),
                "name": name,
                "description": description,
                "format": distribution.file_type,
                "mimetype": distribution.media_type,
            }
        )
    return result


def _scheming_fields(context: EntryContext, portal: Portal) -> dict:
    entry = context.entry
    organisation = context.organisation_name or entry.get("organization") or ""
    email, _website = contact_methods(context)
    # Only the subfields every version of the schemas has (uri, name, email).
    fields = {
        "contact": [{"name": organisation, **({"email": email} if email else {})}],
        "publisher": [
            {
                key: value
                for key, value in {
                    "name": organisation,
                    "uri": organisation_uri(context, portal),
                    "url": context.register_url,
                }.items()
                if value
            }
        ],
    }
    # dcat_date takes YYYY-MM, the standard's own form.
    period = {"start": entry.get("begin_date") or "", "end": entry.get("end_date") or ""}
    if any(period.values()):
        fields["temporal_coverage"] = [{k: v for k, v in period.items() if v}]
    return fields


class CkanProfile(Profile):
    name = "ckan"
    version = "1"
    extra_prefix = EXTRA_PREFIX  # the engine keeps remote extras without this prefix
    # ``type`` is sent when configured and never removed, so it is not listed.
    managed_keys = frozenset(
        {
            "owner_org",
            "title",
            "notes",
            "url",
            "license_id",
            "tags",
            "extras",
            "resources",
            "identifier",
            "issued",
            "modified",
            "language",
            "theme",
            "access_rights",
            "frequency",
            "conforms_to",
            "documentation",
            "alternate_identifier",
            *SCHEMING_ONLY,
        }
    )

    def build(self, context: EntryContext, portal: Portal) -> dict:
        entry = context.entry
        payload = {"owner_org": portal.organization}
        if portal.dataset_type:
            payload["type"] = portal.dataset_type
        payload.update(
            {
                "title": (entry.get("name") or "").strip(),
                "notes": notes(context),
                "url": context.public_url,
                "license_id": portal.license_id or DEFAULT_LICENSE,
                "tags": tags(context),
                "extras": extras(context),
                "resources": _resources(context),
                # ckanext-dcat (scheming) fields; plain CKAN drops them silently.
                "identifier": context.identifier,
                "issued": donl_datetime(context.issued),
                "modified": donl_datetime(context.modified),
                "language": [mappings.language_uri(entry.get("lang") or context.language)],
                "theme": theme_uris(entry),
                "access_rights": mappings.ACCESS_PUBLIC,
                "frequency": mappings.FREQUENCY_IRREGULAR,
                "conforms_to": [standard.URI],
                "documentation": http_uris(documentation(entry)),
                "alternate_identifier": [
                    v
                    for v in [(entry.get("source_id") or "").strip()]
                    if is_uri(v) and v != context.identifier
                ],
            }
        )
        if portal.dataset_type:
            payload.update(_scheming_fields(context, portal))
        return {key: value for key, value in payload.items() if value not in ("", [], None)}

    def validate(self, payload: dict) -> dict[str, list[str]]:
        return validate(payload)


def validate(payload: dict) -> dict[str, list[str]]:
    """What plain CKAN (or ckanext-scheming) would refuse, found before sending."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    for field in ("owner_org", "title", "notes"):
        if not payload.get(field):
            add(field, _("“%(field)s” is required and is missing or empty.") % {"field": field})
    keys = []
    for extra in payload.get("extras") or []:
        key = extra.get("key") if isinstance(extra, dict) else None
        value = extra.get("value") if isinstance(extra, dict) else None
        if not isinstance(key, str) or not isinstance(value, str):
            add(
                "extras",
                _("extra “%(key)s” must have a string key and a string value.") % {"key": key},
            )
            continue
        if key in RESERVED_KEYS:
            add(
                "extras",
                _(
                    "extra “%(key)s” has the name of a CKAN or DCAT schema field, which CKAN refuses."
                )
                % {"key": key},
            )
        keys.append(key)
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        add(
            "extras",
            _("“extras” has the same key more than once: %(keys)s.")
            % {"keys": ", ".join(repeated)},
        )
    names = []
    for tag in payload.get("tags") or []:
        name = tag.get("name") if isinstance(tag, dict) else None
        if not isinstance(name, str) or not TAG_MIN <= len(name) <= TAG_MAX or not TAG.match(name):
            add(
                "tags",
                _(
                    "“tags” holds “%(value)s”; a tag must be %(min)s to %(max)s characters of letters, digits, spaces, “-”, “_” and “.”."
                )
                % {"value": name, "min": TAG_MIN, "max": TAG_MAX},
            )
        names.append(name)
    if len(set(map(str, names))) < len(names):
        add("tags", _("“tags” lists the same tag more than once."))
    if "type" not in payload:
        for field in sorted(SCHEMING_ONLY & payload.keys()):
            add(
                field,
                _(
                    "“%(field)s” is a list of objects, which plain CKAN refuses; it is only sent to portals with a DATASET_TYPE (ckanext-scheming)."
                )
                % {"field": field},
            )
    resources = payload.get("resources") or []
    if not resources:
        add("resources", _("“resources” must hold at least one resource."))
    for index, resource in enumerate(resources):
        for field in ("url", "name", "format"):
            if not resource.get(field):
                add(
                    f"resources[{index}].{field}",
                    _("“%(field)s” of resource %(number)s is missing.")
                    % {"field": field, "number": index + 1},
                )
    return errors


PROFILE = CkanProfile()
