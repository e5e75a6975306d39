"""Publicatiestandaard 1.0 of the national Algoritmeregister, as data.

This module is the one place that knows the standard's fields. It loads the
packaged copy of the national register's own field definitions
(``data/publicatiestandaard_v1_0.json``, EUPL-1.2, see ``data/LICENSE-NOTE.md``)
and exposes them as :class:`FieldDef` objects. Models, admin panels, validation,
templates, import and export all read these definitions; no field list is typed
anywhere else.

Texts come in Dutch (the standard's own words) and English
(``data/translations_en.json``); :func:`localized` picks one by the active
language, so labels follow the visitor's or editor's language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from django.utils.functional import lazy
from django.utils.translation import get_language


VERSION = "1.0"
# Where the standard is published (its handbook says so): what descriptions conform to.
URI = "https://regels.overheid.nl/standaarden/algoritmeregister-publicatiestandaard"

# Keys the national register assigns itself; they are never input.
SYSTEM_KEYS = ("lars", "publication_dt")

# Formats the JSON states only in prose ("yyyy-mm", "Begin een URL met https://").
FORMATS = {
    "begin_date": "year_month",
    "end_date": "year_month",
    "contact_email": "email_or_url",
    "website": "url",
    "url": "url",
    "process_index_url": "url",
    "publiccode": "url",
    # The standard permits block tags here, but the register treats it as a
    # comma-separated keyword list, so it is edited as plain text.
    "tags": "plain_text",
}

# Where a key is stored when it is not an attribute of the same name: the
# standard's ``name`` is the page title, and ``url`` would hide ``Page.url``.
ATTRIBUTES = {"name": "title", "url": "source_url"}


def _load(name):
    return json.loads(resources.files(__package__).joinpath("data", name).read_text("utf-8"))


def _pick(nl, en):
    language = get_language() or ""
    return en if language.startswith("en") and en else nl


localized = lazy(_pick, str)
"""``localized(nl, en)``: a lazy string in the active language (Dutch by default)."""


@dataclass(frozen=True)
class FieldDef:
    """One field of the standard, as the national register defines it."""

    key: str
    type: str
    title_nl: str
    title_en: str = ""
    help_text_nl: str = ""
    help_text_en: str = ""
    instructions_nl: str = ""
    instructions_en: str = ""
    example: object = None
    max_length: int | None = None
    required: bool = False
    show_always: bool = False
    permitted_values: tuple[str, ...] = ()
    recommended_items: tuple[str, ...] = ()
    allowed_html_tags: tuple[str, ...] = ()
    format: str = ""
    items: dict[str, FieldDef] = field(default_factory=dict)

    @property
    def label(self):
        return localized(self.title_nl, self.title_en)

    @property
    def help_text(self):
        return localized(self.help_text_nl, self.help_text_en)

    @property
    def instructions(self):
        return localized(self.instructions_nl, self.instructions_en)

    @property
    def attribute(self):
        """Name of the model attribute (or related name) that stores this key."""
        return ATTRIBUTES.get(self.key, self.key)

    @property
    def is_rich_text(self):
        return bool(self.allowed_html_tags) and self.format != "plain_text"

    @property
    def is_grouping(self):
        return bool(self.items)

    @property
    def is_multiple_choice(self):
        return self.type == "array" and bool(self.permitted_values)

    @property
    def is_choice(self):
        return self.type == "enum"

    def value_label(self, value):
        """The label of one vocabulary value in the active language."""
        return localized(value, _translations()["values"].get(self.key, {}).get(value, ""))

    @property
    def choices(self):
        return [(value, self.value_label(value)) for value in self.permitted_values]


def _bool(value):
    # One definition in the source says "required": "false" (a string).
    return value is True or value == "true"


def _field_def(key, spec, en, items_en=None):
    items = {}
    for item_key, item_spec in (spec.get("items") or {}).items():
        items[item_key] = _field_def(item_key, item_spec, (items_en or {}).get(item_key, {}))
    return FieldDef(
        key=key,
        type=spec.get("type", "string"),
        title_nl=spec.get("title", key),
        title_en=en.get("title", ""),
        help_text_nl=spec.get("help_text", ""),
        help_text_en=en.get("help_text", ""),
        instructions_nl=spec.get("instructions", ""),
        instructions_en=en.get("instructions", ""),
        example=spec.get("example"),
        max_length=spec.get("max_length"),
        required=_bool(spec.get("required")),
        show_always=_bool(spec.get("show_always")),
        permitted_values=tuple(spec.get("permitted_values") or ()),
        recommended_items=tuple(spec.get("recommended_items") or ()),
        allowed_html_tags=tuple(spec.get("allowed_html_tags") or ()),
        format=FORMATS.get(key, ""),
        items=items,
    )


@cache
def _translations():
    return _load("translations_en.json")


@cache
def all_fields() -> dict[str, FieldDef]:
    """Every property of the standard, system keys included, in the standard's order."""
    source = _load("publicatiestandaard_v1_0.json")["properties"]
    translations = _translations()
    return {
        key: _field_def(
            key,
            spec,
            translations["fields"].get(key, {}),
            translations.get("items", {}).get(key),
        )
        for key, spec in source.items()
    }


@cache
def input_fields() -> dict[str, FieldDef]:
    """The standard's input keys (everything but what the national register assigns)."""
    return {key: f for key, f in all_fields().items() if key not in SYSTEM_KEYS}


def get(key) -> FieldDef:
    return all_fields()[key]


def grouping_fields() -> list[FieldDef]:
    return [f for f in input_fields().values() if f.is_grouping]


def scalar_fields() -> list[FieldDef]:
    """Input fields stored as a column of the entry (all but the link groupings)."""
    return [f for f in input_fields().values() if not f.is_grouping]


@cache
def layout():
    """The national detail page's grouping: a card and three sections of keys."""
    return _load("detailpage_layout_v1_0.json")


@dataclass(frozen=True)
class Section:
    key: str
    title_nl: str
    title_en: str
    keys: tuple[str, ...]

    @property
    def label(self):
        return localized(self.title_nl, self.title_en)

    @property
    def fields(self):
        return [get(key) for key in self.keys]


SECTION_TITLES_EN = {
    "algemeneInformatie": "General information",
    "verantwoordGebruik": "Responsible use",
    "werking": "Operation",
}


@cache
def sections() -> tuple[Section, ...]:
    """The three sections of the national detail page, in order."""
    return tuple(
        Section(tab["key"], tab["label"], SECTION_TITLES_EN.get(tab["key"], ""), tuple(tab["rows"]))
        for tab in layout()["tabsGrouping"]
    )


@cache
def card_keys() -> tuple[str, ...]:
    """Keys the national register shows on its search-result card."""
    card = layout()["cardGrouping"]
    return (card["mainElement"], *card["subElements"])


@cache
def metadata_keys() -> tuple[str, ...]:
    """Input keys the detail page never shows (language, version, ids, tags)."""
    shown = {"name", "organization", *card_keys()}
    for section in sections():
        shown.update(section.keys)
    return tuple(key for key in input_fields() if key not in shown)


# ISO 639-3 codes of the ``lang`` key -> language tags (BCP 47), for HTML, JSON-LD and
# Django's language names. Version 1.0 allows only "nld"; older versions knew more.
LANGUAGE_TAGS = {"nld": "nl", "dut": "nl", "eng": "en", "fry": "fy"}


def language_tag(code: str) -> str:
    """The language tag (``"nl"``) of a ``lang`` value (``"nld"``), else the value itself."""
    return LANGUAGE_TAGS.get((code or "").lower(), code or "")
