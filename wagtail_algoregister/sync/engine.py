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
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete
from django.utils import timezone
from django_tasks import default_task_backend
from wagtail.models import Locale
from wagtail.signals import page_published, page_unpublished

from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage


logger = logging.getLogger(__name__)


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


class EntrySync:
    """What a sync engine of either exporter does alike; each adds ``_publish`` (send
    one published entry) and ``_withdraw`` (take one away), and its own lookups.

    Subclasses set ``record_model`` (a :class:`~wagtail_algoregister.sync.records.SyncRecord`),
    ``sync_error`` (their client's failure, with ``message`` and ``transient``) and
    ``name`` (for logs), and give ``registers`` (the ``REGISTERS`` setting: None for
    all) and ``record_fields`` (what besides the entry key identifies a record).
    """

    record_model = None
    sync_error = Exception
    name = ""

    def __init__(self, *, dry_run: bool = False):
        self.dry_run = dry_run
        self._public = set()  # ids of the public entries, when wanted_pages() listed them

    @property
    def registers(self):
        raise NotImplementedError

    def record_fields(self) -> dict:
        return {}

    def records(self):
        return self.record_model.objects.filter(**self.record_fields())

    # -- which entries belong there ----------------------------------------------------

    def applies_to(self, register) -> bool:
        """Does this exporter take the entries of this register (``REGISTERS`` setting)?"""
        if self.registers is None:
            return True
        refs = {str(register.pk), register.url_path, register.url or ""}
        return any(str(ref) in refs for ref in self.registers)

    def wanted(self, page) -> bool:
        """Should this entry be sent: published, public, in a published register?"""

        if page is None or not page.live:
            return False
        register = page.get_parent().specific
        if not (
            register.live
            and isinstance(register, AlgorithmRegisterPage)
            and self.applies_to(register)
        ):
            return False
        if page.pk in self._public:
            return True  # public when wanted_pages() listed the entries (saves two queries)
        return AlgorithmPage.objects.filter(pk=page.pk).public().exists()

    def wanted_pages(self) -> dict:
        """{entry key: (page, register)} of every entry that belongs there, in few queries."""

        registers = {
            r.path: r for r in AlgorithmRegisterPage.objects.filter(live=True) if self.applies_to(r)
        }
        default = Locale.get_default()
        wanted, self._public = {}, set()
        for page in AlgorithmPage.objects.live().public().select_related("locale").order_by("pk"):
            register = registers.get(page.path[: -AlgorithmPage.steplen])
            if register is None:
                continue
            self._public.add(page.pk)
            page._cached_parent_obj = register  # treebeard's cache: get_parent() needs no query
            # Translations share the key: the default locale's version is the one sent.
            if page.translation_key not in wanted or page.locale_id == default.pk:
                wanted[page.translation_key] = (page, register)
        return wanted

    # -- one entry -------------------------------------------------------------------

    def sync_key(self, key, *, page=None, full=False) -> Outcome:
        """Bring one entry's remote copy in line with the entry, under the record's lock."""
        with transaction.atomic():
            record, created = self.record_model.objects.get_or_create(
                entry_key=key, **self.record_fields()
            )
            if not created:  # a new row is locked by the insert already
                record = self.record_model.objects.select_for_update().get(pk=record.pk)
            if page is None or not is_current(page):
                page = entry_pages(key)
            if page is not None:
                record.page_id, record.entry_title = page.pk, page.title[:255]
            else:
                record.page_id = None
            try:
                outcome = (
                    self._publish(record, page, full=full)
                    if self.wanted(page)
                    else self._withdraw(record)
                )
            except self.sync_error as e:
                outcome = self._failed(record, e)
            outcome.entry = record.entry_title or str(key)
            if self.dry_run:
                transaction.set_rollback(True)
            else:
                record.save()
        return outcome

    def _publish(self, record, page, *, full=False) -> Outcome:
        raise NotImplementedError

    def _withdraw(self, record) -> Outcome:
        raise NotImplementedError

    def _succeeded(self, record, action):

        record.state = self.record_model.State.SYNCED
        record.last_action, record.last_error = action, ""
        record.attempts, record.next_attempt_at = 0, None
        if action != "unchanged":
            record.last_synced_at = timezone.now()

    def _failed(self, record, error) -> Outcome:

        record.attempts += 1
        record.last_error = error.message
        record.last_action = "failed"
        if error.transient and record.attempts < MAX_ATTEMPTS:
            record.state = self.record_model.State.PENDING
            record.next_attempt_at = timezone.now() + backoff(record.attempts)
        else:
            record.state = self.record_model.State.FAILED
            record.next_attempt_at = None
        logger.warning("%s of %s failed: %s", self.name, record.entry_key, error.message)
        return Outcome("failed", error.message, transient=error.transient)

    # -- a whole run -----------------------------------------------------------------

    def sync_all(self, wanted, records, quick, *, full, progress, counts) -> list[Outcome]:
        """Every entry of ``wanted`` (see :meth:`wanted_pages`) and ``records`` (by entry
        key), in key order: ``quick[key]`` when an outcome is known without a call, else
        :meth:`sync_key`. Adds to ``counts``; ``progress(number, total)`` after each."""
        keys = sorted(set(wanted) | set(records), key=str)
        outcomes = []
        for number, key in enumerate(keys, start=1):
            outcome = quick.get(key)
            if outcome is None:
                outcome = self.sync_key(
                    key, page=wanted[key][0] if key in wanted else None, full=full
                )
            if outcome.action in COUNTED:
                counts[outcome.action] += 1
            outcome.entry = outcome.entry or (
                wanted[key][0].title if key in wanted else records[key].entry_title
            )
            outcomes.append(outcome)
            if progress:
                progress(number, len(keys))
        return outcomes
