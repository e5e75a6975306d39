"""Template helpers that present an entry by the standard's definitions.

``{% load algoregister_entry %}``: the rows of an entry (one field, its label and its
value ready to show), grouped by the resident's questions (:mod:`..standard.questions`),
and ``linkify`` for addresses in texts.
"""

import datetime
import re
from dataclasses import dataclass

from django import template
from django.utils.formats import date_format
from django.utils.html import urlize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from wagtail.rich_text import expand_db_html

from wagtail_algoregister import standard
from wagtail_algoregister.standard import questions
from wagtail_algoregister.standard.validation import (
    clean_html,
    is_email,
    is_web_address,
    is_year_month,
)


register = template.Library()

# A value becomes a link only as an absolute http(s) address: never ``javascript:``,
# ``data:`` or anything else a browser would run. Browsers ignore tabs and newlines in
# a URL and whitespace around it, so those are left out before the check.
_HTTP_URL = re.compile(r"https?://[^\s/?#]", re.I)


@register.filter
def http_url(value):
    """``value`` as an address to link to when it is an http(s) URL, else ``""`` (the
    template then shows the value as text)."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if not _HTTP_URL.match(re.sub(r"[\t\n\r]", "", value)):
        return ""
    # Several addresses on lines of their own, or words around one, stay text.
    return value if is_web_address(value) else ""


_TAG = re.compile(r"(<[^>]*>)")
_LINK_START = re.compile(r"<a[\s>]", re.I)
_LINK_END = re.compile(r"</a\s*>", re.I)


def linkify_html(value):
    """Web and e-mail addresses in the text of cleaned HTML as links.

    ``value`` is HTML already cleaned (the standard's tags, or Wagtail's rich text with
    its text escaped), so splitting on tags is safe; Django's ``urlize`` links each
    text part outside existing links. It only ever makes http(s) and mailto links.
    """
    out, in_link = [], False
    for index, part in enumerate(_TAG.split(str(value))):
        if index % 2:  # a tag
            if _LINK_START.match(part):
                in_link = True
            elif _LINK_END.match(part):
                in_link = False
            out.append(part)
        else:
            out.append(part if in_link else urlize(part, nofollow=True, autoescape=False))
    return mark_safe("".join(out))  # noqa: S308 - text parts were escaped already


@register.filter(is_safe=True)
def richtext_linked(value):
    """A Wagtail rich-text value as HTML (like ``|richtext``), with its bare addresses linked."""
    return linkify_html(expand_db_html(value or ""))


@register.filter(is_safe=True)
def linkify(value):
    """Plain text with its web and e-mail addresses as links: escaped first, then linked."""
    if value in (None, ""):
        return ""
    return mark_safe(urlize(str(value), nofollow=True, autoescape=True))  # noqa: S308


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
        if d.key == "lang":
            # "nld" means nothing to a resident: the language's name in the active language.
            try:
                return get_language_info(standard.language_tag(value))["name_translated"]
            except KeyError:
                return value
        if d.is_multiple_choice:
            return [d.value_label(v) for v in value]
        if d.is_choice:
            return d.value_label(value)
        if d.is_rich_text:
            # Stored HTML is already restricted to the standard's tags; cleaning
            # again on output keeps unsaved previews and old revisions just as safe.
            return linkify_html(clean_html(value, d.allowed_html_tags))
        if d.format == "year_month" and is_year_month(value):
            return date_format(datetime.date(int(value[:4]), int(value[5:]), 1), "F Y")
        return value

    @property
    def is_email(self):
        return self.kind == "email_or_url" and is_email(str(self.value).strip())

    @property
    def href(self):
        """The link of a web or e-mail address value (``""`` when it is no safe link)."""
        if self.is_email:
            return f"mailto:{str(self.value).strip()}"
        return http_url(self.value)

    @property
    def links(self):
        """A link grouping's items as ``{"title", "href", "text"}``: ``href`` when the link
        is a web address, else ``text`` holds what the link field says (shown as text)."""
        items = []
        for item in self.value or ():
            link = str(item.get("link") or "").strip()
            href = http_url(link)
            items.append(
                {"title": item.get("title", ""), "href": href, "text": "" if href else link}
            )
        return items


def rows_for(page, keys):
    return [Row(standard.get(key), page.standard_value(key)) for key in keys]


def shown_rows(page, keys):
    """Filled fields, and empty ones the standard wants shown (as "not filled in")."""
    return [row for row in rows_for(page, keys) if not row.is_empty or row.definition.show_always]


@register.simple_tag
def entry_questions(page):
    """The resident's questions with the rows that answer them, in the page's order.

    A question without anything to show is left out (with its contents-list entry).
    Each item: ``{"key", "anchor", "title", "rows"}``.
    """
    result = []
    for question in questions.QUESTIONS:
        rows = shown_rows(page, question.keys)
        if rows or question.key == "questions":
            result.append(
                {
                    "key": question.key,
                    "anchor": question.anchor,
                    "title": question.title,
                    "rows": rows,
                }
            )
    return result


@register.simple_tag
def entry_details(page):
    """The bookkeeping fields (source, id, language, version, tags), when filled."""
    return [row for row in rows_for(page, questions.DETAIL_KEYS) if not row.is_empty]


@register.simple_tag
def entry_sections(page):
    """The national detail page's three sections, with the rows to show in each.

    Kept for sites whose own templates copied an earlier entry page; the packaged
    page is built on :func:`entry_questions`.
    """
    return [
        {"key": section.key, "label": section.label, "rows": shown_rows(page, section.keys)}
        for section in standard.sections()
    ]


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
