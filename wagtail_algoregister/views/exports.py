"""Downloads of a register (``export.csv``, ``export.xlsx``, ``export.json``) and of one entry.

Only published, public content: the entries are ``child_of(register).live().public()``,
and the database row of a live page is its published version (drafts and unpublished
changes live in revisions, which are never read here). A register or entry behind a
view restriction (password, login, groups) has no downloads: Wagtail's serve checks the
restriction before it reaches a route, and these views answer 404 for anything that is
not public, also to a visitor who has passed the restriction, because a download is open
data that anyone may pass on.

Responses stream (CSV, JSON) or are written to a temporary file and then streamed
(XLSX), so a register of any size downloads in constant memory. Each response carries an
``ETag`` (which changes when an entry is published, unpublished, moved, added or
removed, or the site's address changes) and, for information, ``Last-Modified`` (the newest publication); conditional
requests are answered from the ``ETag`` alone, since unpublishing an entry does not
change the newest publication date.
"""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max, Sum
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date
from wagtail.models import Page

from wagtail_algoregister.formats import downloads as exports
from wagtail_algoregister.models import AlgorithmPage


FORMATS = ("csv", "xlsx", "json")
# Bump when the layout of the downloads changes, so that caches fetch them again.
LAYOUT_VERSION = "1"


def published_entries(register):
    """The entries a download of ``register`` contains, in the register's tree order."""
    return AlgorithmPage.objects.child_of(register).live().public().order_by("path")


def _is_public(page) -> bool:
    return Page.objects.live().public().filter(pk=page.pk).exists()


def _etag(*parts) -> str:
    text = "|".join(str(part) for part in (LAYOUT_VERSION, *parts))
    return '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + '"'


def _wants_history(request, fmt) -> bool:
    """``?history=1``: the JSON download with every published version of each entry."""
    if request.GET.get("history") not in (None, "", "0"):
        if fmt != "json":
            raise Http404  # only the JSON download can hold the versions
        return True
    return False


def _download(request, fmt, entries, *, filename, etag, last_modified, single=False, history=False):
    """The response for one download; ``entries`` is a queryset or a list of pages."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    response = get_conditional_response(request, etag=etag)
    if response is None:
        if request.method == "HEAD":
            response = HttpResponse(content_type=exports.CONTENT_TYPES[fmt])
        elif fmt == "csv":
            response = StreamingHttpResponse(
                exports.stream_csv(entries, request=request),
                content_type=exports.CONTENT_TYPES[fmt],
            )
        elif fmt == "json":
            response = StreamingHttpResponse(
                exports.stream_json(entries, request=request, single=single, history=history),
                content_type=exports.CONTENT_TYPES[fmt],
            )
        else:
            response = FileResponse(
                exports.xlsx_file(entries, request=request),
                content_type=exports.CONTENT_TYPES[fmt],
            )
        response["Content-Disposition"] = content_disposition_header(True, filename)
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, public=True, no_cache=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def register_export(request, register, fmt):
    """The register's published, public entries as CSV, XLSX or JSON (a list of objects)."""
    if fmt not in FORMATS or not register.live or not _is_public(register):
        raise Http404
    history = _wants_history(request, fmt)
    entries = published_entries(register)
    state = entries.aggregate(count=Count("pk"), newest=Max("last_published_at"), ids=Sum("pk"))
    etag = _etag(
        "register",
        fmt,
        *(["history"] if history else []),
        register.pk,
        register.get_full_url(request),  # the entries' URLs follow the site and the register
        register.last_published_at,
        state["count"],
        state["ids"],
        state["newest"],
    )
    return _download(
        request,
        fmt,
        entries,
        filename=f"{register.slug}{'-history' if history else ''}.{fmt}",
        etag=etag,
        last_modified=state["newest"],
        history=history,
    )


def entry_export(request, entry, fmt):
    """One published, public entry as CSV, XLSX or JSON (one object).

    Reads the entry's published row from the database, never the object it was
    given (which may be a draft or a preview).
    """
    if fmt not in FORMATS:
        raise Http404
    history = _wants_history(request, fmt)
    page = exports.prepare(AlgorithmPage.objects.live().public().filter(pk=entry.pk)).first()
    if page is None:
        raise Http404
    etag = _etag(
        "entry",
        fmt,
        *(["history"] if history else []),
        page.pk,
        page.get_full_url(request),
        page.last_published_at,
    )
    return _download(
        request,
        fmt,
        [page],
        filename=f"{page.slug}{'-history' if history else ''}.{fmt}",
        etag=etag,
        last_modified=page.last_published_at,
        single=True,
        history=history,
    )
