"""``status_for(page, user)``: an entry's state at each exporter, for its edit view."""

import pytest
from django.contrib.auth.models import Permission

from wagtail_algoregister.models import SyncRecord
from wagtail_algoregister.sync import status_for

from ..conftest import make_entry
from .test_fake_exporter import TARGET


pytestmark = pytest.mark.django_db


@pytest.fixture
def memory(settings):
    TARGET.update(entries={}, down=False, writes=0)
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {
            "memory": {"BACKEND": "tests.sync.test_fake_exporter.MemoryExporter"},
            "second": {"BACKEND": "tests.sync.test_fake_exporter.MemoryExporter"},
        },
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_each_exporter_in_order_with_the_truth_about_retries(memory, register, django_user_model):
    from wagtail_algoregister.sync import get_exporter

    entry = make_entry(register)
    TARGET["down"] = True
    get_exporter("memory").sync_key(entry.translation_key)
    record = SyncRecord.objects.get(exporter="memory")
    editor = django_user_model.objects.create_user("redacteur", "r@example.invalid", "pw")

    pending, never = status_for(entry, editor)
    assert (pending.exporter, pending.state, pending.target) == ("memory", "pending", "Memory")
    assert pending.message == "The memory target is down; will try again."
    assert pending.attempts == 1 and pending.max_attempts == 8
    # The dummy queue can run tasks later: a retry is queued, due then.
    assert record.retry_task_id and pending.next_attempt_at == record.next_attempt_at
    assert pending.can_retry is False and pending.retry_url == ""
    assert (never.exporter, never.state, never.remote_url) == ("second", "not_sent", "")

    editor.user_permissions.add(Permission.objects.get(codename="change_syncrecord"))
    editor = django_user_model.objects.get(pk=editor.pk)
    pending, _never = status_for(entry, editor)
    assert pending.can_retry and pending.retry_url.endswith(f"/{record.pk}/send-again/")

    # Without a queued retry, no next try is promised.
    SyncRecord.objects.filter(pk=record.pk).update(retry_task_id="")
    pending, _never = status_for(entry)
    assert pending.next_attempt_at is None and pending.can_retry is False
