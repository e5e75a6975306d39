"""Move every ExportRecord into the shared SyncRecord (one record per exporter and entry),
then drop ExportRecord. A portal's records keep its name: the portal "donl" of
CKAN_PORTALS is the exporter "donl" of EXPORTERS. Groups and users that could act on
the old report get the same permission on the new one."""

from django.conf import settings
from django.db import migrations


OLD_APP, OLD_MODEL = "algoregister_ckan_export", "exportrecord"


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
    ExportRecord = apps.get_model(OLD_APP, "ExportRecord")
    SyncRecord = apps.get_model("wagtail_algoregister", "SyncRecord")
    old = list(ExportRecord.objects.order_by("pk"))
    taken = {
        (exporter, str(key))
        for exporter, key in SyncRecord.objects.values_list("exporter", "entry_key")
    } & {(r.portal, str(r.entry_key)) for r in old}
    if taken:
        raise RuntimeError(
            f"Cannot move the CKAN export's records: {len(taken)} already have a record of an "
            f"exporter of the same name ({', '.join(sorted({e for e, _k in taken}))}). "
            "Rename that exporter's records first (SyncRecord.exporter)."
        )
    moved = SyncRecord.objects.bulk_create(
        [
            SyncRecord(
                exporter=r.portal,
                entry_key=r.entry_key,
                page_id=r.page_id,
                entry_title=r.entry_title,
                state=r.state,
                remote_id=r.dataset_id,
                remote_name=r.dataset_name,
                identifier=r.identifier,
                data={"resource_ids": r.resource_ids or {}, "remote_modified": r.remote_modified},
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
    ExportRecord = apps.get_model(OLD_APP, "ExportRecord")
    SyncRecord = apps.get_model("wagtail_algoregister", "SyncRecord")
    # The CKAN exporter's records are those with resource ids.
    records = [r for r in SyncRecord.objects.order_by("pk") if "resource_ids" in (r.data or {})]
    ExportRecord.objects.bulk_create(
        [
            ExportRecord(
                portal=r.exporter,
                entry_key=r.entry_key,
                page_id=r.page_id,
                entry_title=r.entry_title,
                state=r.state,
                dataset_id=r.remote_id,
                dataset_name=r.remote_name,
                identifier=r.identifier,
                resource_ids=r.data.get("resource_ids") or {},
                remote_modified=r.data.get("remote_modified") or "",
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
        ("algoregister_ckan_export", "0001_initial"),
        ("wagtail_algoregister", "0004_syncrecord"),
        ("auth", "__latest__"),
        ("contenttypes", "__latest__"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="ExportRecord"),
    ]
