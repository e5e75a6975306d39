"""Background tasks: one entry per task, retried with backoff (as the CKAN export)."""

from __future__ import annotations

import logging
import uuid

from django.utils import timezone
from django_tasks import default_task_backend, task

from .conf import get_config
from .sync import NationalSync


logger = logging.getLogger(__name__)


@task()
def sync_entry(entry_key: str) -> str:
    """Sync one entry to the national register. The argument is a plain string."""
    config = get_config()
    if config is None:
        return "skipped"
    outcome = NationalSync(config).sync_key(uuid.UUID(entry_key))
    if outcome.action == "failed" and outcome.transient:
        schedule_retry(entry_key)
    return outcome.action


def schedule_retry(entry_key):
    """Try again after the record's backoff, when the queue can run tasks later.

    Without a deferring backend (the immediate one) the record stays pending and
    the next ``national_sync`` run or publication picks it up.
    """
    from .models import NationalExportRecord

    record = NationalExportRecord.objects.filter(entry_key=entry_key).first()
    if record is None or record.next_attempt_at is None:
        return
    if default_task_backend.supports_defer:
        sync_entry.using(run_after=max(record.next_attempt_at, timezone.now())).enqueue(entry_key)


def enqueue_entry(entry_key):
    """Queue a sync of this entry (never raises: publishing must not fail because of it)."""
    try:
        return sync_entry.enqueue(str(entry_key))
    except Exception:
        logger.exception("Could not queue the national register export of %s", entry_key)
        return None
