"""The exporter against the contract server: create, update, release, retract, faults."""

import pytest

from national_export.exporter import store_lars
from national_export.mapping import check_body, entry_body
from wagtail_algoregister.models import AlgorithmPage, SyncRecord
from wagtail_algoregister.standard.validation import is_lars
from wagtail_algoregister.sync import get_exporter

from ..conftest import make_entry
from .conftest import national_settings


pytestmark = pytest.mark.django_db


def sync(entry, **kwargs):
    return get_exporter("national", **kwargs).sync_key(entry.translation_key)


def record_of(entry):
    return SyncRecord.objects.get(entry_key=entry.translation_key)


def posts(server):
    return [entry for entry in server.log if entry[0] == "POST"]


def publish_change(page, **changes):
    """An editor changes the entry and publishes it, from the latest revision."""
    page = AlgorithmPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    for key, value in changes.items():
        setattr(page, key, value)
    page.save_revision().publish()
    return AlgorithmPage.objects.get(pk=page.pk)


def test_body_of_an_entry_passes_the_schema(entry, server):
    body = entry_body(entry)
    assert check_body(body) == []
    assert server.validate("AlgorithmIn", body) == []
    assert body["standard_version"] == "1.0"
    assert body["source_id"] == "utrecht-schulden-1"
    assert body["end_date"] is None  # empty optional values are sent as null


def test_create_stores_lars_releases_and_links_to_the_national_page(entry, national, client):
    outcome = sync(entry)
    assert outcome.action == "created", outcome.message
    [(lars, algorithm)] = national.algorithms.items()
    assert is_lars(lars)
    assert algorithm.latest["state"] == "STATE_2"  # released, for the register team to publish
    assert national.writes() == [
        ("POST", "/organizations/gm0344/algorithms"),
        ("PUT", f"/organizations/gm0344/algorithms/{lars}/release"),
    ]
    record = record_of(entry)
    assert (record.remote_id, record.state, record.data["organisation"]) == (
        lars,
        "synced",
        "gm0344",
    )
    page = AlgorithmPage.objects.get(pk=entry.pk)
    assert page.lars == lars
    assert page.latest_revision.content["lars"] == lars
    assert page.live_revision.content["lars"] == lars
    html = client.get(page.url).content.decode()
    assert f"https://algoritmes.overheid.nl/nl/algoritme/{lars}" in html


def test_unchanged_entries_make_no_write(entry, national):
    sync(entry)
    national.reset_log()
    assert sync(entry).action == "unchanged"
    assert national.log == []


def test_update_only_on_change(entry, national):
    sync(entry)
    lars = record_of(entry).remote_id
    national.reset_log()
    page = publish_change(entry, title="Vroegsignalering van schulden, nieuw")
    # Publishing without a change of content makes no new version.
    page = publish_change(page)
    assert sync(page).action == "updated"
    assert national.writes() == [
        ("PUT", f"/organizations/gm0344/algorithms/{lars}"),
        ("PUT", f"/organizations/gm0344/algorithms/{lars}/release"),
    ]
    algorithm = national.algorithms[lars]
    assert algorithm.latest["body"]["name"] == "Vroegsignalering van schulden, nieuw"
    assert algorithm.latest["state"] == "STATE_2"
    assert len(national.algorithms) == 1
    national.reset_log()
    page = publish_change(page)
    assert sync(page).action == "unchanged"
    assert national.writes() == []


def test_lars_survives_the_editors_next_publish(entry, national):
    stale = AlgorithmPage.objects.get(pk=entry.pk)  # an edit form opened before the upload
    sync(entry)
    lars = record_of(entry).remote_id

    # The editor edits the latest revision and publishes: the code is in it.
    page = publish_change(entry, title="Andere naam")
    assert page.lars == lars
    assert sync(page).action == "updated"

    # An edit started before the code was stored publishes without it ...
    stale.title = "Nog een andere naam"
    stale.save_revision().publish()
    assert AlgorithmPage.objects.get(pk=entry.pk).lars == ""
    # ... and the next sync (which that publish queues) puts it back: no second create.
    assert sync(entry).action == "updated"
    assert AlgorithmPage.objects.get(pk=entry.pk).lars == lars
    assert len(posts(national)) == 1
    assert len(national.algorithms) == 1


