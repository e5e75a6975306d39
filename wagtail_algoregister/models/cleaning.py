"""The one gate every text passes on its way into a page of the register.

Whatever writes a page (the admin, the import, a data migration, code calling
``save()``), its text fields pass here before the row is stored:

- every character no XML writer or database takes is removed (control characters other
  than tab and newline, see :mod:`wagtail_algoregister.standard.text`): one such
  character in a title would take the whole Atom feed down;
- rich text that is not one of the standard's fields (those keep only the standard's
  tags, :func:`~wagtail_algoregister.standard.validation.clean_html`) is reduced to its
  field's features exactly as the admin's editor does it: through Wagtail's own
  converter (database HTML to the editor's content state and back), which keeps only the
  features' elements and attributes and only http(s), mailto and tel links; the same
  for the rich-text blocks of a StreamField.

Link fields are stored as typed (the national register stores free text too); a value
becomes a link on a page only when it is an http(s) address (the ``http_url`` filter of
``algoregister_tags``).
"""

from __future__ import annotations

import re
from functools import cache

from django.db import models
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField

from wagtail_algoregister.standard.text import remove_control_characters
from wagtail_algoregister.standard.validation import strip_html


@cache
def _converter(features):
    # app loading: wagtail.admin's converters need the page models, which are being
    # defined while this module is imported.
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    return ContentstateConverter(features=list(features) if features is not None else None)


# Elements whose content is code, not text: dropped whole (the converter would keep it as text).
_CODE = re.compile(
    r"<(script|style|template|noscript|iframe|object|svg|math)\b.*?(?:</\1\s*>|$)", re.I | re.S
)

_BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


def clean_rich_text(value, features) -> str:
    """Wagtail rich text (database format) with only what ``features`` allow."""
    value = _CODE.sub("", remove_control_characters(value or ""))
    if not value.strip():
        return ""
    converter = _converter(tuple(features) if features is not None else None)
    cleaned = converter.to_database_format(converter.from_database_format(value))
    if "data-block-key" not in value:
        # The converter numbers the blocks at random; the gate only takes away, so that
        # the same text (from code, an import) is stored the same every time.
        cleaned = _BLOCK_KEY.sub("", cleaned)
    if not strip_html(cleaned).strip() and "<embed" not in cleaned:
        return ""  # only empty paragraphs
    return cleaned


def clean_block_value(block, value):
    """The raw (JSON) value of a StreamField block, cleaned like the fields."""
    if isinstance(block, blocks.RichTextBlock):
        return clean_rich_text(value, block.features) if isinstance(value, str) else value
    if isinstance(block, blocks.StreamBlock) and isinstance(value, list):
        return [
            {**item, "value": clean_block_value(block.child_blocks[item["type"]], item["value"])}
            if isinstance(item, dict) and item.get("type") in block.child_blocks
            else item
            for item in value
        ]
    if isinstance(block, blocks.ListBlock) and isinstance(value, list):
        return [
            {**item, "value": clean_block_value(block.child_block, item["value"])}
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item
            else clean_block_value(block.child_block, item)
            for item in value
        ]
    if isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        return {
            name: clean_block_value(block.child_blocks[name], item)
            if name in block.child_blocks
            else item
            for name, item in value.items()
        }
    if isinstance(value, str):
        return remove_control_characters(value)
    return value


def clean_text_fields(instance, *, skip=()):
    """Pass every text field of ``instance`` but those named in ``skip`` through the gate."""
    for field in instance._meta.concrete_fields:
        if field.name in skip:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(field, StreamField):
            if value:
                raw = list(value.raw_data)
                cleaned = clean_block_value(field.stream_block, raw)
                if cleaned != raw:
                    setattr(instance, field.attname, cleaned)
        elif not isinstance(value, str) or not value:
            continue
        elif isinstance(field, RichTextField):
            setattr(instance, field.attname, clean_rich_text(value, field.features))
        elif isinstance(field, (models.CharField, models.TextField)):
            setattr(instance, field.attname, remove_control_characters(value))
