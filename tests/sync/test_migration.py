"""The records of ckan_export and national_export move into the one SyncRecord, with
everything they held, and whoever could act on the old reports can act on the new one."""

import datetime
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from wagtail_algoregister.models import SyncRecord

from ..conftest import make_entry


OLD = [
    ("algoregister_ckan_export", "0001_initial"),
    ("algoregister_national_export", "0001_initial"),
]
NEW = [
    ("algoregister_ckan_export", "0002_records_to_syncrecord"),
    ("algoregister_national_export", "0002_records_to_syncrecord"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_records_and_permissions_move_into_syncrecord(register, django_user_model):
    entry = make_entry(register)
    sent = timezone.now() - datetime.timedelta(days=3)
    apps = migrate(OLD)
    try:
        ExportRecord = apps.get_model("algoregister_ckan_export", "ExportRecord")
        NationalExportRecord = apps.get_model(
            "algoregister_national_export", "NationalExportRecord"
        )
        ExportRecord.objects.create(
            portal="donl",
            entry_key=entry.translation_key,
            page_id=entry.pk,
            entry_title=entry.title,
            dataset_name="gm0344-vroegsignalering-1234abcd",
            identifier="https://example.invalid/algoritmeregister/id/x/",
            dataset_id="0d5c-dataset-id",
            resource_ids={"page": "r1", "json": "r2"},
            payload_hash="p" * 64,
            source_fingerprint="f" * 64,
            remote_modified="2026-11-30T10:00:00.000000",
            state="synced",
            last_action="updated",
            last_synced_at=sent,
        )
        gone = uuid.uuid4()
        ExportRecord.objects.create(
            portal="ckan",
            entry_key=gone,
            entry_title="Weg",
            state="failed",
            attempts=8,
            last_error="The portal refused the data: tags",
        )
        NationalExportRecord.objects.create(
            entry_key=entry.translation_key,
            page_id=entry.pk,
            entry_title=entry.title,
            organisation_id="gm0344",
            source_id="utrecht-schulden-1",
            lars="12345672",
            create_sent_at=sent,
            payload_hash="n" * 64,
            released_hash="r" * 64,
            state="pending",
            attempts=2,
            next_attempt_at=sent + datetime.timedelta(hours=1),
            last_error="The national register answered with HTTP 503; will try again.",
        )
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        ContentType = apps.get_model("contenttypes", "ContentType")
        old_ckan, _ = Permission.objects.get_or_create(
            codename="change_exportrecord",
            content_type=ContentType.objects.get_or_create(
                app_label="algoregister_ckan_export", model="exportrecord"
            )[0],
            defaults={"name": "Can change CKAN export"},
        )
        editors = Group.objects.create(name="Redactie")
        editors.permissions.add(old_ckan)
        user_model = apps.get_model(django_user_model._meta.label)
        user = user_model.objects.create(username="beheerder")
        user.user_permissions.add(old_ckan)
    finally:
        migrate(NEW)

    records = {(r.exporter, r.entry_key): r for r in SyncRecord.objects.all()}
    assert len(records) == 3
    ckan = records[("donl", entry.translation_key)]
    assert (ckan.remote_id, ckan.remote_name, ckan.identifier) == (
        "0d5c-dataset-id",
        "gm0344-vroegsignalering-1234abcd",
        "https://example.invalid/algoritmeregister/id/x/",
    )
    assert ckan.data == {
        "resource_ids": {"page": "r1", "json": "r2"},
        "remote_modified": "2026-11-30T10:00:00.000000",
    }
    assert (ckan.page_id, ckan.state, ckan.last_action, ckan.payload_hash) == (
        entry.pk,
        "synced",
        "updated",
        "p" * 64,
    )
    assert ckan.last_synced_at == sent and ckan.source_fingerprint == "f" * 64
    failed = records[("ckan", gone)]
    assert (failed.state, failed.attempts, failed.page_id) == ("failed", 8, None)
    assert failed.last_error == "The portal refused the data: tags"
    national = records[("national", entry.translation_key)]
    assert (national.remote_id, national.identifier, national.state) == (
        "12345672",
        "utrecht-schulden-1",
        "pending",
    )
    assert national.data == {
        "organisation": "gm0344",
        "released_hash": "r" * 64,
        "create_sent_at": sent.isoformat(),
    }
    assert national.attempts == 2 and national.next_attempt_at == sent + datetime.timedelta(hours=1)
    assert national.last_error.startswith("The national register answered with HTTP 503")

    from django.contrib.auth.models import Group as CurrentGroup

    assert (
        CurrentGroup.objects.get(name="Redactie")
        .permissions.filter(
            codename="change_syncrecord", content_type__app_label="wagtail_algoregister"
        )
        .exists()
    )
    assert django_user_model.objects.get(username="beheerder").has_perm(
        "wagtail_algoregister.change_syncrecord"
    )
