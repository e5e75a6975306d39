"""Template helpers for the frame of a public page: stylesheet, breadcrumbs, description.

``{% load algoregister_page %}``.
"""

import re

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Site

from wagtail_algoregister.conf import algoregister_settings
from wagtail_algoregister.templatetags.algoregister_entry import richtext_linked


register = template.Library()

STYLESHEET = "wagtail_algoregister/css/register.css"


@register.simple_tag(takes_context=True)
def algoregister_stylesheet(context):
    """The package's stylesheet as a ``<link>``, once per request, unless the site turned it off.

    The public templates put it at the start of their content, so it loads whatever
    base template the site uses (a stylesheet link is allowed in the body); a base
    template may also put it in its ``<head>``, and the later ones are then left out.
    ``WAGTAIL_ALGOREGISTER["STYLESHEET"] = False`` leaves all styling to the site.
    """
    if not algoregister_settings.STYLESHEET:
        return ""
    request = context.get("request")
    if request is not None:
        if getattr(request, "algoregister_stylesheet_linked", False):
            return ""
        request.algoregister_stylesheet_linked = True
    return format_html('<link rel="stylesheet" href="{}">', static(STYLESHEET))


def _site_root(site, page):
    """The site's root page in ``page``'s language (its translation), else the root itself.

    The English pages of a site hang under the English home page, a translation of
    the site's root: the trail starts there.
    """
    root = site.root_page
    if page.locale_id and root.locale_id != page.locale_id:
        translated = root.get_translation_or_none(page.locale)
        if translated is not None:
            return translated
    return root


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """The page's ancestors within the current site, home first, the page itself last.

    Each item: ``{"title", "url", "current"}``.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    ancestors = page.get_ancestors(inclusive=False).filter(depth__gt=1)
    if site is not None:
        root = _site_root(site, page)
        ancestors = ancestors.filter(depth__gte=root.depth, path__startswith=root.path)
    trail = [
        {"title": ancestor.title, "url": ancestor.get_url(request), "current": False}
        for ancestor in ancestors.order_by("depth")
    ]
    trail = [item for item in trail if item["url"]]
    trail.append({"title": page.title, "url": page.get_url(request), "current": True})
    return trail


@register.filter
def meta_description(page):
    """The page's search description, or a plain-text summary of at most 160 characters."""
    text = getattr(page, "search_description", "") or getattr(page, "description_short", "")
    if not text:
        text = strip_tags(getattr(page, "intro", "") or "")
    return Truncator(" ".join(str(text).split())).chars(160)


@register.filter
def file_url(page_url, filename):
    """The URL of one of a page's files (``export.csv``, ``feed.atom``): ``<page URL>/<name>``."""
    page_url = str(page_url or "")
    return f"{page_url}{'' if page_url.endswith('/') else '/'}{filename}"


_LEAD_PARAGRAPH = re.compile(r"^\s*(<p[\s>].*?</p>)(.*)$", re.S)


@register.simple_tag
def intro_parts(value):
    """A rich-text introduction as ``{"lead", "rest"}``: its first paragraph, and the others.

    The register page shows the lead and folds the rest on small screens, so the
    results start within two screen heights at 320 px.
    """
    html = str(richtext_linked(value))
    match = _LEAD_PARAGRAPH.match(html)
    if not match or not match.group(2).strip():
        return {"lead": mark_safe(html), "rest": ""}  # noqa: S308 - Wagtail's rich text
    return {"lead": mark_safe(match.group(1)), "rest": mark_safe(match.group(2))}  # noqa: S308
