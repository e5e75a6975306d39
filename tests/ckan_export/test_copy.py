"""Copying an entry in the admin makes a new dataset on a real CKAN; the original's stays."""

import pytest
from django.urls import reverse

from wagtail_algoregister.models import AlgorithmPage, SyncRecord

from ..conftest import make_entry
from .test_sync import datasets, plain, sync  # noqa: F401


pytestmark = [pytest.mark.ckan]


def test_a_copy_through_the_admin_gets_its_own_dataset(plain, register, admin_client):  # noqa: F811
    entry = make_entry(register)
    outcome, _writes = sync(entry.translation_key)
    assert outcome.action == "created"
    original = SyncRecord.objects.get(entry_key=entry.translation_key)
    before = plain.editor().action.package_show(id=original.remote_id)

    response = admin_client.post(
        reverse("wagtailadmin_pages:copy", args=(entry.pk,)),
        {
            "new_title": "Vroegsignalering van schulden (Zeist)",
            "new_slug": "vroegsignalering-zeist",
            "new_parent_page": register.pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    copy = AlgorithmPage.objects.get(slug="vroegsignalering-zeist")
    assert copy.translation_key != entry.translation_key
    assert not SyncRecord.objects.filter(entry_key=copy.translation_key).exists()

    outcome, writes = sync(copy.translation_key)
    assert outcome.action == "created" and writes == ["package_create"]
    record = SyncRecord.objects.get(entry_key=copy.translation_key)
    assert record.remote_id != original.remote_id
    remote = plain.editor().action.package_show(id=record.remote_id)
    assert remote["title"] == copy.title
    # The original's dataset is as it was.
    after = plain.editor().action.package_show(id=original.remote_id)
    assert after["title"] == before["title"] == entry.title
    assert after["metadata_modified"] == before["metadata_modified"]
    assert len(datasets(plain)) == 2
