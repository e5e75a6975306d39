"""Faults between us and a real CKAN 2.12: after the fault clears, one more sync is enough.

A :class:`~tests.ckan_export.fault_proxy.FaultProxy` sits between the portal settings and
the real CKAN (``ckan_plain``) and refuses connections, answers 500, answers too late, or
executes a request and then hangs up without answering. Under each fault the failures
must be recorded as transient (pending, with a next attempt and a plain message); once
the fault clears, one sync must leave the portal holding exactly one active dataset per
published entry, with the latest content, nothing for unpublished entries and no
duplicates, in any state.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.core.management import execute_from_command_line
from django.db import connections
from django.utils import timezone, translation

from ckan_export.client import WRITE_ACTIONS as WRITES
from ckan_export.exporter import remote_identifier
from wagtail_algoregister.models import AlgorithmPage, SyncRecord
from wagtail_algoregister.sync import get_exporter

from ..conftest import make_entry
from .fault_proxy import FaultProxy


pytestmark = [pytest.mark.ckan]

TIMEOUT = 2.0  # the portal's TIMEOUT: the proxy's slow answers come later than this
SLOW = TIMEOUT + 1.5
MODES = ("refuse", "error500", "slow", "drop_after_send")
WRITE_ACTIONS = ("package_create", "package_revise", "package_delete")
# What an editor reads in the report for each fault (never a URL, body or token).
MESSAGES = {
    "refuse": "Could not connect to the portal; will try again.",
    "error500": "The portal answered with an error (500); will try again.",
    "slow": f"The portal did not answer within {TIMEOUT:g} seconds; will try again.",
    "drop_after_send": "Could not connect to the portal; will try again.",
}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def english():
    """The messages compared below are the English ones (they follow the active language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def proxy(ckan_plain):
    with FaultProxy(ckan_plain.url) as proxy:
        yield proxy


@pytest.fixture
def portal(ckan_plain, proxy, settings):
    """The test portal, reached through the proxy; no datasets before and after."""
    ckan_plain.purge_all()
    spec = ckan_plain.portal_settings(URL=proxy.url, TIMEOUT=TIMEOUT, RATE_LIMIT=0)
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {"test": spec},
    }
    # The tests call the engine themselves; queued syncs would blur what they check.
    settings.TASKS = DUMMY_TASKS
    yield ckan_plain
    ckan_plain.purge_all()


# -- helpers ---------------------------------------------------------------------


def run_sync():
    syncer = get_exporter("test")
    counts, outcomes = syncer.run()
    return dict(counts), outcomes, syncer.client.calls


def counted(created=0, updated=0, unchanged=0, withdrawn=0, failed=0):
    """The counts of a run, as ``CkanExporter.run`` returns them."""
    return {
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "withdrawn": withdrawn,
        "failed": failed,
    }


def sync_key(key):
    syncer = get_exporter("test")
    return syncer.sync_key(key), syncer.client.calls


def record(page):
    return SyncRecord.objects.get(exporter="test", entry_key=page.translation_key)


def fresh(page):
    return AlgorithmPage.objects.get(pk=page.pk)


def all_packages(ckan):
    """Every dataset of the organisation in any state (active, private, draft, deleted),
    from CKAN's database and package_show, so nothing hides behind the search index."""
    ids = ckan.sql("SELECT id FROM package WHERE owner_org = :'org'", org=ckan.organization_id)
    with ckan.sysadmin() as ck:
        return [ck.action.package_show(id=package_id) for (package_id,) in ids]


def searched(ckan):
    """The organisation's datasets as the search index (and so the portal's visitors) has them."""
    with ckan.sysadmin() as ck:
        result = ck.action.package_search(
            fq=f'owner_org:"{ckan.organization_id}"', include_private=True, rows=1000
        )
    return result["results"]


def assert_portal_holds_exactly(ckan, published, unpublished=(), policy="delete"):
    """One public, active dataset per published entry, with its latest content; for
    unpublished entries only what the ``WITHDRAW`` policy leaves; no duplicates at all."""
    published = [fresh(p) for p in published]
    expected = {page.identifier_uri: page for page in published}
    gone = {page.identifier_uri for page in unpublished}
    by_identifier = defaultdict(list)
    for package in all_packages(ckan):
        by_identifier[remote_identifier(package)].append(package)

    # No duplicates in any state, and nothing that is not ours.
    duplicates = {i: [p["name"] for p in ps] for i, ps in by_identifier.items() if len(ps) > 1}
    assert duplicates == {}
    assert set(by_identifier) <= set(expected) | gone
    visible = {
        i: ps[0]
        for i, ps in by_identifier.items()
        if ps[0]["state"] == "active" and not ps[0]["private"]
    }
    assert set(visible) == set(expected)
    for identifier, page in expected.items():
        assert visible[identifier]["title"] == page.title
        assert page.description_short in visible[identifier]["notes"]
    for identifier in gone:
        left = by_identifier.get(identifier, [])
        if policy == "delete":
            assert [p["state"] for p in left] in ([], ["deleted"])
        elif policy == "private":
            assert [p["private"] for p in left] in ([], [True])
        else:
            assert left == []
    # The search index agrees.
    assert sorted(remote_identifier(p) for p in searched(ckan) if not p["private"]) == sorted(
        expected
    )


