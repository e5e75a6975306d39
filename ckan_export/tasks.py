"""Background tasks: one entry on one portal per task, retried with backoff."""

from __future__ import annotations

import logging
import uuid

from django_tasks import task

from wagtail_algoregister.sync.engine import retry_later

from .conf import get_portal, portals
from .sync import PortalSync


logger = logging.getLogger(__name__)


@task()
def sync_entry(portal_name: str, entry_key: str) -> str:
    """Sync one entry to one portal. Arguments are plain strings (JSON-serialisable)."""
    syncer = PortalSync(get_portal(portal_name))
    outcome = syncer.sync_key(uuid.UUID(entry_key))
    if outcome.action == "failed" and outcome.transient:
        schedule_retry(portal_name, entry_key)
    return outcome.action


def schedule_retry(portal_name, entry_key):
    from .models import ExportRecord

    record = ExportRecord.objects.filter(portal=portal_name, entry_key=entry_key).first()
    retry_later(sync_entry, record, portal_name, entry_key)


def enqueue_entry(entry_key) -> list:
    """Queue a sync of this entry on every configured portal."""
    results = []
    for name in portals():
        try:
            results.append(sync_entry.enqueue(name, str(entry_key)))
        except Exception:
            logger.exception("Could not queue the CKAN export of %s to %s", entry_key, name)
    return results
