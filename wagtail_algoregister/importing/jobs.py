"""Imports that editors start in the admin: a preview, the confirmation, progress.

An :class:`~wagtail_algoregister.models.ImportJob` holds the uploaded file and the
editor's choices. Both steps call the command's own :func:`.importer.run_import`:

1. :func:`start_preview` checks the file with a dry run that leaves out refused
   entries (``skip_invalid``), so that it says what would happen to every valid entry
   as well as why the others are refused; the result is kept in ``job.preview``;
2. :func:`start_import`, after the editor confirmed, runs the same import for real:
   one transaction, nothing written when it fails. Refused entries make it fail
   unless the editor chose to leave them out (``job.skip_invalid``).

**Large files run in the background**: a file of more than
``IMPORT_BACKGROUND_ENTRIES`` entries (default 100), or of more than
:data:`INLINE_MAX_BYTES` (not even read in the request), is checked and imported by a
task (:func:`preview_task`, :func:`import_task`) on the site's task queue, which
writes its progress to the job (:class:`JobProgress`) for the admin to show. Why
these numbers (measured on PostgreSQL with two busy cores): creating an entry costs
about 20 ms with its search indexing, comparing one with an existing entry about
7 ms, checking one 0.5 ms, and reading an XLSX about 1 ms per entry (JSON and CSV
far less). So 100 entries are checked and written in 2 to 3 seconds: an editor
waits no longer than for a page save, and a server ten times slower still stays
well inside a web server's timeout (gunicorn's default is 30 seconds). A town's
register (10 to 100 entries) is imported at once; the national register's files,
with hundreds or thousands, run in the background. 1 MB holds some 550 entries of
JSON and more of a spreadsheet.

The file stays in the job's row until the import ran or failed, then it is emptied;
:func:`prune` deletes jobs that were left (see :data:`ABANDONED_AFTER`).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from wagtail_algoregister.conf import algoregister_settings
from wagtail_algoregister.importing import readers
from wagtail_algoregister.importing.importer import ImportFailed, Options, run_import
from wagtail_algoregister.models import ImportJob


logger = logging.getLogger(__name__)

INLINE_MAX_BYTES = 1024 * 1024
# A job that was never confirmed, or whose task never finished, is deleted after this;
# a finished one (its file already removed) is kept this long for the list of imports.
ABANDONED_AFTER = timedelta(days=1)
KEPT_FOR = timedelta(days=30)
# Seconds between two progress writes of a running task.
PROGRESS_INTERVAL = 1.0

State, Stage = ImportJob.State, ImportJob.Stage


def options_for(job: ImportJob, *, dry_run: bool) -> Options:
    return Options(
        publish=job.publish,
        update=job.update,
        publication_category=job.publication_category,
        merge_old_keys=job.merge_old_keys,
        dry_run=dry_run,
        # The preview reports on every entry; the real run refuses the whole file when
        # one is invalid, unless the editor chose to leave those out.
        skip_invalid=True if dry_run else job.skip_invalid,
        user=job.user,
    )


def in_background(entries: int) -> bool:
    return entries > int(algoregister_settings.IMPORT_BACKGROUND_ENTRIES)


class JobProgress:
    """``progress`` for :func:`run_import`: writes the stage and count to the job, at
    most once per :data:`PROGRESS_INTERVAL` within a stage (a task runs outside any
    transaction, so the admin sees each write at once)."""

    def __init__(self, job_id: int, interval: float = PROGRESS_INTERVAL):
        self.job_id = job_id
        self.interval = interval
        self.stage = None
        self.written_at = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.written_at < self.interval:
            return
        self.stage, self.written_at = stage, now
        ImportJob.objects.filter(pk=self.job_id).update(
            stage=stage, done=done, total=total, updated_at=timezone.now()
        )


def _save(job: ImportJob, **values) -> None:
    """Set ``values`` on the job and in its row (only these: a running task may write
    the progress meanwhile, and a deleted job stays deleted)."""
    values["updated_at"] = timezone.now()
    if values.get("state") in (State.DONE, State.FAILED):
        values.update(data=b"", stage=Stage.FINISHED, finished_at=values["updated_at"])
    for name, value in values.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**values)


def _run(job: ImportJob, *, dry_run: bool, records=None, progress=None, reraise=False):
    """One run of the import for the job; stores what it found. ``records``: the file
    read already (its messages are added to the result)."""
    try:
        result = run_import(
            bytes(job.data),
            job.register,
            options_for(job, dry_run=dry_run),
            records=records,
            name=job.file_name,
            progress=progress,
        )
    except ImportFailed as error:
        found = error.result.as_dict() if error.result is not None else None
        if dry_run:
            _save(job, state=State.FAILED, error=str(error), preview=found)
        else:
            _save(job, state=State.FAILED, error=str(error), result=found)
        return
    except Exception:
        # Nothing was written (the import is one transaction). The editor reads that;
        # the details go to the log, and a task fails with them.
        logger.exception("Import %s of %s failed", job.pk, job.file_name)
        _save(
            job,
            state=State.FAILED,
            error=_(
                "%(file)s: something went wrong on the server; nothing was imported. "
                "Try again later, or ask a developer to look at the log."
            )
            % {"file": job.file_name},
        )
        if reraise:
            raise
        return
    if records is not None:
        result.messages[:0] = records.messages
    counted = {"done": len(result.entries), "total": len(result.entries)}
    if dry_run:
        _save(job, state=State.READY, stage=Stage.FINISHED, preview=result.as_dict(), **counted)
    else:
        _save(job, state=State.DONE, result=result.as_dict(), **counted)


def _enqueue(job: ImportJob, work) -> None:
    _save(job, background=True, stage=Stage.QUEUED)
    # With the database queue the task's row commits with the job's.
    task_result = work.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(task_result.id))
    job.refresh_from_db()


def start_preview(job: ImportJob) -> None:
    """Check the job's file: now when it is small, else in a task."""
    _save(job, state=State.CHECKING, stage=Stage.QUEUED, preview=None, error="", done=0, total=0)
    if job.file_size <= INLINE_MAX_BYTES:
        try:
            records = readers.read_bytes(bytes(job.data), name=job.file_name)
        except readers.ReadError:
            records = None  # run_import reads it again and says why, as the command does
        if records is None or not in_background(len(records)):
            _run(job, dry_run=True, records=records)
            return
    _enqueue(job, preview_task)


