"""Background tasks: one entry per task, retried with backoff (as the CKAN export)."""

from __future__ import annotations

import logging
import uuid

from django_tasks import task

from wagtail_algoregister.sync.engine import retry_later

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
    from .models import NationalExportRecord

    record = NationalExportRecord.objects.filter(entry_key=entry_key).first()
    retry_later(sync_entry, record, entry_key)


def enqueue_entry(entry_key):
    """Queue a sync of this entry (never raises: publishing must not fail because of it)."""
    try:
        return sync_entry.enqueue(str(entry_key))
    except Exception:
        logger.exception("Could not queue the national register export of %s", entry_key)
        return None