def assert_pending(pages, mode, token, attempts):
    now = timezone.now()
    for page in pages:
        rec = record(page)
        assert rec.state == SyncRecord.State.PENDING, (page.title, rec.state, rec.last_error)
        assert rec.attempts == attempts and rec.last_action == "failed"
        assert rec.next_attempt_at is not None and rec.next_attempt_at > now
        assert rec.last_error == MESSAGES[mode]
        assert token not in rec.last_error


def assert_in_sync(published, unpublished=()):
    for page in published:
        rec = record(page)
        assert rec.state == SyncRecord.State.SYNCED, (page.title, rec.last_error)
        assert rec.remote_id and rec.attempts == 0 and rec.next_attempt_at is None
        assert rec.last_error == ""
    for page in unpublished:
        assert record(page).state == SyncRecord.State.WITHDRAWN


def ckan_sync_command(monkeypatch, capsys):
    """``manage.py ckan_sync`` as a shell runs it: (exit status, last line of stdout)."""
    # run_from_argv closes the database connections at the end; inside a test's
    # transaction that would break the rest of the test.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    capsys.readouterr()
    try:
        execute_from_command_line(["manage.py", "ckan_sync"])
        status = 0
    except SystemExit as exit:
        status = exit.code
    out = capsys.readouterr().out.strip().splitlines()
    return status, out[-1] if out else ""


@dataclass
class Scenario:
    kept: AlgorithmPage  # synced, then not touched
    edited: list  # synced, then edited and published again
    withdrawn: AlgorithmPage  # synced, then unpublished
    new: list  # published after the last sync

    @property
    def published(self):
        return [self.kept, *self.edited, *self.new]

    @property
    def changed(self):
        return [*self.edited, self.withdrawn, *self.new]


def scenario(register) -> Scenario:
    old = [
        make_entry(register, slug=f"e{i}", source_id=f"e{i}", name=f"Algoritme {i}")
        for i in range(4)
    ]
    counts, outcomes, _calls = run_sync()
    assert counts["created"] == 4 and counts["failed"] == 0, outcomes
    kept, renamed, described, withdrawn = old
    renamed.title = "Algoritme 1, nieuwe naam"
    renamed.save_revision().publish()
    described.description_short = "Een nieuwe korte omschrijving, na de eerste sync."
    described.save_revision().publish()
    withdrawn.unpublish()
    new = [
        make_entry(register, slug=f"n{i}", source_id=f"n{i}", name=f"Nieuw algoritme {i}")
        for i in range(2)
    ]
    return Scenario(kept, [renamed, described], withdrawn, new)


# -- one sync after the fault ----------------------------------------------------