def test_store_lars_writes_the_revisions(entry):
    store_lars(entry.translation_key, "10000007")
    page = AlgorithmPage.objects.get(pk=entry.pk)
    assert page.lars == "10000007"
    assert page.get_latest_revision_as_object().lars == "10000007"


def test_retract_on_unpublish_and_republish(entry, national):
    sync(entry)
    lars = record_of(entry).remote_id
    national.publish(lars)  # the register team publishes the released version
    assert national.algorithms[lars].published

    entry.unpublish()
    national.reset_log()
    assert sync(entry).action == "withdrawn"
    assert national.writes() == [
        ("DELETE", f"/organizations/gm0344/published-algorithms/{lars}/retract")
    ]
    assert not national.algorithms[lars].published
    assert record_of(entry).state == "withdrawn"
    assert sync(entry).action == "skipped"  # nothing more to do

    national.reset_log()
    page = publish_change(entry)
    assert sync(page).action == "updated"
    assert national.writes() == [
        ("PUT", f"/organizations/gm0344/algorithms/{lars}"),
        ("PUT", f"/organizations/gm0344/algorithms/{lars}/release"),
    ]
    assert national.algorithms[lars].latest["state"] == "STATE_2"
    assert len(national.algorithms) == 1


def test_unpublish_before_the_register_published_it_takes_the_release_back(entry, national):
    sync(entry)
    lars = record_of(entry).remote_id
    assert national.algorithms[lars].latest["state"] == "STATE_2"
    entry.unpublish()
    assert sync(entry).action == "withdrawn"
    # The register's retract puts the latest version back in editing (STATE_1).
    assert national.algorithms[lars].latest["state"] == "STATE_1"


def test_retract_on_delete(entry, national):
    sync(entry)
    lars = record_of(entry).remote_id
    key = entry.translation_key
    entry.delete()
    outcome = get_exporter("national").sync_key(key)
    assert outcome.action == "withdrawn"
    record = SyncRecord.objects.get(entry_key=key)
    assert record.page is None and record.state == "withdrawn" and record.remote_id == lars
    assert (
        "DELETE",
        f"/organizations/gm0344/published-algorithms/{lars}/retract",
        200,
    ) in national.log


def test_unpublished_entry_never_sent_makes_no_call(register, national):
    page = make_entry(register, publish=False)
    assert sync(page).action == "skipped"
    assert national.log == []


def test_validation_error_from_the_server_names_the_field(entry, national):
    # The register counts lengths without HTML; a name over 100 characters is refused.
    AlgorithmPage.objects.filter(pk=entry.pk).update(title="Vroegsignalering " * 8)
    outcome = sync(entry)
    assert outcome.action == "failed" and not outcome.transient
    record = record_of(entry)
    assert record.state == "failed" and record.next_attempt_at is None
    assert "name:" in record.last_error and "100 characters" in record.last_error
    assert ("POST", "/organizations/gm0344/algorithms", 422) in national.log
    assert national.algorithms == {}


def test_a_body_the_schema_refuses_is_not_sent(entry, national):
    AlgorithmPage.objects.filter(pk=entry.pk).update(status="Gepland")
    outcome = sync(entry)
    assert outcome.action == "failed" and not outcome.transient
    assert "status: must be one of" in record_of(entry).last_error
    assert national.log == []


@pytest.mark.parametrize("kind", ["status", "drop"])
def test_server_error_or_lost_answer_is_retried_without_a_duplicate(entry, national, kind):
    national.fail("POST", r"/algorithms$", kind=kind, value=500)
    outcome = sync(entry)
    assert outcome.action == "failed" and outcome.transient
    record = record_of(entry)
    assert record.state == "pending" and record.attempts == 1 and record.next_attempt_at
    assert record.data.get("create_sent_at") is not None
    assert len(national.algorithms) == (1 if kind == "drop" else 0)

    outcome = sync(entry)
    assert outcome.action == "created", outcome.message
    [(lars, algorithm)] = national.algorithms.items()
    record = record_of(entry)
    assert (
        record.remote_id == lars
        and record.attempts == 0
        and record.data.get("create_sent_at") is None
    )
    assert algorithm.latest["state"] == "STATE_2"
    # The retry looked in the organisation's list before creating (by source_id).
    assert ("GET", "/organizations/gm0344/algorithms", 200) in national.log
    assert len(posts(national)) == (1 if kind == "drop" else 2)
    assert AlgorithmPage.objects.get(pk=entry.pk).lars == lars


