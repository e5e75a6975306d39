"""Move every NationalExportRecord into the shared SyncRecord (one record per exporter
and entry), then drop NationalExportRecord. The records belong to the exporter named
"national" in EXPORTERS (the system check's hint for the old NATIONAL_REGISTER setting
names it so). Groups and users that could act on the old report get the same
permission on the new one."""

import datetime
from django.conf import settings
from django.db import migrations


OLD_APP, OLD_MODEL = "algoregister_national_export", "nationalexportrecord"
EXPORTER = "national"


def grant_permission(apps):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = Permission.objects.filter(
        content_type__app_label=OLD_APP, codename=f"change_{OLD_MODEL}"
    ).first()
    if old is None:
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtail_algoregister", model="syncrecord"
    )
    new, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="change_syncrecord",
        defaults={"name": "Can change export record"},
    )
    for group in old.group_set.all():
        group.permissions.add(new)
    for user in old.user_set.all():
        user.user_permissions.add(new)


def forwards(apps, schema_editor):
    NationalExportRecord = apps.get_model(OLD_APP, "NationalExportRecord")
    SyncRecord = apps.get_model("wagtail_algoregister", "SyncRecord")
    old = list(NationalExportRecord.objects.order_by("pk"))
    taken = set(
        SyncRecord.objects.filter(
            exporter=EXPORTER, entry_key__in=[r.entry_key for r in old]
        ).values_list("entry_key", flat=True)
    )
    if taken:
        raise RuntimeError(
            f"Cannot move the national register's records: {len(taken)} entries already have "
            f"a record of an exporter named {EXPORTER!r} (a CKAN portal of that name?). "
            "Rename that exporter's records first (SyncRecord.exporter)."
        )
    data = {}
    for r in old:
        data[r.pk] = {"organisation": r.organisation_id, "released_hash": r.released_hash}
        if r.create_sent_at:
            data[r.pk]["create_sent_at"] = r.create_sent_at.isoformat()
    moved = SyncRecord.objects.bulk_create(
        [
            SyncRecord(
                exporter=EXPORTER,
                entry_key=r.entry_key,
                page_id=r.page_id,
                entry_title=r.entry_title,
                state=r.state,
                remote_id=r.lars,
                identifier=r.source_id,
                data=data[r.pk],
                payload_hash=r.payload_hash,
                source_fingerprint=r.source_fingerprint,
                last_action=r.last_action,
                last_error=r.last_error,
                attempts=r.attempts,
                next_attempt_at=r.next_attempt_at,
                last_synced_at=r.last_synced_at,
            )
            for r in old
        ],
        batch_size=500,
    )
    # bulk_create stamps auto_now fields with the time of the migration: keep the old ones.
    for record, source in zip(moved, old, strict=True):
        record.updated_at = source.updated_at
    SyncRecord.objects.bulk_update(moved, ["updated_at"], batch_size=500)
    grant_permission(apps)


def backwards(apps, schema_editor):
    NationalExportRecord = apps.get_model(OLD_APP, "NationalExportRecord")
    SyncRecord = apps.get_model("wagtail_algoregister", "SyncRecord")
    records = list(SyncRecord.objects.filter(exporter=EXPORTER).order_by("pk"))
    NationalExportRecord.objects.bulk_create(
        [
            NationalExportRecord(
                entry_key=r.entry_key,
                page_id=r.page_id,
                entry_title=r.entry_title,
                state=r.state,
                lars=r.remote_id[:8],
                source_id=r.identifier[:100],
                organisation_id=(r.data or {}).get("organisation") or "",
                released_hash=(r.data or {}).get("released_hash") or "",
                create_sent_at=datetime.datetime.fromisoformat(r.data["create_sent_at"])
                if (r.data or {}).get("create_sent_at")
                else None,
                payload_hash=r.payload_hash,
                source_fingerprint=r.source_fingerprint,
                last_action=r.last_action,
                last_error=r.last_error,
                attempts=r.attempts,
                next_attempt_at=r.next_attempt_at,
                last_synced_at=r.last_synced_at,
            )
            for r in records
        ],
        batch_size=500,
    )
    SyncRecord.objects.filter(pk__in=[r.pk for r in records]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("algoregister_national_export", "0001_initial"),
        ("wagtail_algoregister", "0004_syncrecord"),
        ("auth", "__latest__"),
        ("contenttypes", "__latest__"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="NationalExportRecord"),
    ]
