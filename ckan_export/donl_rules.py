"""Local checks of a dataset against DCAT-AP-DONL 1.1 as data.overheid.nl enforces it.

The rules come from packaged copies of KOOP's own files (``data/``, CC0, see
``data/LICENSE-NOTE.md``): which fields are mandatory, which hold URIs, lists
or dates (``donl-1.1-ckan-fields.json`` and the ``transformations`` and
``validation`` sections of ``ckanext-dataoverheid_config.json``) and the theme
list (``donl_owms_themes.csv``). Cross-field rules follow
``ckanext-dataoverheid``'s validators.

:func:`validate` returns ``{field: [message, ...]}``; every message names the
field and says what is wrong, in words an editor can act on.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from functools import cache
from importlib import resources
from urllib.parse import urlparse

from django.utils.translation import gettext as _

# CKAN's tag rule and the e-mail check are the core's (keywords and contacts of every
# dataset description follow them).
from wagtail_algoregister.formats.dataset import TAG, TAG_MAX, TAG_MIN, is_email


# Vocabularies whose keys are URIs (DONL 1.1: "keys = URIs").
URI_VOCABULARIES = ("DONL:", "Overheid:", "MDR:", "IANA:", "ADMS:")
# Keys the engine or CKAN handles itself; they are never required from a profile.
ENGINE_KEYS = {"name"}
# Lists in which DONL allows repeated values.
DUPLICATES_ALLOWED = {"spatial_scheme"}
CONTACT_METHODS = ("contact_point_email", "contact_point_website", "contact_point_phone")
LEGAL_FOUNDATION = ("legal_foundation_label", "legal_foundation_ref", "legal_foundation_uri")


def _read(name):
    return resources.files(__package__).joinpath("data", name).read_text("utf-8")


@cache
def fields() -> dict:
    return json.loads(_read("donl-1.1-ckan-fields.json"))


@cache
def config() -> dict:
    return json.loads(_read("ckanext-dataoverheid_config.json"))


@cache
def themes() -> dict[str, str]:
    """{theme URI: parent URI ("" for a top theme)} of OWMS TaxonomieBeleidsagenda."""
    rows = csv.DictReader(io.StringIO(_read("donl_owms_themes.csv")))
    return {row["theme_uri"]: row["parent_theme_uri"] or "" for row in rows}


def _is_uri_field(spec) -> bool:
    return "URI" in spec.get("format", "") or spec.get("vocabulary", "").startswith(
        URI_VOCABULARIES
    )


@cache
def rules(kind: str) -> dict[str, frozenset]:
    """The field sets of ``kind`` ("dataset" or "resource") as the packaged data defines them."""
    specs = fields()[kind]
    transformations = config()["transformations"]["package" if kind == "dataset" else "resource"]
    required = {
        s["field"]
        for s in specs
        if s["level"] == "mandatory" or (s["level"] == "required (CKAN)" and kind == "dataset")
    }
    uris = {s["field"] for s in specs if _is_uri_field(s)}
    if kind == "resource":
        uris.add("url")  # the access URL: absolute, or the link is useless
    return {
        "required": frozenset(required - ENGINE_KEYS),
        "uri": frozenset(uris),
        "list": frozenset(transformations["multi_valued"]),
        "date": frozenset(transformations["date"]),
        "known": frozenset(s["field"] for s in specs),
    }


def date_format() -> str:
    return config()["validation"]["dates"]["format"]


# -- single values ---------------------------------------------------------------


def is_uri(value) -> bool:
    """DONL's URI check: a string with a scheme and a host."""
    if not isinstance(value, str) or not value or value != value.strip():
        return False
    parsed = urlparse(value)
    return bool(parsed.scheme and parsed.netloc)


def parse_date(value) -> datetime.datetime | None:
    """The datetime of a DONL date string, or None when it does not have the exact form."""
    if not isinstance(value, str) or len(value) != 19:
        return None
    try:
        return datetime.datetime.strptime(value, date_format())
    except ValueError:
        return None


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


class _Errors(dict):
    def add(self, field, message):
        self.setdefault(field, []).append(message)


# -- the dataset -------------------------------------------------------------------


def _check_values(errors, data, kind, prefix=""):
    """Required, list, URI and date rules for one dataset or resource dict."""
    r = rules(kind)
    for field in sorted(r["required"]):
        if _empty(data.get(field)):
            errors.add(
                prefix + field,
                _("“%(field)s” is required by data.overheid.nl and is missing or empty.")
                % {"field": field},
            )
    for field, value in data.items():
        if field.startswith("_") or _empty(value):
            continue
        if field in r["list"]:
            if not isinstance(value, list):
                errors.add(
                    prefix + field,
                    _("“%(field)s” must be a list of values, not a single %(type)s.")
                    % {"field": field, "type": type(value).__name__},
                )
                continue
            values = value
            if field not in DUPLICATES_ALLOWED:
                repeated = sorted({str(v) for v in values if values.count(v) > 1})
                if repeated:
                    errors.add(
                        prefix + field,
                        _("“%(field)s” lists the same value more than once: %(values)s.")
                        % {"field": field, "values": ", ".join(repeated)},
                    )
        else:
            values = [value]
        for item in values:
            if field in r["uri"] and not is_uri(item):
                errors.add(
                    prefix + field,
                    _(
                        "“%(field)s” must be an absolute URI with a scheme and a host (such as https://…); “%(value)s” is not."
                    )
                    % {"field": field, "value": item},
                )
            if field in r["date"] and parse_date(item) is None:
                errors.add(
                    prefix + field,
                    _(
                        "“%(field)s” must be a date and time of the exact form YYYY-MM-DDTHH:MM:SS, without time zone or fractions of a second; “%(value)s” is not."
                    )
                    % {"field": field, "value": item},
                )


