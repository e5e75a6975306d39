"""schema.org structured data (JSON-LD) for the public pages.

``{% load algoregister_json_ld %}``.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from wagtail_algoregister import standard
from wagtail_algoregister.templatetags.algoregister_languages import content_language
from wagtail_algoregister.templatetags.algoregister_page import breadcrumbs


register = template.Library()


def _absolute(request, url):
    if not url or "://" in url or request is None:
        return url
    return request.build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def entry_structured_data(context, page):
    """schema.org JSON-LD for an entry: the algorithm as a ``SoftwareApplication``.

    The entry page describes a system the organisation uses, so the thing is a
    SoftwareApplication (name, description, themes as applicationCategory, status
    as creativeWorkStatus, the organisation as publisher). The machine-readable
    *record* is described separately, as a dcat:Dataset in the register's DCAT
    catalogue; a schema.org Dataset here would describe the same record twice.
    """
    request = context.get("request")
    url = _absolute(request, page.get_url(request)) or ""
    status = standard.get("status")
    category = standard.get("category")
    application = {
        "@type": "SoftwareApplication",
        "@id": page.identifier_uri or f"{url}#algorithm",
        "name": page.title,
        "description": page.description_short,
        "url": url,
        "mainEntityOfPage": url,
        "identifier": page.identifier_uri or url,
        "publisher": {"@type": "GovernmentOrganization", "name": page.organization},
    }
    if page.category:
        application["applicationCategory"] = [str(category.value_label(v)) for v in page.category]
    if page.status:
        application["creativeWorkStatus"] = str(status.value_label(page.status))
    if page.tags:
        application["keywords"] = page.tags
    # The language this version is written in is its page's locale.
    language = content_language(page) or standard.language_tag(page.lang)
    if language:
        application["inLanguage"] = language
    if page.first_published_at:
        application["datePublished"] = page.first_published_at
    if page.last_published_at:
        application["dateModified"] = page.last_published_at
    same_as = getattr(page, "national_register_url", "")
    if same_as:
        application["sameAs"] = same_as
    trail = breadcrumbs(context, page)
    breadcrumb_list = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": number,
                "name": item["title"],
                "item": _absolute(request, item["url"]),
            }
            for number, item in enumerate(trail, start=1)
        ],
    }
    return {"@context": "https://schema.org", "@graph": [application, breadcrumb_list]}


# The escapes of django.utils.html.json_script: no "</script>" or "<!--" can end the element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """``data`` as a ``<script type="application/ld+json">``, escaped like ``json_script``."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
