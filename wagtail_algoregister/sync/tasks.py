"""The background task of every exporter: one entry at one target per task.

A change of an entry (see :mod:`.signals`), an editor's "Send again" or "Check and
resend all" queue :func:`sync_entry` at once: a new retry chain. A transient failure
queues the chain's next try for later (:func:`queue_retry`, from
:meth:`BaseExporter.sync_key <wagtail_algoregister.sync.base.BaseExporter.sync_key>`),
replacing any retry queued before, so each entry has at most one retry queued per
exporter and the report's tries and next try are the truth. A failed export raises
after it is recorded, so the task queue marks the task as failed and monitoring of
the queue sees the outage.
"""

from __future__ import annotations

import logging
import uuid

from django.apps import apps
from django_tasks import task

from .errors import ExportFailed
from .registry import InvalidExporter, exporter_names, get_exporter


logger = logging.getLogger(__name__)


@task(takes_context=True)
def sync_entry(context, exporter: str, entry_key: str, retry: bool = False) -> str:
    """Sync one entry to one exporter. Arguments are plain strings (JSON-serialisable);
    ``retry``: this is a queued retry, which runs only while it is its record's retry."""
    try:
        target = get_exporter(exporter)
    except InvalidExporter:
        return "skipped"  # no longer configured
    outcome = target.sync_key(
        uuid.UUID(entry_key),
        restart=not retry,
        retry=str(context.task_result.id) if retry else None,
    )
    if outcome.action == "failed":
        raise ExportFailed(f"{exporter}: {outcome.entry}: {outcome.message}")
    return outcome.action


def enqueue(exporter: str, entry_key):
    """Queue a sync of one entry at one exporter (never raises: publishing must not
    fail because the queue does)."""
    try:
        return sync_entry.enqueue(exporter, str(entry_key))
    except Exception:
        logger.exception("Could not queue the export of %s to %s", entry_key, exporter)
        return None


def enqueue_all(entry_key) -> list:
    """Queue a sync of one entry at every configured exporter."""
    return [result for name in exporter_names() if (result := enqueue(name, entry_key))]


def queue_retry(exporter: str, entry_key, run_after) -> str:
    """Queue the next try of a chain; its task id, or "" when the task backend cannot
    run tasks later (the immediate backend: the record waits for the next publish,
    command or "Send again")."""
    if not sync_entry.get_backend().supports_defer:
        return ""
    result = sync_entry.using(run_after=run_after).enqueue(exporter, str(entry_key), True)
    return str(result.id)


def discard(task_id: str):
    """Take a replaced retry off the queue where the backend allows it.

    Django's task framework has no way to cancel a task yet. With django-tasks-db the
    queued row is deleted (unless a worker took it already); with any backend, a
    replaced retry that still runs finds it is no longer its record's retry and does
    nothing (see :func:`sync_entry`).
    """
    if not task_id or not apps.is_installed("django_tasks_db"):
        return
    # app loading: django-tasks-db is optional (the "worker" extra); its models load only
    # when the app is installed.
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if isinstance(sync_entry.get_backend(), DatabaseBackend):
        DBTaskResult.objects.filter(pk=task_id, status="READY").delete()
