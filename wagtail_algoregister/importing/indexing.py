"""The search and reference indexes of imported entries: switched off while an import
writes, then updated once per entry, in bulk (by :mod:`.tasks`)."""

from __future__ import annotations

from contextlib import contextmanager

from django.db.models.signals import post_save
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmPage


INDEX_CHUNK = 500  # entries indexed per task (and per prefetch of their links)


@contextmanager
def deferred_indexing():
    """Index the written entries once, at the end, instead of on each of their saves.

    Creating and publishing an entry saves its page three times (``add_child``, the
    revision, publication), and each save would update the search index and Wagtail's
    reference index (inline, or as a task per save). Within this block the search
    index's save handler for entries is disconnected and the reference index's
    switched off; the caller indexes the entries it wrote once, in bulk
    (:func:`index_entries`, through :mod:`.tasks`). Meant for the import command,
    which runs alone in its process.
    """
    disconnected = post_save.disconnect(post_save_signal_handler, sender=AlgorithmPage)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        if disconnected:
            post_save.connect(post_save_signal_handler, sender=AlgorithmPage)


def index_pages(pages):
    """Update the search index (in bulk) and the reference index of ``pages``."""
    if not pages:
        return
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(AlgorithmPage, pages)
    for page in pages:
        ReferenceIndex.create_or_update_for_object(page)


def index_entries(pks):
    """Index the entries with these page ids (see :mod:`.tasks`)."""
    groupings = [d.attribute for d in standard.grouping_fields()]
    # The search index reads the link groupings: prefetched.
    index_pages(list(AlgorithmPage.objects.filter(pk__in=pks).prefetch_related(*groupings)))
