"""What every exporter of entries shares: ``ckan_export`` and ``national_export``.

Both keep one record per entry, sync it under a row lock, retry transient failures
with the same backoff, compare payload hashes, send the default language's version
of an entry, and queue a sync after the commit when an entry or its register is
published, unpublished or deleted. The exporter-specific parts (the portal's API,
the record model, the task) stay in each app.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.models import Locale
from wagtail.signals import page_published, page_unpublished


MAX_ATTEMPTS = 8
# seconds: 1 min, 5 min, 30 min, 2 h, 12 h, then daily
BACKOFF = [60, 300, 1800, 7200, 43200, 86400]
COUNTED = ("created", "updated", "unchanged", "withdrawn", "failed")


@dataclass
class Outcome:
    """What one sync of one entry did."""

    action: str  # created, updated, unchanged, withdrawn, skipped, failed
    message: str = ""
    transient: bool = False
    entry: str = ""


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait before attempt ``attempts + 1``."""
    return datetime.timedelta(seconds=BACKOFF[min(attempts, len(BACKOFF)) - 1] if attempts else 0)


def retry_later(task, record, *args):
    """Queue ``task(*args)`` again at the record's next attempt (see :func:`backoff`),
    when the queue can run tasks later. Without a deferring backend (the immediate
    one) the record stays pending and the next sync command or publication picks it up.
    """
    from django.utils import timezone
    from django_tasks import default_task_backend

    if record is None or record.next_attempt_at is None:
        return
    if default_task_backend.supports_defer:
        task.using(run_after=max(record.next_attempt_at, timezone.now())).enqueue(*args)


def canonical_hash(*parts) -> str:
    """A stable hash of JSON-able parts (key order and whitespace do not matter)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_pages(key):
    """The page of an entry (the default locale's version when translated), or None."""
    from .models import AlgorithmPage

    pages = list(AlgorithmPage.objects.filter(translation_key=key).select_related("locale"))
    if not pages:
        return None
    default = Locale.get_default() if len(pages) > 1 else None
    return next((p for p in pages if default and p.locale_id == default.pk), pages[0])


def is_current(page) -> bool:
    """Whether ``page`` (read earlier) is still live/unpublished, published and placed alike.

    A page read before the row lock (a full run reads them all first) may have been
    published, unpublished or moved since, and synced by a task: read it again then.
    """
    from .models import AlgorithmPage

    return AlgorithmPage.objects.filter(
        pk=page.pk, live=page.live, last_published_at=page.last_published_at, path=page.path
    ).exists()


def connect_entry_signals(
    *, enabled: Callable[[], bool], enqueue: Callable[[object], object], prefix: str
):
    """Queue ``enqueue(translation_key)`` after the commit when an entry changes.

    ``enabled()`` is asked every time (so ``override_settings`` works, and nothing
    touches the database or the network when the exporter is not configured).
    Publishing or unpublishing a register queues all its entries: the register's
    organisation is part of every entry's payload. ``prefix`` makes the dispatch
    uids unique per exporter.
    """
    from .models import AlgorithmPage, AlgorithmRegisterPage

    def queue(entry_key):
        if enabled():
            # After the commit, so the worker sees the new state.
            transaction.on_commit(functools.partial(enqueue, entry_key))

    def on_published(sender, instance, **kwargs):
        # Wagtail also sends page_published for drafts scheduled in the future
        # (wagtail#13959): act on the live state, not on the signal.
        if instance.live:
            queue(instance.translation_key)

    def on_gone(sender, instance, **kwargs):
        queue(instance.translation_key)

    def on_register_changed(sender, instance, **kwargs):
        if not enabled():
            return
        keys = AlgorithmPage.objects.child_of(instance).values_list("translation_key", flat=True)
        for key in keys:
            queue(key)

    # weak=False: the handlers are closures, which nothing else keeps alive.
    page_published.connect(
        on_published, sender=AlgorithmPage, weak=False, dispatch_uid=f"{prefix}_published"
    )
    page_unpublished.connect(
        on_gone, sender=AlgorithmPage, weak=False, dispatch_uid=f"{prefix}_unpublished"
    )
    post_delete.connect(on_gone, sender=AlgorithmPage, weak=False, dispatch_uid=f"{prefix}_deleted")
    for signal, uid in ((page_published, "published"), (page_unpublished, "unpublished")):
        signal.connect(
            on_register_changed,
            sender=AlgorithmRegisterPage,
            weak=False,
            dispatch_uid=f"{prefix}_register_{uid}",
        )