@pytest.mark.parametrize("scope", ["writes", "everything"])
@pytest.mark.parametrize("mode", MODES)
def test_one_sync_after_the_fault_restores_the_portal(
    portal, proxy, register, mode, scope, monkeypatch, capsys
):
    s = scenario(register)
    proxy.set(mode, actions=WRITE_ACTIONS if scope == "writes" else None, delay=SLOW)

    counts, outcomes, _calls = run_sync()
    if scope == "writes":
        # Reads work, so the run reaches every entry: each write fails, for a retry.
        assert counts == counted(created=0, updated=0, unchanged=1, withdrawn=0, failed=5)
        failed = [o for o in outcomes if o.action == "failed"]
        assert len(failed) == 5 and all(o.transient for o in failed)
        assert {o.message for o in failed} == {MESSAGES[mode]}
    else:
        # Nothing answers: the run stops at the listing with one failure for the portal.
        assert counts == counted(created=0, updated=0, unchanged=0, withdrawn=0, failed=1)
        assert outcomes[0].transient and outcomes[0].message == MESSAGES[mode]
        # The queue syncs entry by entry (tasks.sync_entry): each records its failure.
        for page in s.changed:
            outcome, _calls = sync_key(page.translation_key)
            assert outcome.action == "failed" and outcome.transient, outcome
        # An entry unchanged since its last sync needs no call at all.
        outcome, calls = sync_key(s.kept.translation_key)
        assert outcome.action == "unchanged" and calls == []
    assert_pending(s.changed, mode, portal.editor_token, attempts=1)
    assert record(s.kept).state == SyncRecord.State.SYNCED

    # The command fails loudly while the fault lasts.
    status, summary = ckan_sync_command(monkeypatch, capsys)
    assert status not in (0, None)
    assert int(re.search(r"\bfailed=(\d+)$", summary).group(1)) > 0, summary
    assert_pending(s.changed, mode, portal.editor_token, attempts=1 if scope != "writes" else 2)

    # An edit made while the portal is unreachable must not be lost either.
    renamed = fresh(s.edited[0])
    renamed.title = "Algoritme 1, tijdens de storing hernoemd"
    renamed.save_revision().publish()

    proxy.clear()
    counts, outcomes, calls = run_sync()
    assert counts["failed"] == 0, [o.message for o in outcomes if o.action == "failed"]
    # Slow and dropped answers came after CKAN created the datasets: found, not posted again.
    executed = scope == "writes" and mode in ("slow", "drop_after_send")
    assert calls.count("package_create") == (0 if executed else 2)
    assert counts == counted(
        created=0 if executed else 2,
        updated=4 if executed else 2,
        unchanged=1,
        withdrawn=1,
        failed=0,
    )
    assert_portal_holds_exactly(portal, s.published, [s.withdrawn])
    assert_in_sync(s.published, [s.withdrawn])

    # And the sync after that has nothing left to do.
    counts, _outcomes, calls = run_sync()
    assert counts == counted(created=0, updated=0, unchanged=5, withdrawn=0, failed=0)
    assert [c for c in calls if c in WRITES] == []


# -- the lost answer of a create -------------------------------------------------


def test_lost_create_answer_is_not_posted_twice(portal, proxy, register):
    """CKAN created the dataset but the answer never came: the retry finds it by name."""
    entry = make_entry(register)
    proxy.set("drop_after_send", actions={"package_create"}, count=1)
    outcome, calls = sync_key(entry.translation_key)
    assert outcome.action == "failed" and outcome.transient, outcome
    assert calls[-1] == "package_create"
    assert proxy.faults("drop_after_send", "package_create") == 1
    rec = record(entry)
    assert rec.state == SyncRecord.State.PENDING and rec.remote_id == ""
    # The create did happen, under the name frozen before it was sent.
    [package] = all_packages(portal)
    assert package["name"] == rec.remote_name and package["state"] == "active"

    outcome, calls = sync_key(entry.translation_key)
    assert outcome.action == "updated", outcome
    assert "package_create" not in calls
    assert_portal_holds_exactly(portal, [entry])
    assert record(entry).remote_id == package["id"]


def test_lost_create_answer_after_a_crash_is_found_by_identifier(portal, proxy, register):
    """The worker died after the create: no record at all, and the entry was renamed since,
    so the name it would derive now is another one. The identifier still finds the dataset."""
    entry = make_entry(register)
    proxy.set("drop_after_send", actions={"package_create"}, count=1)
    outcome, _calls = sync_key(entry.translation_key)
    assert outcome.action == "failed"
    [package] = all_packages(portal)
    SyncRecord.objects.all().delete()  # as if the transaction never committed
    entry.title = "Een andere naam, na de crash"
    entry.save_revision().publish()

    counts, _outcomes, calls = run_sync()
    assert counts == counted(created=0, updated=1, unchanged=0, withdrawn=0, failed=0)
    assert "package_create" not in calls
    assert_portal_holds_exactly(portal, [entry])
    # The dataset keeps the name it was created with.
    assert record(entry).remote_name == package["name"]


def test_lost_create_answer_then_unpublished(portal, proxy, register):
    """A create whose answer was lost, then the entry is unpublished: the dataset goes."""
    entry = make_entry(register)
    proxy.set("slow", actions={"package_create"}, count=1, delay=SLOW)
    outcome, _calls = sync_key(entry.translation_key)
    assert outcome.action == "failed" and outcome.message == MESSAGES["slow"]
    entry.unpublish()
    outcome, calls = sync_key(entry.translation_key)
    assert outcome.action == "withdrawn" and calls == ["package_delete"]
    assert_portal_holds_exactly(portal, [], [entry])
    assert record(entry).state == SyncRecord.State.WITHDRAWN


