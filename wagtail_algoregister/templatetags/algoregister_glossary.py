"""Template helpers of the words explained (``{% load algoregister_glossary %}``).

The pages put a :class:`~wagtail_algoregister.glossary.matching.Linker` in their
context as ``glossary`` (see the page models' ``get_context``); these tags read it.
"""

from django import template
from django.utils.safestring import SafeData

from wagtail_algoregister import standard


register = template.Library()

# The entry's facts box: the keys whose labels and values it shows.
FACT_KEYS = ("status", "publication_category", "impacttoetsen_grouping")


def _glossary(context):
    glossary = context.get("glossary")
    return glossary if glossary else None


@register.simple_tag(takes_context=True)
def facet_terms(context, facet):
    """The words explained that a filter of the register uses (its heading and its options)."""
    glossary = _glossary(context)
    if glossary is None:
        return []
    options = getattr(facet, "options", None) or []
    return glossary.find(facet.label, *(option.label for option in options))


@register.simple_tag(takes_context=True)
def fact_terms(context, page):
    """The words explained that the entry's facts box uses (labels and values)."""
    glossary = _glossary(context)
    if glossary is None:
        return []
    texts = []
    for key in FACT_KEYS:
        definition = standard.get(key)
        value = page.standard_value(key)
        texts.append(definition.label)
        if definition.is_grouping:
            texts += [item.get("title", "") for item in value or []]
        elif definition.is_choice and value:
            texts.append(definition.value_label(value))
    return glossary.find(*texts)


@register.filter
def link_terms(value, glossary):
    """``value`` with each word explained linked to the glossary, the first time on the page.

    Safe HTML stays HTML; anything else is text and is escaped first. ``glossary`` is
    the page's linker; without one the value is returned as it is.
    """
    if not glossary or not hasattr(glossary, "link_html"):
        return value
    if isinstance(value, SafeData):
        return glossary.link_html(value)
    return glossary.link_text(value)
