"""One retry chain per entry and exporter (issue 13, item 8), with the task queue as it
runs in production: django-tasks-db and its worker, a real CKAN behind a proxy that
refuses every connection while an editor publishes again and again.

Each publish tries at once and, when that fails, replaces the queued retry instead of
adding one; the tries and the next try the record shows are the truth (the queue holds
exactly that retry); every failed try is a failed task result; once the portal is back,
the one retry sends the entry once.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail_algoregister.models import AlgorithmPage, SyncRecord
from wagtail_algoregister.sync.engine import backoff

from ..ckan_export.fault_proxy import FaultProxy
from ..ckan_export.test_sync import datasets
from ..conftest import full_entry
from ..test_admin import add_url, entry_form_data


# Transactional: the worker commits and closes its connection like a real one.
pytestmark = [pytest.mark.ckan, pytest.mark.django_db(transaction=True)]

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SYNC_TASK = "wagtail_algoregister.sync.tasks.sync_entry"


@pytest.fixture
def portal(ckan_plain, settings, client, django_user_model):
    ckan_plain.purge_all()
    with FaultProxy(ckan_plain.url) as proxy:
        spec = ckan_plain.portal_settings(URL=proxy.url, TIMEOUT=5, RATE_LIMIT=0)
        settings.WAGTAIL_ALGOREGISTER = {
            **settings.WAGTAIL_ALGOREGISTER,
            "EXPORTERS": {"test": spec},
        }
        settings.TASKS = DB_TASKS
        client.force_login(
            django_user_model.objects.create_superuser("editor", "e@example.invalid", "pw")
        )
        yield proxy
    ckan_plain.purge_all()


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def sync_tasks(**filters):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=SYNC_TASK, **filters)


def publish(client, page, name):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        entry_form_data(full_entry(name=name), **{"action-publish": "1"}),
    )
    assert response.status_code == 302, response.content[:500]


def test_a_portal_that_stays_down_keeps_one_retry_chain(portal, client, register, ckan_plain):
    portal.set("refuse")  # nothing listens at the portal's address
    response = client.post(
        add_url(AlgorithmPage, register),
        entry_form_data(full_entry(), **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    page = AlgorithmPage.objects.get(slug="vroegsignalering")
    run_worker()

    for number in range(1, 6):
        if number > 1:
            publish(client, page, f"Vroegsignalering, versie {number}")
            run_worker()
        record = SyncRecord.objects.get(exporter="test", entry_key=page.translation_key)
        queued = sync_tasks(status="READY")
        # One retry queued, the record's, due when the record says; the publish started
        # a new chain, so this is its first failed try.
        assert queued.count() == 1, [(t.args_kwargs, t.run_after, t.status) for t in sync_tasks()]
        retry = queued.get()
        assert str(retry.pk) == record.retry_task_id
        assert retry.args_kwargs["args"] == ["test", str(page.translation_key), True]
        assert retry.run_after == record.next_attempt_at
        assert record.state == "pending" and record.attempts == 1
        assert record.next_attempt_at - record.updated_at == pytest.approx(
            backoff(1), abs=timezone.timedelta(seconds=5)
        )
        # Every try was a failed task, which monitoring of the queue sees.
        assert sync_tasks(status="FAILED").count() == number
        assert sync_tasks(status="SUCCESSFUL").count() == 0

    # The retry, when due, is the chain's second try: the next one waits 5 minutes.
    sync_tasks(status="READY").update(run_after=timezone.now())
    run_worker()
    record = SyncRecord.objects.get(exporter="test", entry_key=page.translation_key)
    retry = sync_tasks(status="READY").get()
    assert record.attempts == 2 and str(retry.pk) == record.retry_task_id
    assert retry.run_after == record.next_attempt_at
    assert record.next_attempt_at - record.updated_at == pytest.approx(
        backoff(2), abs=timezone.timedelta(seconds=5)
    )
    assert sync_tasks(status="FAILED").count() == 6

    # The portal is back: the one queued retry sends the latest version, once.
    portal.clear()
    sync_tasks(status="READY").update(run_after=timezone.now())
    run_worker()
    record = SyncRecord.objects.get(exporter="test", entry_key=page.translation_key)
    assert record.state == "synced" and record.attempts == 0
    assert record.next_attempt_at is None and record.retry_task_id == ""
    assert not sync_tasks(status="READY").exists()
    assert sync_tasks(status="SUCCESSFUL").count() == 1
    assert [d["title"] for d in datasets(ckan_plain).values()] == ["Vroegsignalering, versie 5"]


def test_a_replaced_retry_that_still_runs_does_nothing(portal, register, ckan_plain):
    """Backends that cannot take a task off the queue run the replaced retry: it finds it
    is not its record's retry and changes nothing."""
    from wagtail_algoregister.sync.tasks import sync_entry

    from ..conftest import make_entry

    portal.set("refuse")
    entry = make_entry(register)  # committed: the publish queued its sync
    run_worker()
    record = SyncRecord.objects.get()
    stale = sync_entry.using(run_after=timezone.now()).enqueue(
        "test", str(entry.translation_key), True
    )
    portal.clear()
    run_worker()
    assert sync_tasks(pk=stale.id).get().return_value == "superseded"
    assert SyncRecord.objects.get().attempts == record.attempts == 1
    assert datasets(ckan_plain) == {}
