"""Mapping between entries and the national register's JSON format (v1.0 keys).

Pure functions: :func:`entry_to_national` reads a page, :func:`national_to_fields`
turns a validated national dict into model attribute values and link rows.
"""

from __future__ import annotations

from wagtail_algoregister import standard


def entry_to_national(page, *, public_url: str | None = None) -> dict:
    """One entry in the national format: every input key of the standard, in order.

    ``url`` (the link to the source registration) defaults to the entry's
    public URL, and ``source_id`` to the entry's stable id.
    """
    data = {key: page.standard_value(key) for key in standard.input_fields()}
    if not data.get("url"):
        data["url"] = public_url if public_url is not None else (page.full_url or "")
    if not data.get("source_id"):
        data["source_id"] = str(page.translation_key)
    return data


def national_to_fields(entry: dict) -> tuple[dict, dict[str, list[dict]]]:
    """Split a normalised national dict into model attributes and grouping rows."""
    attributes, groupings = {}, {}
    for key, definition in standard.input_fields().items():
        if key not in entry:
            continue
        if definition.is_grouping:
            groupings[definition.attribute] = list(entry[key] or [])
        else:
            attributes[definition.attribute] = entry[key]
    return attributes, groupings