def _check_themes(errors, data):
    known = themes()
    for theme in data.get("theme") or []:
        if isinstance(theme, str) and theme not in known:
            errors.add(
                "theme",
                _(
                    "“theme” value “%(value)s” is not in the OWMS TaxonomieBeleidsagenda theme list that data.overheid.nl accepts."
                )
                % {"value": theme},
            )


def _check_contact(errors, data):
    if not any(not _empty(data.get(method)) for method in CONTACT_METHODS):
        errors.add(
            "contact_point_email",
            _(
                "data.overheid.nl needs a way to reach the contact point: fill at least one of %(fields)s."
            )
            % {"fields": ", ".join(CONTACT_METHODS)},
        )
    email = data.get("contact_point_email")
    if not _empty(email) and not is_email(email):
        errors.add(
            "contact_point_email",
            _("“contact_point_email” must be an e-mail address; “%(value)s” is not.")
            % {"value": email},
        )


def _check_legal_foundation(errors, data):
    present = [f for f in LEGAL_FOUNDATION if not _empty(data.get(f))]
    if present and len(present) < len(LEGAL_FOUNDATION):
        missing = [f for f in LEGAL_FOUNDATION if f not in present]
        for field in missing:
            errors.add(
                field,
                _(
                    "the legal foundation needs all three of %(fields)s or none of them; “%(field)s” is missing."
                )
                % {"fields": ", ".join(LEGAL_FOUNDATION), "field": field},
            )


def _check_temporal(errors, data):
    start, end = parse_date(data.get("temporal_start")), parse_date(data.get("temporal_end"))
    if start and end and not start < end:
        errors.add(
            "temporal_end",
            _("“temporal_end” (%(end)s) must be later than “temporal_start” (%(start)s).")
            % {"end": data["temporal_end"], "start": data["temporal_start"]},
        )


def _check_status_rules(errors, data):
    settings = config()["validation"]
    status = data.get("dataset_status") or settings["available_uri"]
    if (
        status == settings["available_uri"]
        and data.get("access_rights") == settings["public_uri"]
        and data.get("license_id") in settings["non_open_licenses"]
    ):
        errors.add(
            "license_id",
            _(
                "“license_id” must be an open licence for an available, public dataset; “%(value)s” is not."
            )
            % {"value": data["license_id"]},
        )
    if status in settings["date_planned_states"] and _empty(data.get("date_planned")):
        errors.add(
            "date_planned",
            _("“date_planned” is required when “dataset_status” is %(status)s.")
            % {"status": status},
        )


def _check_tags(errors, data):
    tags = data.get("tags")
    if _empty(tags):
        return
    if not isinstance(tags, list):
        errors.add("tags", _('“tags” must be a list of {"name": …} objects.'))
        return
    names = []
    for tag in tags:
        name = tag.get("name") if isinstance(tag, dict) else None
        if not isinstance(name, str) or not TAG_MIN <= len(name) <= TAG_MAX or not TAG.match(name):
            errors.add(
                "tags",
                _(
                    "“tags” holds “%(value)s”; a tag must be %(min)s to %(max)s characters of letters, digits, spaces, “-”, “_” and “.”."
                )
                % {"value": name, "min": TAG_MIN, "max": TAG_MAX},
            )
        names.append(name)
    repeated = sorted({str(n) for n in names if names.count(n) > 1})
    if repeated:
        errors.add(
            "tags",
            _("“tags” lists the same tag more than once: %(values)s.")
            % {"values": ", ".join(repeated)},
        )


def _check_extras(errors, data):
    """DONL fields inside ``extras`` are not read: the plugin expects them at the top level."""
    known = rules("dataset")["known"]
    for extra in data.get("extras") or []:
        key = extra.get("key") if isinstance(extra, dict) else None
        if key in known:
            errors.add(
                "extras",
                _(
                    "“%(field)s” is sent inside “extras”; data.overheid.nl only reads it as a top-level field."
                )
                % {"field": key},
            )


def _check_resources(errors, data):
    items = data.get("resources")
    if _empty(items):
        errors.add("resources", _("“resources” must hold at least one resource (distribution)."))
        return
    if not isinstance(items, list):
        errors.add("resources", _("“resources” must be a list of resources."))
        return
    for index, resource in enumerate(items):
        prefix = f"resources[{index}]."
        if not isinstance(resource, dict):
            errors.add(prefix[:-1], _("each resource must be an object."))
            continue
        _check_values(errors, resource, "resource", prefix)


def validate(payload: dict) -> dict[str, list[str]]:
    """Check a dataset for data.overheid.nl; ``{}`` when it passes.

    Keys of the result are field names (``resources[0].format`` for a resource
    field); every message names the field and the rule.
    """
    errors = _Errors()
    _check_values(errors, payload, "dataset")
    _check_themes(errors, payload)
    _check_contact(errors, payload)
    _check_legal_foundation(errors, payload)
    _check_temporal(errors, payload)
    _check_status_rules(errors, payload)
    _check_tags(errors, payload)
    _check_extras(errors, payload)
    _check_resources(errors, payload)
    return dict(errors)
