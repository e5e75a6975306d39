"""The glossary page of a register (``<register URL>glossary/``): every word explained."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control

from wagtail_algoregister.conf import algoregister_settings


def register_glossary(request, register):
    """The words explained in the reader's language, A to Z, each with an anchor to link to."""
    glossary = register.glossary(request)
    response = TemplateResponse(
        request,
        "wagtail_algoregister/glossary.html",
        {
            # What Wagtail gives a page's template, without the register's listing.
            "page": register,
            "self": register,
            "base_template": algoregister_settings.BASE_TEMPLATE,
            "glossary": glossary.linker(),
        },
    )
    patch_cache_control(response, public=True, no_cache=True)
    return response