def test_timeout_is_transient_and_not_duplicated(entry, national, settings):
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {
            "national": {**settings.WAGTAIL_ALGOREGISTER["EXPORTERS"]["national"], "TIMEOUT": 0.5}
        },
    }
    national.fail("POST", r"/algorithms$", kind="slow", value=1.5)
    outcome = sync(entry)
    assert outcome.action == "failed" and outcome.transient
    assert "did not answer within 0.5 seconds" in outcome.message
    import time

    time.sleep(1.2)  # the server finishes the create after the client gave up
    assert sync(entry).action == "created"
    assert len(national.algorithms) == 1


def test_release_failure_is_retried_with_release_only(entry, national):
    national.fail("PUT", r"/release$", kind="status", value=503)
    assert sync(entry).action == "failed"
    lars = record_of(entry).remote_id
    assert lars and AlgorithmPage.objects.get(pk=entry.pk).lars == lars
    national.reset_log()
    assert sync(entry).action == "updated"
    assert national.writes() == [("PUT", f"/organizations/gm0344/algorithms/{lars}/release")]


def test_release_of_an_already_released_version_is_fine(entry, national):
    sync(entry)
    lars = record_of(entry).remote_id
    # The release answer was lost: the version is released, the record does not know.
    SyncRecord.objects.filter(pk=record_of(entry).pk).update(
        data={**record_of(entry).data, "released_hash": ""}
    )
    assert sync(entry).action == "updated"
    assert ("PUT", f"/organizations/gm0344/algorithms/{lars}/release", 400) in national.log
    assert record_of(entry).state == "synced"


def test_no_release_when_switched_off(entry, national, settings):
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {"national": national_settings(national, RELEASE=False)},
    }
    assert sync(entry).action == "created"
    [algorithm] = national.algorithms.values()
    assert algorithm.latest["state"] == "STATE_1"


def test_lars_typed_by_an_editor_is_updated_not_created(entry, national):
    sync(entry)
    lars = record_of(entry).remote_id
    SyncRecord.objects.all().delete()  # e.g. a new site that imported the entry
    national.reset_log()
    page = publish_change(entry, title="Overgenomen")
    assert page.lars == lars
    assert sync(page).action == "updated"
    assert posts(national) == []
    assert len(national.algorithms) == 1


def test_unknown_organisation_is_a_permanent_failure(entry, national, settings):
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {"national": national_settings(national, ORGANISATION_ID="gm9999")},
    }
    outcome = sync(entry)
    assert outcome.action == "failed" and not outcome.transient
    assert "refused access" in outcome.message and "gm9999" in outcome.message


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_create_one_algorithm(national, register, settings):
    """Row lock per entry: the second worker waits, then finds the code (PostgreSQL)."""
    import threading

    from django.db import connection

    configured = settings.WAGTAIL_ALGOREGISTER
    settings.WAGTAIL_ALGOREGISTER = {**configured, "EXPORTERS": {}}
    entry = make_entry(register)  # (committed; with the export on, the signal would send it)
    settings.WAGTAIL_ALGOREGISTER = configured
    national.fail("POST", r"/algorithms$", kind="slow", value=1.0)
    outcomes = []

    def worker():
        try:
            outcomes.append(sync(entry).action)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created", "unchanged"]
    assert len(national.algorithms) == 1 and len(posts(national)) == 1


def test_worker_died_before_saving_the_record_no_duplicate(entry, national):
    """The create went through but neither the record nor the page kept the code."""
    sync(entry)
    SyncRecord.objects.all().delete()
    store_lars(entry.translation_key, "")
    national.reset_log()
    assert sync(entry).action == "updated"
    assert posts(national) == []
    assert national.log[0] == ("GET", "/organizations/gm0344/algorithms", 200)
    assert len(national.algorithms) == 1
    assert AlgorithmPage.objects.get(pk=entry.pk).lars == next(iter(national.algorithms))
