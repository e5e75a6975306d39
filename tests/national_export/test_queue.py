"""Signals, tasks (immediate and database backends), the command, the report and secrets."""

import logging

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from wagtail_algoregister.models import AlgorithmPage, SyncRecord

from ..conftest import full_entry, make_entry
from ..test_admin import add_url, entry_form_data
from .conftest import PASSWORD


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def editor(client, django_user_model):
    from wagtail.users.models import UserProfile

    user = django_user_model.objects.create_superuser("editor", "e@example.invalid", "pw")
    # The admin speaks the editor's chosen language; these tests read English.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_nothing_happens_when_not_configured(register, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_entry(register)
    modules = [getattr(getattr(c, "func", c), "__module__", "") for c in callbacks]
    assert not any("sync" in module for module in modules), modules
    assert not SyncRecord.objects.exists()


@pytest.mark.django_db
def test_publishing_queues_the_upload_after_the_commit(
    national, register, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = make_entry(register)
    # (the core queues its own work too: the warm-up of the register pages' caches)
    queued = [c for c in callbacks if getattr(c, "func", None) is not None]
    queued = [c for c in queued if c.func.__module__.endswith(".sync.signals")]
    assert [(c.func.__module__, c.args) for c in queued] == [
        ("wagtail_algoregister.sync.signals", ([entry.translation_key],))
    ]


@pytest.mark.django_db
def test_publish_and_unpublish_in_the_admin_go_through_the_task(
    national, editor, register, django_capture_on_commit_callbacks
):
    """Immediate task backend (the test settings): the task runs after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            add_url(AlgorithmPage, register),
            entry_form_data(full_entry(), **{"action-publish": "1"}),
        )
    assert response.status_code == 302
    page = AlgorithmPage.objects.get(slug="vroegsignalering")
    [lars] = national.algorithms
    assert page.lars == lars and SyncRecord.objects.get().remote_id == lars

    # The editor publishes again from the edit form, which now holds the code.
    form = entry_form_data(full_entry(name="Vroegsignalering, nieuw"), **{"action-publish": "1"})
    form["lars"] = AlgorithmPage.objects.get(pk=page.pk).lars
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), form)
    assert response.status_code == 302
    assert list(national.algorithms) == [lars]
    assert national.algorithms[lars].latest["body"]["name"] == "Vroegsignalering, nieuw"
    assert AlgorithmPage.objects.get(pk=page.pk).lars == lars

    national.publish(lars)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
    assert response.status_code == 302
    assert not national.algorithms[lars].published
    assert SyncRecord.objects.get().state == "withdrawn"


@pytest.mark.django_db(transaction=True)
def test_database_queue_and_retry_with_run_after(national, settings, register):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    national.fail("POST", r"/algorithms$", kind="status", value=500)
    entry = make_entry(register)  # committed: the task is queued
    assert national.algorithms == {}
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    record = SyncRecord.objects.get()
    assert record.state == "pending" and record.next_attempt_at
    retry = DBTaskResult.objects.filter(
        status="READY", task_path__endswith="wagtail_algoregister.sync.tasks.sync_entry"
    )
    assert retry.count() == 1
    assert retry.get().run_after == record.next_attempt_at
    # Not yet due: the worker leaves it. When due, it creates the algorithm once.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert national.algorithms == {}
    from django.utils import timezone

    retry.update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    [lars] = national.algorithms
    assert AlgorithmPage.objects.get(pk=entry.pk).lars == lars
    assert SyncRecord.objects.get().state == "synced"


@pytest.mark.django_db
def test_command_summary_dry_run_and_failures(national, register, capsys):
    first = make_entry(register)
    make_entry(register, slug="tweede", source_id="utrecht-2", name="Tweede algoritme")
    call_command("national_sync", "--dry-run")
    out = capsys.readouterr().out
    assert "would be created: Vroegsignalering van schulden" in out
    assert out.strip().splitlines()[-1] == "created=2 updated=0 unchanged=0 withdrawn=0 failed=0"
    assert national.algorithms == {} and not SyncRecord.objects.exists()

    call_command("national_sync")
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "created=2 updated=0 unchanged=0 withdrawn=0 failed=0"
    )
    assert len(national.algorithms) == 2
    national.reset_log()
    call_command("national_sync")
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "created=0 updated=0 unchanged=2 withdrawn=0 failed=0"
    )
    assert national.log == []  # nothing changed: not even a listing
    call_command("national_sync", "--full")
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "created=0 updated=0 unchanged=2 withdrawn=0 failed=0"
    )
    assert national.writes() == []

    first.unpublish()
    national.fail("DELETE", r"/retract$", kind="status", value=500)
    with pytest.raises(CommandError) as failure:
        call_command("national_sync")
    assert failure.value.returncode == 1
    captured = capsys.readouterr()
    assert captured.out.strip().splitlines()[-1] == (
        "created=0 updated=0 unchanged=1 withdrawn=0 failed=1"
    )
    assert (
        "Vroegsignalering van schulden: The national register answered with HTTP 500"
        in captured.err
    )
    call_command("national_sync")
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "created=0 updated=0 unchanged=1 withdrawn=1 failed=0"
    )


@pytest.mark.django_db
def test_command_refuses_without_configuration():
    with pytest.raises(CommandError, match="not configured"):
        call_command("national_sync")


@pytest.mark.django_db
def test_report_shows_state_link_and_error_never_a_secret(
    national, editor, register, caplog, monkeypatch
):
    caplog.set_level(logging.DEBUG)

    from wagtail_algoregister.sync import get_exporter

    good = make_entry(register)
    bad = make_entry(register, slug="tweede", source_id="utrecht-2", name="Tweede algoritme")
    AlgorithmPage.objects.filter(pk=bad.pk).update(title="Te lang " * 20)
    syncer = get_exporter("national")
    syncer.sync_key(good.translation_key)
    syncer.sync_key(bad.translation_key)
    lars = SyncRecord.objects.get(page=good).remote_id

    response = editor.get(reverse("algoregister_exports:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vroegsignalering van schulden" in html
    # The link follows the editor's language (English here).
    assert f'href="https://algoritmes.overheid.nl/en/algoritme/{lars}"' in html
    assert "name: String should have at most 100 characters" in html
    assert 'class="w-status w-status--label"' in html  # the failed entry stands out

    # No secret anywhere: report, records, page revisions, log output.
    tokens = list(national.tokens)
    assert tokens
    from wagtail.models import Revision

    stored = " ".join(
        [str(list(SyncRecord.objects.values()))] + [str(r.content) for r in Revision.objects.all()]
    )
    for secret in [PASSWORD, *tokens]:
        assert secret not in html
        assert secret not in stored
        assert secret not in caplog.text
    assert "redacteur@gemeente.example" not in html

    # Retry: queued (immediate backend: run at once) and sent again.
    record = SyncRecord.objects.get(page=bad)
    AlgorithmPage.objects.filter(pk=bad.pk).update(title="Tweede algoritme")
    response = editor.post(reverse("algoregister_exports:retry", args=(record.pk,)))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == "synced" and record.remote_id and record.last_error == ""


@pytest.mark.django_db
def test_report_without_configuration(editor):
    response = editor.get(reverse("algoregister_exports:index"))
    assert response.status_code == 200
    assert "not configured" in response.content.decode()


@pytest.mark.django_db
def test_retry_needs_permission(national, client, django_user_model, register):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("moderator", "m@example.invalid", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    record = SyncRecord.objects.create(
        exporter="national", entry_key=register.translation_key, state="failed"
    )
    assert client.get(reverse("algoregister_exports:index")).status_code == 200
    response = client.post(reverse("algoregister_exports:retry", args=(record.pk,)))
    # Wagtail turns a refusal into a redirect with a message.
    assert response.status_code in (302, 403)
    assert response.get("Location", "") != reverse("algoregister_exports:index")
    record.refresh_from_db()
    assert record.state == "failed" and national.log == []


@pytest.mark.django_db
def test_check_and_resend_all(national, editor, register, settings):
    """Every published entry, and every entry with a record (a deleted one is retracted),
    is queued once; from the report, for editors who may act."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    entries = [make_entry(register, slug=f"e{i}", source_id=f"e{i}") for i in range(2)]
    gone = SyncRecord.objects.create(
        exporter="national",
        entry_key="00000000-0000-4000-8000-000000000001",
        remote_id="12345672",
        state="synced",
    )
    html = editor.get(reverse("algoregister_exports:index")).content.decode()
    assert reverse("algoregister_exports:resend_all") in html and "Check and resend all" in html
    default_task_backend.clear()
    response = editor.post(reverse("algoregister_exports:resend_all"), follow=True)
    queued = [
        tuple(r.args)
        for r in default_task_backend.results
        if r.task.func.__module__ == "wagtail_algoregister.sync.tasks"
    ]
    expected = {("national", str(e.translation_key)) for e in entries} | {
        ("national", str(gone.entry_key))
    }
    assert sorted(queued) == sorted(expected)
    assert "All 3 entries will be checked against national shortly" in (response.content.decode())


@pytest.mark.django_db
def test_resend_all_needs_configuration_and_permission(editor, client, django_user_model, settings):
    from django.contrib.auth.models import Permission
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    html = editor.get(reverse("algoregister_exports:index")).content.decode()
    assert reverse("algoregister_exports:resend_all") not in html  # not configured: no button
    response = editor.post(reverse("algoregister_exports:resend_all"), follow=True)
    assert "No exports are configured." in response.content.decode()

    user = django_user_model.objects.create_user("viewer", "v@example.invalid", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.post(reverse("algoregister_exports:resend_all"))
    assert response.status_code in (302, 403)
    assert response.get("Location", "") != reverse("algoregister_exports:index")
    assert not [
        r
        for r in default_task_backend.results
        if r.task.func.__module__ == "wagtail_algoregister.sync.tasks"
    ]
