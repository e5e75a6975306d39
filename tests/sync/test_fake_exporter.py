"""A third export target in a few dozen lines (a client and a mapping, registered through
the exporter interface) gets records, retries, the report, the command, the entry's
status and the invariant from ``wagtail_algoregister.sync`` without another line."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from wagtail_algoregister.models import SyncRecord
from wagtail_algoregister.sync import (
    BaseExporter,
    RemoteEntry,
    TransientError,
    get_exporter,
    status_for,
)
from wagtail_algoregister.sync.engine import canonical_hash
from wagtail_algoregister.sync.invariant import problems

from ..conftest import call_command_in_english, make_entry


# -- the exporter: a target that keeps entries in memory --------------------------------

TARGET = {"entries": {}, "down": False, "writes": 0}


class MemoryClient:
    def put(self, remote_id, body):
        self.check()
        TARGET["entries"][remote_id] = body
        TARGET["writes"] += 1

    def delete(self, remote_id):
        self.check()
        TARGET["entries"].pop(remote_id, None)
        TARGET["writes"] += 1

    def check(self):
        if TARGET["down"]:
            raise TransientError("The memory target is down; will try again.")


def mapping(page) -> dict:
    return {"key": str(page.translation_key), "title": page.title, "text": page.description_short}


class MemoryExporter(BaseExporter):
    verbose_name = "Memory"

    def setup(self):
        self.client = MemoryClient()

    def publish(self, record, page, *, full=False):
        body = mapping(page)
        if record.remote_id and record.payload_hash == canonical_hash(body):
            return self.succeeded(record, "unchanged")
        action = "updated" if record.remote_id else "created"
        record.remote_id = record.remote_id or f"m-{record.entry_key}"
        self.client.put(record.remote_id, body)
        record.payload_hash = canonical_hash(body)
        return self.succeeded(record, action)

    def withdraw(self, record):
        if not record.remote_id:
            return self.withdrawn(record, sent=False)
        self.client.delete(record.remote_id)
        return self.withdrawn(record)

    def remote_link(self, record):
        return (
            (record.remote_id, f"https://memory.example/{record.remote_id}")
            if record.remote_id
            else None
        )

    def remote_entries(self):
        return [
            RemoteEntry(i, e["key"], e["title"], e["text"]) for i, e in TARGET["entries"].items()
        ]


# -- what it gets for free ---------------------------------------------------------------

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def memory(settings, client, django_user_model):
    TARGET.update(entries={}, down=False, writes=0)
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {"memory": {"BACKEND": f"{__name__}.MemoryExporter"}},
    }
    settings.TASKS = DB_TASKS
    user = django_user_model.objects.create_superuser("editor", "e@example.invalid", "pw")
    client.force_login(user)
    return user


def drain():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_records_signals_and_the_invariant(memory, register):
    entry = make_entry(register)  # published and committed: the signal queued the sync
    other = make_entry(register, slug="tweede", source_id="tweede", name="Tweede algoritme")
    drain()
    exporter = get_exporter("memory")
    assert problems(exporter) == [] and len(TARGET["entries"]) == 2
    record = SyncRecord.objects.get(exporter="memory", entry_key=entry.translation_key)
    assert (record.state, record.remote_id) == ("synced", f"m-{entry.translation_key}")

    PageViewRestriction.objects.create(page=entry, restriction_type="password", password="x")
    other.unpublish()
    drain()
    assert problems(exporter) == [] and TARGET["entries"] == {}
    assert SyncRecord.objects.get(pk=record.pk).state == "withdrawn"


def test_retries_with_one_chain_and_a_failed_task(memory, register):
    from django_tasks_db.models import DBTaskResult

    TARGET["down"] = True
    entry = make_entry(register)
    drain()
    record = SyncRecord.objects.get()
    assert record.state == "pending" and record.attempts == 1
    retry = DBTaskResult.objects.get(status="READY", task_path__endswith="sync_entry")
    assert str(retry.pk) == record.retry_task_id and retry.run_after == record.next_attempt_at
    assert (
        DBTaskResult.objects.filter(status="FAILED", task_path__endswith="sync_entry").count() == 1
    )

    TARGET["down"] = False
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    drain()
    assert SyncRecord.objects.get().state == "synced"
    assert (
        TARGET["entries"][record.remote_id or f"m-{entry.translation_key}"]["title"] == entry.title
    )


def test_report_status_and_command(memory, client, register):
    entry = make_entry(register)
    drain()
    html = client.get(reverse("algoregister_exports:index"), {"exporter": "memory"}).content
    html = html.decode()
    assert entry.title in html and f"https://memory.example/m-{entry.translation_key}" in html
    assert "Memory" in html  # the intro names the target

    [status] = status_for(entry, memory)
    assert (status.exporter, status.state, status.can_retry) == ("memory", "synced", True)
    assert status.remote_url == f"https://memory.example/m-{entry.translation_key}"
    response = client.post(status.retry_url)
    assert response.status_code == 302

    TARGET["writes"] = 0
    call_command_in_english("algoregister_sync", "--exporter", "memory")
    assert TARGET["writes"] == 0  # nothing changed: nothing written
