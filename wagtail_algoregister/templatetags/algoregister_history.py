"""Template helpers of the public version history (``{% load algoregister_history %}``)."""

from django import template
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from wagtail_algoregister.standard.validation import clean_html


register = template.Library()

SAFE_SCHEMES = ("https://", "http://", "mailto:")


@register.filter
def safe_href(value):
    """``value`` when it is a web or e-mail link, else ``""`` (never javascript: or data:)."""
    value = str(value or "").strip()
    return value if value.lower().startswith(SAFE_SCHEMES) else ""


@register.filter
def email_href(value):
    value = str(value or "").strip()
    if "@" in value and "://" not in value and " " not in value:
        return f"mailto:{value}"
    return safe_href(value)


@register.filter
def version_html(shown):
    """A rich-text part of an old version as safe HTML.

    Cleaned again on output, as the entry page does: old revisions may predate
    today's rules. A local rich-text field is Wagtail's rich text.
    """
    part = shown.part
    if part.definition is not None:
        return mark_safe(clean_html(shown.value, part.definition.allowed_html_tags))  # noqa: S308
    return mark_safe(expand_db_html(shown.value or ""))  # noqa: S308 - Wagtail's own rich text
