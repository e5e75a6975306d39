"""The register as a DCAT catalogue: ``catalog.ttl``, ``catalog.jsonld``, ``catalog.rdf``
and ``catalog/`` (content negotiation on ``Accept``, Turtle by default), relative to the
register page, paged with ``?page=N`` (see :mod:`wagtail_algoregister.formats.dcat`).

Never a partial catalogue with HTTP 200: a page is written completely in memory (by
the writers of :mod:`wagtail_algoregister.formats.rdf`, not rdflib: fast enough for pages of a
thousand entries) before the response starts, and any failure on the way gives 503 (a harvester
then keeps what it has, instead of deleting what a short catalogue leaves out).
"""

from __future__ import annotations

import hashlib
import logging

from django.db.models import Max
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from wagtail.models import PageLogEntry

from wagtail_algoregister.formats import dcat, rdf
from wagtail_algoregister.listing.params import BadParameter, page_number, whole_number


logger = logging.getLogger(__name__)

# extension -> (writer in wagtail_algoregister.formats.rdf, media type)
FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("xml", "application/rdf+xml"),
}
MEDIA_TYPES = {media_type: fmt for fmt, (_serializer, media_type) in FORMATS.items()}
RETRY_AFTER = 300  # seconds


def catalog_view(request, register, fmt):
    """``fmt`` is the extension of ``catalog.<fmt>``, or None for ``catalog/``."""
    negotiated = fmt is None
    if negotiated:
        fmt = negotiate(request)
        if fmt is None:
            return HttpResponse(
                "Not acceptable. Available: " + ", ".join(MEDIA_TYPES) + "\n",
                status=406,
                content_type="text/plain; charset=utf-8",
                headers={"Vary": "Accept"},
            )
    elif fmt not in FORMATS:
        raise Http404
    try:
        number = page_number(request.GET)
        after = whole_number(request.GET, "after")
    except BadParameter as error:
        # A client error: 503 would tell a harvester to come back and ask again.
        return HttpResponseBadRequest(f"{error}\n", content_type="text/plain; charset=utf-8")

    register_url = register.full_url or ""
    collection_url = (
        dcat.catalog_uri(register_url) if negotiated else f"{register_url}catalog.{fmt}"
    )
    serializer, media_type = FORMATS[fmt]
    try:
        output = rdf.writer(serializer, dcat.PREFIXES)
        page = dcat.build_catalog(
            register, page=number, after=after, collection_url=collection_url, output=output
        )
        body = output.getvalue()
    except dcat.PageNotFound:
        raise Http404 from None
    except Exception:
        # Whatever went wrong (database, a bad value, a bug), nothing has been sent
        # yet: answer "try again later", never a catalogue with entries missing.
        logger.exception("DCAT catalogue of register %s (page %s) failed", register.pk, number)
        return HttpResponse(
            "The catalogue is temporarily unavailable.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"},
        )

    response = HttpResponse(body, content_type=f"{media_type}; charset=utf-8")
    rels = {"first": "first", "last": "last", "previous": "prev", "next": "next"}
    response["Link"] = ", ".join(f'<{url}>; rel="{rels[name]}"' for name, url in page.links.items())
    if negotiated:
        response["Content-Location"] = dcat.page_url(
            f"{register_url}catalog.{fmt}", number, after=after
        )
        patch_vary_headers(response, ["Accept"])
    return finish(request, response, page.modified)


def finish(request, response, modified):
    """Validators and cache headers of a complete machine-readable response.

    The ETag is a hash of the body. Last-Modified must never be older than the
    content, but unpublishing, deleting, moving or restricting an entry does not
    touch the remaining entries' dates: so it is the later of ``modified`` and the
    newest entry of Wagtail's page history (site-wide, one indexed query). It may
    move on when nothing here changed; it never stays behind a change.
    """

    response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    latest = PageLogEntry.objects.aggregate(latest=Max("timestamp"))["latest"]
    times = [t for t in (modified, latest) if t is not None]
    last_modified = int(max(times).timestamp()) if times else None
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "no-cache"  # may be stored, but revalidated every time
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )


def negotiate(request) -> str | None:
    """The format the client prefers among ours (Turtle when it accepts anything)."""
    media_type = request.get_preferred_type(list(MEDIA_TYPES))
    return MEDIA_TYPES.get(str(media_type)) if media_type else None
