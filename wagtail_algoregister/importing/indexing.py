"""The search and reference indexes of imported entries: once per entry, in bulk.

Creating and publishing an entry saves its page three times (``add_child``, the
revision, publication), and each save would update the search index and Wagtail's
reference index (inline, or as a task per save). The import writes inside
:func:`deferred_indexing` and then enqueues one task per :data:`INDEX_CHUNK` entries
(:mod:`.tasks`), which calls :func:`index_entries`.
"""

from __future__ import annotations

from contextlib import contextmanager

from .. import standard


INDEX_CHUNK = 500  # entries indexed per bulk call (and per prefetch of their links)


@contextmanager
def deferred_indexing():
    """Within this block the search index's save handler for entries is disconnected and
    the reference index's switched off; the caller indexes what it wrote, in bulk.
    Meant for the import, which runs alone in its process (or request).
    """
    from django.db.models.signals import post_save
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from ..models import AlgorithmPage

    disconnected = post_save.disconnect(post_save_signal_handler, sender=AlgorithmPage)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        if disconnected:
            post_save.connect(post_save_signal_handler, sender=AlgorithmPage)


def index_pages(pages) -> None:
    """Update the search index (in bulk) and the reference index of ``pages``."""
    from modelsearch.backends import get_search_backends
    from wagtail.models import ReferenceIndex

    from ..models import AlgorithmPage

    if not pages:
        return
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(AlgorithmPage, pages)
    for page in pages:
        ReferenceIndex.create_or_update_for_object(page)


def index_entries(pks) -> None:
    """Index the entries with these page ids (see :mod:`.tasks`)."""
    from ..models import AlgorithmPage

    groupings = [d.attribute for d in standard.grouping_fields()]
    # The search index reads the link groupings: prefetched.
    index_pages(list(AlgorithmPage.objects.filter(pk__in=pks).prefetch_related(*groupings)))
