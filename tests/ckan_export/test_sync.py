"""The sync engine against a real CKAN 2.12 (see tests/real_ckan)."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ckan_export.client import WRITE_ACTIONS
from wagtail_algoregister.models import AlgorithmPage, SyncRecord
from wagtail_algoregister.sync import get_exporter

from ..conftest import make_entry


pytestmark = [pytest.mark.ckan]

WRITES = WRITE_ACTIONS


def portal_settings(ckan, profile="ckan", token=None, **extra):
    spec = {
        "BACKEND": "ckan_export.exporter.CkanExporter",
        "URL": ckan.url,
        "ORGANIZATION": ckan.organization,
        "PROFILE": profile,
        "TOKEN": token or ckan.editor_token,
        "RATE_LIMIT": 0,
        "TIMEOUT": 15,
        **extra,
    }
    return {"EXPORTERS": {"test": spec}}


DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def plain(ckan_plain, settings):
    ckan_plain.purge_all()
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, **portal_settings(ckan_plain)}
    # These tests call the engine directly; queued syncs would only blur what they measure.
    settings.TASKS = DUMMY_TASKS
    return ckan_plain


def sync(key):
    syncer = get_exporter("test")
    outcome = syncer.sync_key(key)
    return outcome, [c for c in syncer.client.calls if c in WRITES]


def datasets(ckan):
    result = ckan.sysadmin().action.package_search(
        fq=f"organization:{ckan.organization}", include_private=True, rows=1000
    )
    return {p["name"]: p for p in result["results"]}


def test_create_update_unchanged(plain, register):
    entry = make_entry(register)
    outcome, writes = sync(entry.translation_key)
    assert outcome.action == "created" and writes == ["package_create"]
    record = SyncRecord.objects.get(entry_key=entry.translation_key)
    remote = plain.editor().action.package_show(id=record.remote_id)
    assert remote["title"] == entry.title
    assert {r["url"] for r in remote["resources"]} >= {entry.full_url}
    resource_ids = dict(record.data["resource_ids"])

    outcome, writes = sync(entry.translation_key)
    assert outcome.action == "unchanged" and writes == []

    entry.description_short = "Een nieuwe korte omschrijving."
    entry.save_revision().publish()
    outcome, writes = sync(entry.translation_key)
    assert outcome.action == "updated" and writes == ["package_revise"]
    remote = plain.editor().action.package_show(id=record.remote_id)
    assert "Een nieuwe korte omschrijving." in remote["notes"]
    record.refresh_from_db()
    # Resource ids stay the same across updates.
    assert record.data["resource_ids"] == resource_ids
    assert {r["id"] for r in remote["resources"]} == set(resource_ids.values())


def test_rename_keeps_the_dataset_name(plain, register):
    entry = make_entry(register)
    sync(entry.translation_key)
    name = SyncRecord.objects.get().remote_name
    entry.title = "Een heel andere naam voor dit algoritme"
    entry.slug = "andere-naam"
    entry.save_revision().publish()
    outcome, _writes = sync(entry.translation_key)
    assert outcome.action == "updated"
    assert list(datasets(plain)) == [name]
    assert datasets(plain)[name]["title"] == "Een heel andere naam voor dit algoritme"


def test_unpublish_withdraws_and_republish_restores(plain, register):
    entry = make_entry(register)
    sync(entry.translation_key)
    record = SyncRecord.objects.get()
    entry.unpublish()
    outcome, writes = sync(entry.translation_key)
    assert outcome.action == "withdrawn" and writes == ["package_delete"]
    assert plain.sysadmin().action.package_show(id=record.remote_id)["state"] == "deleted"
    assert datasets(plain) == {}

    entry.refresh_from_db()
    entry.save_revision().publish()
    outcome, _writes = sync(entry.translation_key)
    assert outcome.action == "updated"
    restored = plain.sysadmin().action.package_show(id=record.remote_id)
    assert restored["state"] == "active" and restored["name"] == record.remote_name
    assert len(datasets(plain)) == 1


def test_retired_entries_stay_published(plain, register):
    entry = make_entry(register, status="Buiten gebruik", end_date="2025-01")
    outcome, _ = sync(entry.translation_key)
    assert outcome.action == "created"
    assert len(datasets(plain)) == 1


def test_deleted_entry_is_withdrawn(plain, register):
    entry = make_entry(register)
    key = entry.translation_key
    sync(key)
    remote_id = SyncRecord.objects.get().remote_id
    entry.delete()
    outcome, writes = sync(key)
    assert outcome.action == "withdrawn" and writes == ["package_delete"]
    assert plain.sysadmin().action.package_show(id=remote_id)["state"] == "deleted"
    record = SyncRecord.objects.get()
    assert record.page is None and record.state == "withdrawn"


def test_draft_content_never_reaches_the_portal(plain, register):
    entry = make_entry(register)
    sync(entry.translation_key)
    entry.title = "Geheime conceptnaam"
    entry.save_revision()  # a draft, not published
    sync(entry.translation_key)
    assert all("Geheime" not in d["title"] for d in datasets(plain).values())
    draft = make_entry(
        register, publish=False, slug="concept", source_id="concept", name="Nooit gepubliceerd"
    )
    outcome, writes = sync(draft.translation_key)
    assert outcome.action == "skipped" and writes == []
    assert all("Nooit" not in d["title"] for d in datasets(plain).values())


def test_lost_answer_is_not_posted_twice(plain, register):
    """A create whose answer was lost: the next attempt finds the dataset by its frozen name."""
    entry = make_entry(register)
    sync(entry.translation_key)
    record = SyncRecord.objects.get()
    # Forget what we learned from the answer, as if it never arrived.
    SyncRecord.objects.filter(pk=record.pk).update(
        remote_id="", state="pending", payload_hash="", data={}
    )
    outcome, writes = sync(entry.translation_key)
    assert outcome.action == "updated" and "package_create" not in writes
    assert len(datasets(plain)) == 1


def test_ckan_validation_error_is_surfaced(plain, register, monkeypatch):
    from ckan_export.profiles import get_profile

    profile = get_profile("ckan")
    original = profile.build

    def bad_build(context, portal):
        payload = original(context, portal)
        payload["tags"] = [{"name": "ongeldig#label"}]
        return payload

    monkeypatch.setattr(profile, "build", bad_build)
    entry = make_entry(register)
    outcome, _ = sync(entry.translation_key)
    assert outcome.action == "failed" and not outcome.transient
    record = SyncRecord.objects.get()
    assert record.state == "failed"
    assert "tags" in record.last_error and "ongeldig#label" in record.last_error
    assert datasets(plain) == {}


def test_revoked_token_is_surfaced(ckan_plain, settings, register):
    ckan_plain.purge_all()
    sysadmin = ckan_plain.sysadmin()
    token = sysadmin.action.api_token_create(user=ckan_plain.editor_name, name="revoked-in-test")[
        "token"
    ]
    sysadmin.action.api_token_revoke(token=token)
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        **portal_settings(ckan_plain, token=token),
    }
    entry = make_entry(register)
    outcome, _ = sync(entry.translation_key)
    assert outcome.action == "failed"
    record = SyncRecord.objects.get()
    assert record.state == "failed" and "refused access" in record.last_error
    assert token not in record.last_error


def test_command_summary_and_orphan_check(plain, register, capsys):
    entries = [
        make_entry(register, slug=f"e{i}", source_id=f"e{i}", name=f"Algoritme {i}")
        for i in range(12)
    ]
    draft = make_entry(register, publish=False, slug="draft", source_id="draft", name="Concept")
    call_command("ckan_sync")
    assert (
        capsys.readouterr().out.strip().splitlines()[-1]
        == "created=12 updated=0 unchanged=0 withdrawn=0 failed=0"
    )
    call_command("ckan_sync")
    assert (
        capsys.readouterr().out.strip().splitlines()[-1]
        == "created=0 updated=0 unchanged=12 withdrawn=0 failed=0"
    )
    assert len(datasets(plain)) == 12 and draft.title not in {
        d["title"] for d in datasets(plain).values()
    }

    # One entry vanishes from our database without a trace (say, a restore of an old backup):
    # its dataset is an orphan and goes (1 of 12 is within the 10% guard... 8.3%).
    gone = entries[0]
    SyncRecord.objects.filter(entry_key=gone.translation_key).delete()
    AlgorithmPage.objects.filter(pk=gone.pk).delete()
    call_command("ckan_sync")
    assert (
        capsys.readouterr().out.strip().splitlines()[-1]
        == "created=0 updated=0 unchanged=11 withdrawn=1 failed=0"
    )
    assert len(datasets(plain)) == 11

    # Two more vanish (2 of 11 = 18%): the guard refuses and nothing is removed.
    for entry in entries[1:3]:
        SyncRecord.objects.filter(entry_key=entry.translation_key).delete()
        AlgorithmPage.objects.filter(pk=entry.pk).delete()
    with pytest.raises(CommandError):
        call_command("ckan_sync")
    captured = capsys.readouterr()
    assert (
        captured.out.strip().splitlines()[-1]
        == "created=0 updated=0 unchanged=9 withdrawn=0 failed=1"
    )
    assert "Orphan check refused" in captured.err
    assert len(datasets(plain)) == 11


def test_dry_run_writes_nothing(plain, register, capsys):
    make_entry(register)
    call_command("ckan_sync", "--dry-run")
    out = capsys.readouterr().out
    assert "would be created" in out
    assert out.strip().splitlines()[-1] == "created=1 updated=0 unchanged=0 withdrawn=0 failed=0"
    assert datasets(plain) == {}
    assert not SyncRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_workers_never_create_two_datasets(plain, register):
    entry = make_entry(register)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(get_exporter("test").sync_key(entry.translation_key).action)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["created", "unchanged"]
    assert len(datasets(plain)) == 1
    assert SyncRecord.objects.count() == 1


@pytest.mark.parametrize("policy", ["private", "purge"])
def test_other_withdrawal_policies(ckan_plain, settings, register, policy):
    ckan_plain.purge_all()
    # Plain CKAN lets only sysadmins purge (data.overheid.nl lets the creator purge).
    token = ckan_plain.sysadmin_token if policy == "purge" else None
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        **portal_settings(ckan_plain, token=token, WITHDRAW=policy),
    }
    settings.TASKS = DUMMY_TASKS
    entry = make_entry(register)
    sync(entry.translation_key)
    record = SyncRecord.objects.get()
    entry.unpublish()
    outcome, writes = sync(entry.translation_key)
    assert outcome.action == "withdrawn", outcome.message
    if policy == "private":
        assert writes == ["package_patch"]
        assert ckan_plain.sysadmin().action.package_show(id=record.remote_id)["private"] is True
        # Anonymous visitors no longer see it.
        with pytest.raises(Exception, match="(?i)authori"):
            ckan_plain.anonymous().action.package_show(id=record.remote_id)
    else:
        assert writes == ["dataset_purge"]
        with pytest.raises(Exception, match="(?i)not found"):
            ckan_plain.sysadmin().action.package_show(id=record.remote_id)

    entry.refresh_from_db()
    entry.save_revision().publish()
    outcome, _writes = sync(entry.translation_key)
    assert outcome.action == ("updated" if policy == "private" else "created")
    visible = datasets(ckan_plain)
    assert len(visible) == 1 and not next(iter(visible.values()))["private"]
    assert next(iter(visible)) == record.remote_name


def test_english_versions_share_the_dutch_dataset(plain, register):
    """One dataset per algorithm: an English translation never becomes a second one."""
    from wagtail.models import Locale

    entry = make_entry(register)
    sync(entry.translation_key)
    english = Locale.objects.get_or_create(language_code="en")[0]
    register.get_parent().copy_for_translation(english).save_revision().publish()
    register.copy_for_translation(english).save_revision().publish()
    copy = entry.copy_for_translation(english).specific
    copy.title = "Early help with debts"
    copy.save_revision().publish()
    outcome, writes = sync(entry.translation_key)
    assert outcome.action == "unchanged" and writes == []
    assert [d["title"] for d in datasets(plain).values()] == [entry.title]
    # And the full run (orphan check included) agrees.
    counts, _outcomes = get_exporter("test").run()
    assert counts["created"] == 0 and counts["failed"] == 0
    assert len(datasets(plain)) == 1
