"""The editors' report (Reports → Exports) with a CKAN portal configured."""

import re
import uuid

import pytest
from django.urls import reverse

from wagtail_algoregister.models import SyncRecord

from ..conftest import make_entry


SECRET = "secret-token-do-not-show-123"


def queued_exports():
    """Arguments of the queued CKAN export tasks (Wagtail queues its own tasks too)."""
    from django_tasks import default_task_backend

    return [
        list(r.args)
        for r in default_task_backend.results
        if r.task.func.__module__ == "wagtail_algoregister.sync.tasks"
    ]


@pytest.fixture
def configured(settings):
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {
            "donl": {
                "BACKEND": "ckan_export.exporter.CkanExporter",
                "URL": "https://data.example.invalid/data",
                "ORGANIZATION": "org",
                "TOKEN": SECRET,
            }
        },
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("editor", "e@example.invalid", "pw")
    )
    return client


def test_report_shows_state_error_and_link_but_never_the_token(configured, editor, register):
    entry = make_entry(register)
    SyncRecord.objects.create(
        exporter="donl",
        entry_key=entry.translation_key,
        page=entry,
        entry_title=entry.title,
        remote_id="abc",
        remote_name="gm0344-vroegsignalering-1234abcd",
        state="synced",
    )
    SyncRecord.objects.create(
        exporter="donl",
        entry_key=uuid.uuid4(),
        entry_title="Kapot algoritme",
        state="failed",
        last_error="The portal refused the data: theme: unknown value",
    )
    html = editor.get(reverse("algoregister_exports:index")).content.decode()
    assert entry.title in html and "Kapot algoritme" in html
    assert "https://data.example.invalid/data/dataset/gm0344-vroegsignalering-1234abcd" in html
    assert "theme: unknown value" in html
    assert SECRET not in html
    # The state filter counts every state, also those with no records.
    for state, count in (("pending", 0), ("synced", 1), ("failed", 1), ("withdrawn", 0)):
        assert re.search(rf'<option value="{state}"[^>]*>[^<]*\({count}\)</option>', html)
    failed_only = editor.get(
        reverse("algoregister_exports:index"), {"state": "failed"}
    ).content.decode()
    assert "Kapot algoritme" in failed_only and entry.title not in failed_only


def test_retry_and_resync_queue_tasks(configured, editor, register):
    from django_tasks import default_task_backend

    entry = make_entry(register)
    record = SyncRecord.objects.create(
        exporter="donl",
        entry_key=entry.translation_key,
        page=entry,
        entry_title=entry.title,
        state="failed",
    )
    default_task_backend.clear()
    response = editor.post(reverse("algoregister_exports:retry", args=(record.pk,)))
    assert response.status_code == 302
    assert queued_exports() == [["donl", str(entry.translation_key)]]
    record.refresh_from_db()
    assert record.state == "pending"
    default_task_backend.clear()
    editor.post(reverse("algoregister_exports:resend_all"))
    assert {tuple(r.args) for r in default_task_backend.results} == {
        ("donl", str(entry.translation_key))
    }


def test_actions_need_permission(configured, client, django_user_model, register):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", "v@example.invalid", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    from django_tasks import default_task_backend

    assert client.get(reverse("algoregister_exports:index")).status_code == 200
    default_task_backend.clear()
    response = client.post(reverse("algoregister_exports:resend_all"))
    # Wagtail turns a refusal into a redirect with a message.
    assert response.status_code in (302, 403) and response.get("Location", "") != reverse(
        "algoregister_exports:index"
    )
    assert queued_exports() == []


def test_publishing_queues_an_export_after_commit(
    configured, register, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = make_entry(register)
    # Nothing is queued before the transaction commits.
    assert queued_exports() == []
    for callback in callbacks:
        callback()
    assert queued_exports() == [["donl", str(entry.translation_key)]]


def test_scheduled_draft_does_not_queue(configured, register, django_capture_on_commit_callbacks):
    """Wagtail sends page_published for drafts scheduled in the future (wagtail#13959); we act on ``live``."""
    from django_tasks import default_task_backend
    from wagtail.signals import page_published

    entry = make_entry(register, publish=False)
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page_published.send(sender=type(entry), instance=entry, revision=entry.latest_revision)
    assert queued_exports() == []
