"""An entry's identifier URI (``<register>/id/<translation key>/``) resolves to its page.

The URI names the algorithm, not one language version of it: every version shares the
translation key. It redirects to the version in the language of the request (the URL's
language prefix, i.e. the active language) when that version is live and public, else
to the default language's, else to any other public version. Drafts and entries behind
a view restriction (on themselves or an ancestor) do not resolve: 404.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.utils import translation
from wagtail.models import Locale

from wagtail_algoregister.models import AlgorithmPage


def resolve_identifier(request, key):
    versions = list(
        AlgorithmPage.objects.live().public().filter(translation_key=key).select_related("locale")
    )
    if not versions:
        raise Http404
    asked = (translation.get_language() or "").lower()
    default = Locale.get_default().pk

    def preference(page):
        code = page.locale.language_code.lower()
        return (
            not (code == asked or asked.split("-")[0] == code),
            page.locale_id != default,
            page.locale_id,
        )

    for page in sorted(versions, key=preference):
        url = page.get_url(request)
        if url:  # None when the page is in no site
            return redirect(url, permanent=False)
    raise Http404
