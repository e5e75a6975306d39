"""An entry's values as the import sets and compares them.

:func:`apply_candidate` sets a candidate's values on an entry (saved or not; shared by
new entries, :mod:`.bulk`, and updates, :mod:`.importer`), :func:`state` reads what an
import can change, :func:`changes` compares two states field by field (an update's
diff), and :func:`keep_formatting` keeps rich text a spreadsheet holds as plain text.
"""

from __future__ import annotations

from wagtail_algoregister import standard
from wagtail_algoregister.formats.downloads import html_to_text
from wagtail_algoregister.importing.results import FieldChange
from wagtail_algoregister.models import AlgorithmPage


LOCAL_ATTRIBUTES = ("department", "objection_procedure", "next_review_date")


def link_models():
    """``{grouping key: (attribute, link model)}``."""
    return {
        d.key: (d.attribute, AlgorithmPage._meta.get_field(d.attribute).related_model)
        for d in standard.grouping_fields()
    }


def apply_candidate(page, candidate, *, creating: bool, links=None) -> None:
    """Set the candidate's values on ``page`` (an AlgorithmPage, saved or not)."""
    links = links or link_models()
    for key, definition in standard.input_fields().items():
        value = candidate.national.get(key)
        if key in links:
            attribute, model = links[key]
            setattr(page, attribute, [model(**row) for row in value or []])
        elif key == "source_id" and not value and not creating:
            continue  # keep the entry's own id
        else:
            setattr(page, definition.attribute, value)
    if candidate.lars:
        page.lars = candidate.lars
    for attribute, value in candidate.local.items():
        setattr(page, attribute, value)


def state(page) -> dict:
    """What an import can change, to tell "unchanged" from "updated"."""
    values = {key: page.standard_value(key) for key in standard.input_fields()}
    values["lars"] = page.lars
    for attribute in LOCAL_ATTRIBUTES:
        values[attribute] = getattr(page, attribute)
    return values


def changes(before: dict, after: dict) -> list[FieldChange]:
    return [
        FieldChange(key, before.get(key), after.get(key))
        for key in after
        if before.get(key) != after.get(key)
    ]


def keep_formatting(candidate, current: dict) -> None:
    """Keep an entry's rich text where the file holds the same text without its HTML.

    Spreadsheets (the national and our own CSV/XLSX) hold rich text as plain text; an
    update from one must not strip the formatting of text that did not change.
    """
    for key, definition in standard.input_fields().items():
        new, old = candidate.national.get(key), current.get(key)
        if (
            definition.is_rich_text
            and new
            and old
            and "<" not in new  # text without any tag (the spreadsheets' form)
            and html_to_text(new) == html_to_text(old)
        ):
            candidate.national[key] = old
