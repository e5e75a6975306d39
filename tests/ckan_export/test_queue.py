"""Publishing in the admin changes the portal through the task queue (django-tasks-db + db_worker)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from wagtail_algoregister.models import AlgorithmPage, SyncRecord

from ..conftest import full_entry
from ..test_admin import add_url, entry_form_data
from .test_sync import datasets, portal_settings


# Transactional: the worker commits and closes its connection like a real one.
pytestmark = [pytest.mark.ckan, pytest.mark.django_db(transaction=True)]

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def queued(ckan_plain, settings, client, django_user_model):
    ckan_plain.purge_all()
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, **portal_settings(ckan_plain)}
    settings.TASKS = DB_TASKS
    client.force_login(
        django_user_model.objects.create_superuser("editor", "e@example.invalid", "pw")
    )
    return ckan_plain


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_admin_publish_edit_unpublish_reach_the_portal_through_the_queue(
    queued, client, register, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add_url(AlgorithmPage, register),
            entry_form_data(full_entry(), **{"action-publish": "1"}),
        )
    assert response.status_code == 302
    page = AlgorithmPage.objects.get(slug="vroegsignalering")
    # Saving did not talk to the portal: the work waits in the queue.
    assert datasets(queued) == {}
    assert DBTaskResult.objects.filter(task_path__endswith="sync_entry").exists()
    run_worker()
    assert [d["title"] for d in datasets(queued).values()] == [page.title]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=(page.pk,)),
            entry_form_data(
                full_entry(name="Vroegsignalering, nieuwe naam"), **{"action-publish": "1"}
            ),
        )
    assert response.status_code == 302
    run_worker()
    assert [d["title"] for d in datasets(queued).values()] == ["Vroegsignalering, nieuwe naam"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
    assert response.status_code == 302
    run_worker()
    assert datasets(queued) == {}
    assert SyncRecord.objects.get().state == "withdrawn"


def test_publishing_does_not_wait_for_a_broken_portal(
    settings, client, register, django_user_model, django_capture_on_commit_callbacks
):
    # A portal that refuses connections: publishing still succeeds at once.
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {
            "test": {
                "BACKEND": "ckan_export.exporter.CkanExporter",
                "URL": "http://127.0.0.1:9",
                "ORGANIZATION": "x",
                "PROFILE": "ckan",
                "TOKEN": "t",
                "RATE_LIMIT": 0,
                "TIMEOUT": 2,
            }
        },
    }
    settings.TASKS = DB_TASKS
    client.force_login(
        django_user_model.objects.create_superuser("editor", "e@example.invalid", "pw")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add_url(AlgorithmPage, register),
            entry_form_data(full_entry(), **{"action-publish": "1"}),
        )
    assert response.status_code == 302
    assert AlgorithmPage.objects.get(slug="vroegsignalering").live
    run_worker()
    record = SyncRecord.objects.get()
    assert record.state == "pending" and record.next_attempt_at is not None
    # The worker writes in the site's language (Dutch here).
    assert "connect" in record.last_error.lower() or "verbinding" in record.last_error.lower()


def test_demo_site_sync(ckan_plain, settings, capsys):
    ckan_plain.purge_all()
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, **portal_settings(ckan_plain)}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("load_demo_content")
    # One dataset per algorithm: the demo's English versions are not extra datasets.
    published = AlgorithmPage.objects.live().filter(locale__language_code="nl").count()
    assert AlgorithmPage.objects.live().count() > published
    call_command("ckan_sync")
    assert (
        capsys.readouterr().out.strip().splitlines()[-1]
        == f"created={published} updated=0 unchanged=0 withdrawn=0 failed=0"
    )
    assert len(datasets(ckan_plain)) == published
    call_command("ckan_sync")
    assert (
        capsys.readouterr().out.strip().splitlines()[-1]
        == f"created=0 updated=0 unchanged={published} withdrawn=0 failed=0"
    )