def start_import(job: ImportJob, *, skip_invalid: bool) -> bool:
    """Import the job's file for real (after its preview); False when it was started
    already (a second click)."""
    started = ImportJob.objects.filter(pk=job.pk, state=State.READY).update(
        state=State.IMPORTING,
        stage=Stage.QUEUED,
        skip_invalid=skip_invalid,
        done=0,
        updated_at=timezone.now(),
    )
    if not started:
        return False
    job.refresh_from_db()
    if job.background or in_background(job.total):
        _enqueue(job, import_task)
    else:
        _run(job, dry_run=False)
    return True


def _job(job_id: int, state: str) -> ImportJob | None:
    """The job, if it still waits for this task (not cancelled or pruned meanwhile)."""
    return (
        ImportJob.objects.select_related("register", "user").filter(pk=job_id, state=state).first()
    )


@task()
def preview_task(job_id: int) -> None:
    """Check a large file in the background (see :func:`start_preview`)."""
    job = _job(job_id, State.CHECKING)
    if job is not None:
        with translation.override(job.language or None):
            _run(job, dry_run=True, progress=JobProgress(job.pk), reraise=True)


@task()
def import_task(job_id: int) -> None:
    """Import a large file in the background (see :func:`start_import`)."""
    job = _job(job_id, State.IMPORTING)
    if job is not None:
        with translation.override(job.language or None):
            _run(job, dry_run=False, progress=JobProgress(job.pk), reraise=True)


def prune(now=None) -> None:
    """Delete the jobs that were left: never confirmed or never finished for
    :data:`ABANDONED_AFTER` (their file with them), finished ones after :data:`KEPT_FOR`."""
    now = now or timezone.now()
    ImportJob.objects.filter(
        state__in=(State.CHECKING, State.READY, State.IMPORTING),
        updated_at__lt=now - ABANDONED_AFTER,
    ).delete()
    ImportJob.objects.filter(
        state__in=(State.DONE, State.FAILED), created_at__lt=now - KEPT_FOR
    ).delete()