def test_lost_revise_answer_keeps_the_latest_edit(portal, proxy, register):
    """An update that CKAN applied but whose answer was lost, then another edit: the
    retry sends the newest content, with the dataset's current version as the match."""
    entry = make_entry(register)
    assert sync_key(entry.translation_key)[0].action == "created"
    entry.title = "Eerste wijziging"
    entry.save_revision().publish()
    proxy.set("drop_after_send", actions={"package_revise"}, count=1)
    assert sync_key(entry.translation_key)[0].action == "failed"
    [package] = all_packages(portal)
    assert package["title"] == "Eerste wijziging"  # applied, answer lost
    entry = fresh(entry)
    entry.title = "Tweede wijziging"
    entry.save_revision().publish()

    outcome, calls = sync_key(entry.translation_key)
    assert outcome.action == "updated", outcome
    assert calls.count("package_revise") == 1
    assert_portal_holds_exactly(portal, [entry])


def test_portal_down_then_up(portal, proxy, register, monkeypatch, capsys):
    """Nothing listens at the portal's address (connection refused), then it is back."""
    entries = [
        make_entry(register, slug=f"d{i}", source_id=f"d{i}", name=f"Algoritme {i}")
        for i in range(3)
    ]
    proxy.set("refuse")  # the listening socket is closed
    status, summary = ckan_sync_command(monkeypatch, capsys)
    assert status == 1 and summary == "created=0 updated=0 unchanged=0 withdrawn=0 failed=1"
    for entry in entries:
        outcome, _calls = sync_key(entry.translation_key)
        assert outcome.action == "failed" and outcome.message == MESSAGES["refuse"]
    assert_pending(entries, "refuse", portal.editor_token, attempts=1)

    proxy.clear()
    status, summary = ckan_sync_command(monkeypatch, capsys)
    assert status == 0 and summary == "created=3 updated=0 unchanged=0 withdrawn=0 failed=0"
    assert_portal_holds_exactly(portal, entries)
    assert_in_sync(entries)


@pytest.mark.parametrize("policy", ["delete", "private", "purge"])
def test_withdrawal_after_a_fault_by_each_policy(portal, proxy, register, settings, policy):
    """A withdrawal that failed is done by the next run, whatever the ``WITHDRAW`` policy,
    and the orphan check of that run does not take it for an orphan."""
    spec = {**settings.WAGTAIL_ALGOREGISTER["EXPORTERS"]["test"], "WITHDRAW": policy}
    if policy == "purge":
        spec["TOKEN"] = portal.sysadmin_token  # CKAN lets only sysadmins purge datasets
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {"test": spec},
    }
    kept, gone = (
        make_entry(register, slug=f"w{i}", source_id=f"w{i}", name=f"Algoritme {i}")
        for i in range(2)
    )
    assert run_sync()[0] == counted(created=2)
    gone.unpublish()
    proxy.set("error500", actions={"package_delete", "package_patch", "dataset_purge"})
    counts, _outcomes, _calls = run_sync()
    assert counts == counted(unchanged=1, failed=1)
    assert_pending([gone], "error500", portal.editor_token, attempts=1)

    proxy.clear()
    counts, outcomes, calls = run_sync()
    assert counts == counted(unchanged=1, withdrawn=1), [o.message for o in outcomes]
    assert len([c for c in calls if c in WRITES]) == 1
    assert_portal_holds_exactly(portal, [kept], [gone], policy=policy)
    assert_in_sync([kept], [gone])
    # Nothing left to do, and no withdrawn dataset taken for an orphan.
    counts, _outcomes, calls = run_sync()
    assert counts == counted(unchanged=1)
    assert [c for c in calls if c in WRITES] == []


def test_an_edit_sent_during_a_run_is_not_reverted_by_the_run(portal, register):
    """A run reads every entry at its start and takes a while. An edit published meanwhile
    and sent at once by the queue must not be overwritten with what the run read."""
    entry = make_entry(register)
    assert run_sync()[0] == counted(created=1)
    entry.title = "Gelezen door de run"
    entry.save_revision().publish()
    syncer = get_exporter("test")
    read_at_start = syncer.wanted_pages()  # the run's snapshot of the entries
    entry = fresh(entry)
    entry.title = "Gepubliceerd tijdens de run"
    entry.save_revision().publish()
    assert sync_key(entry.translation_key)[0].action == "updated"  # the queue's task

    syncer.wanted_pages = lambda: read_at_start
    counts, _outcomes = syncer.run()
    assert counts == counted(unchanged=1)
    assert [c for c in syncer.client.calls if c in WRITES] == []
    assert_portal_holds_exactly(portal, [entry])
