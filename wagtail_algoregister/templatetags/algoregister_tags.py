"""Template helpers that present an entry by the standard's definitions."""

import datetime
from dataclasses import dataclass

from django import template
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from wagtail_algoregister import standard
from wagtail_algoregister.validation import clean_html, is_year_month


register = template.Library()


@dataclass
class Row:
    """One field of an entry, ready to show."""

    definition: standard.FieldDef
    value: object

    @property
    def key(self):
        return self.definition.key

    @property
    def label(self):
        return self.definition.label

    @property
    def is_empty(self):
        return self.value in (None, "", [], ())

    @property
    def kind(self):
        d = self.definition
        if d.is_grouping:
            return "links"
        if d.is_multiple_choice:
            return "list"
        if d.is_choice:
            return "choice"
        if d.is_rich_text:
            return "rich_text"
        return d.format or "text"

    @property
    def display(self):
        """The value as text or safe HTML; lists give lists of labels."""
        d, value = self.definition, self.value
        if self.is_empty:
            return ""
        if d.is_multiple_choice:
            return [d.value_label(v) for v in value]
        if d.is_choice:
            return d.value_label(value)
        if d.is_rich_text:
            # Stored HTML is already restricted to the standard's tags; cleaning
            # again on output keeps unsaved previews and old revisions just as safe.
            return mark_safe(clean_html(value, d.allowed_html_tags))  # noqa: S308
        if d.format == "year_month" and is_year_month(value):
            return date_format(datetime.date(int(value[:4]), int(value[5:]), 1), "F Y")
        return value

    @property
    def is_email(self):
        return (
            self.kind == "email_or_url" and "@" in str(self.value) and "://" not in str(self.value)
        )


def rows_for(page, keys):
    return [Row(standard.get(key), page.standard_value(key)) for key in keys]


@register.simple_tag
def entry_sections(page):
    """The national detail page's three sections, with the rows to show in each.

    Fields marked "show always" appear even when empty (shown as "not filled in");
    other empty fields are left out.
    """
    result = []
    for section in standard.sections():
        rows = [
            row
            for row in rows_for(page, section.keys)
            if not row.is_empty or row.definition.show_always
        ]
        result.append({"key": section.key, "label": section.label, "rows": rows})
    return result


@register.simple_tag
def entry_metadata(page):
    """The keys the national detail page does not show (language, version, ids, tags)."""
    return [row for row in rows_for(page, standard.metadata_keys()) if not row.is_empty]


@register.simple_tag
def entry_row(page, key):
    return Row(standard.get(key), page.standard_value(key))


@register.simple_tag
def field_label(key):
    return standard.get(key).label


@register.filter
def value_label(value, key):
    return standard.get(key).value_label(value)
