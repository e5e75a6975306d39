"""The register pages' caches, warmed in the background after a change.

A register page keeps what reads all its entries in Django's cache under the register's
version stamp (:func:`wagtail_algoregister.listing.version_stamp`): the facet counts and
the ordered ids of its listing, and the totals of its catalogue. The stamp changes with
every page history entry of the site (publishing, unpublishing, moving, deleting,
changing a view restriction, also of pages that are not entries) and with every change
of a view restriction, so the first resident after an edit would wait while every entry
is read again (more than a second at 20,000 entries).

Instead, each such change queues :func:`warm_register_pages` once its transaction has
committed (one task per transaction, however many pages it changed), and the worker
reads those numbers for every live register's default listing (no search, no filter)
and its catalogue under the new stamp, and renders the part of the register page kept in
the cache (its filters and results) for the page's address in its language, as the first
request would have.

The worker writes Django's default cache, so this helps when the web processes read the
same cache (Redis, Memcached, the database cache, files). With Django's default
``LocMemCache`` each process has a cache of its own: a worker in another process then
warms only its own memory. With ``DummyCache`` nothing is kept, and nothing is queued.
"""

from __future__ import annotations

import functools
import logging
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django_tasks import task
from wagtail.models import Page, PageLogEntry, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from wagtail_algoregister.formats.dcat import catalog_stats
from wagtail_algoregister.listing import warm_listing
from wagtail_algoregister.models import AlgorithmRegisterPage


logger = logging.getLogger(__name__)


@task()
def warm_register_pages() -> int:
    """Read and cache the numbers of every live register page and catalogue under the
    current version stamp; returns the number of registers. Numbers already in the cache
    for that stamp are not read again, so a queue of several such tasks costs one."""
    registers = list(AlgorithmRegisterPage.objects.live())
    for register in registers:
        warm_register(register)
    return len(registers)


def warm_register(register):
    """What the first request of the register's page and of its catalogue would cache."""
    warm_listing(register.get_entries(), register)
    catalog_stats(register)
    warm_page(register)


# The part of the register page kept in the cache (its filters and results).
CACHED_LISTING = "wagtail_algoregister/includes/register_listing_cached.html"


def warm_page(register) -> bool:
    """Render the cached part of the register page, as a resident's first request of its
    address (the one Wagtail gives it, in its language, without a query) would: same
    cache key, same HTML. False when the register has no address, or its site's host is
    not in ``ALLOWED_HOSTS``; then the first request renders it."""
    parts = register.get_url_parts()
    if not parts or not parts[1] or parts[2] is None:
        return False
    address = urlsplit(parts[1])
    request = RequestFactory().get(
        parts[2], HTTP_HOST=address.netloc, secure=address.scheme == "https"
    )
    request.user = AnonymousUser()
    try:
        request.get_host()
    except DisallowedHost:
        return False
    language = register.locale.language_code if register.locale_id else settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            # The page's own context (listing, glossary...): the same HTML as a request.
            context = register.get_context(request)
            render_to_string(CACHED_LISTING, context, request=request)
    except Exception:
        # Never worse than no warm-up: the first request renders it.
        logger.exception("Could not render the listing of register %s in advance", register.pk)
        return False
    return True


# -- queueing ---------------------------------------------------------------------------


class _Batch(threading.local):
    """The warm-up of the current transaction: one, however many signals it sends."""

    current = None


_batch = _Batch()


class _WarmUp:
    queued = False


def queue_warm_up(**kwargs):
    """Queue :func:`warm_register_pages` after the current transaction commits.

    Every signal adds a commit hook, and the first hook that runs after a commit queues
    the task for all of them (a rolled-back transaction drops its hooks, so the next
    transaction still queues its own)."""
    if isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache):
        return
    warm_up = _batch.current
    if warm_up is None or warm_up.queued:
        warm_up = _batch.current = _WarmUp()
    transaction.on_commit(functools.partial(_enqueue, warm_up))


def _enqueue(warm_up):
    if warm_up.queued:
        return
    warm_up.queued = True
    try:
        warm_register_pages.enqueue()
    except Exception:
        # Publishing must not fail for it: the first request then reads the entries.
        logger.exception("Could not queue the warm-up of the register pages' caches")


def connect_signals():
    """Queue a warm-up on every change the version stamp follows (called in ``ready()``)."""
    uid = "wagtail_algoregister_warmup"
    post_save.connect(queue_warm_up, sender=PageLogEntry, dispatch_uid=f"{uid}_history")
    post_save.connect(queue_warm_up, sender=PageViewRestriction, dispatch_uid=f"{uid}_restricted")
    post_delete.connect(
        queue_warm_up, sender=PageViewRestriction, dispatch_uid=f"{uid}_unrestricted"
    )
    # A page deleted in code leaves no history entry; its parent's numchild changes. (Sent
    # for the Page row of every page type; a receiver for every sender would turn off
    # Django's fast deletes of all models.)
    post_delete.connect(queue_warm_up, sender=Page, dispatch_uid=f"{uid}_deleted")
    # Also where no history entry is written (a bulk import publishes with page_published).
    page_published.connect(queue_warm_up, dispatch_uid=f"{uid}_published")
    page_unpublished.connect(queue_warm_up, dispatch_uid=f"{uid}_unpublished")
    post_page_move.connect(queue_warm_up, dispatch_uid=f"{uid}_moved")
