"""One rule for every exporter (issue 13, item 1): once the task queue has drained, each
target holds exactly one active entry of ours per public entry, with the live content,
and nothing else of ours. Checked after every action that can change which entries are
public, against a real CKAN 2.12 and the national register's contract server at once,
with the task queue of production (django-tasks-db and its worker).
"""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction, Revision

from national_export import auth
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage, SyncRecord
from wagtail_algoregister.sync import get_exporter, ratelimit
from wagtail_algoregister.sync.invariant import problems

from ..conftest import make_entry
from ..national_export.conftest import PASSWORD, USERNAME, national_settings
from ..national_export.contract_server import ContractServer


# Transactional: the worker commits and closes its connection like a real one.
pytestmark = [pytest.mark.ckan, pytest.mark.django_db(transaction=True)]

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TARGETS = ("ckan", "national")


@pytest.fixture
def national():
    auth.clear_cache()
    ratelimit.reset_limiters()
    server = ContractServer(rate_limit=0).start()
    yield server
    server.stop()
    auth.clear_cache()


@pytest.fixture
def targets(ckan_plain, national, settings, monkeypatch):
    """A CKAN portal and the national register, both configured; the database queue."""
    ckan_plain.purge_all()
    monkeypatch.setenv("TEST_NATIONAL_USERNAME", USERNAME)
    monkeypatch.setenv("TEST_NATIONAL_PASSWORD", PASSWORD)
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {
            "ckan": ckan_plain.portal_settings(RATE_LIMIT=0, TIMEOUT=15),
            "national": national_settings(national, RATE_LIMIT=0),
        },
    }
    settings.TASKS = DB_TASKS
    yield settings
    ckan_plain.purge_all()


def drain():
    """Run the queue until it is empty (the worker of production, in batch mode)."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def assert_invariant(public):
    """Both targets hold exactly the ``public`` entries (the rule, and not vacuously)."""
    drain()
    for name in TARGETS:
        exporter = get_exporter(name)
        assert problems(exporter) == [], name
        remote = exporter.remote_entries()
        assert sorted(e.title for e in remote) == sorted(p.title for p in public), name
    assert not SyncRecord.objects.filter(state__in=("pending", "failed")).exists(), list(
        SyncRecord.objects.values_list("exporter", "entry_title", "last_error")
    )


def fresh(page):
    return AlgorithmPage.objects.get(pk=page.pk)


def entries(register, count=2):
    pages = [
        make_entry(register, slug=f"e{i}", source_id=f"e{i}", name=f"Algoritme {i}")
        for i in range(count)
    ]
    assert_invariant(pages)
    return pages


def other_register(home, slug="ander-register"):
    page = home.add_child(
        instance=AlgorithmRegisterPage(
            title="Ander register",
            slug=slug,
            organisation_name="Gemeente Utrecht",
            organisation_code="gm0344",
        )
    )
    page.save_revision().publish()
    return page


def test_publish_edit_unpublish_republish(targets, register):
    first, second = entries(register)
    first.title = "Algoritme 0, nieuwe naam"
    first.save_revision().publish()
    assert_invariant([first, second])
    fresh(second).unpublish()
    assert_invariant([first])
    second = fresh(second)
    second.save_revision().publish()
    assert_invariant([first, second])


def test_a_draft_never_gets_there(targets, register):
    [kept] = entries(register, 1)
    entry = fresh(kept)
    entry.title = "Geheime conceptnaam"
    entry.save_revision()
    make_entry(register, publish=False, slug="concept", source_id="concept", name="Concept")
    assert_invariant([kept])


def test_delete_an_entry_or_its_register(targets, home, register):
    first, second = entries(register)
    fresh(first).delete()
    assert_invariant([second])
    other = other_register(home)
    third = make_entry(other, slug="derde", source_id="derde", name="Derde algoritme")
    assert_invariant([second, third])
    AlgorithmRegisterPage.objects.get(pk=register.pk).delete()
    assert_invariant([third])


def test_delete_a_page_above_the_register(targets, home):
    section = home.add_child(instance=Page(title="Bestuur", slug="bestuur"))
    section.save_revision().publish()
    register = other_register(section, slug="register")
    entries(register)
    Page.objects.get(pk=section.pk).delete()
    assert_invariant([])


def test_unpublish_and_republish_the_register(targets, register):
    pages = entries(register)
    AlgorithmRegisterPage.objects.get(pk=register.pk).unpublish()
    assert_invariant([])
    AlgorithmRegisterPage.objects.get(pk=register.pk).save_revision().publish()
    assert_invariant(pages)


def test_privacy_on_the_entry(targets, register):
    first, second = entries(register)
    restriction = PageViewRestriction.objects.create(
        page=first, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    assert_invariant([second])
    restriction.delete()
    assert_invariant([first, second])


@pytest.mark.parametrize("restriction_type", ["password", "login"])
def test_privacy_on_a_page_above(targets, home, register, restriction_type):
    pages = entries(register)
    restriction = PageViewRestriction.objects.create(
        page=Page.objects.get(pk=home.pk), restriction_type=restriction_type, password="geheim"
    )
    assert_invariant([])
    restriction.delete()
    assert_invariant(pages)


def test_move_between_registers_and_out_of_the_covered_ones(targets, home, register):
    first, second = entries(register)
    other = other_register(home)
    fresh(first).move(other, pos="last-child")
    assert_invariant([first, second])
    record = SyncRecord.objects.get(exporter="ckan", entry_key=first.translation_key)
    dataset = get_exporter("ckan").client.call("package_show", id=record.remote_id)
    assert dataset["url"] == fresh(first).full_url  # the new place
    # Exporters that cover only the first register. A change of settings is no action
    # on a page: the operator runs the command, which withdraws what is no longer covered.
    covered = [str(register.pk)]
    exporters = targets.WAGTAIL_ALGOREGISTER["EXPORTERS"]
    targets.WAGTAIL_ALGOREGISTER = {
        **targets.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {name: {**spec, "REGISTERS": covered} for name, spec in exporters.items()},
    }
    call_command("algoregister_sync", verbosity=0)
    assert_invariant([second])
    # Moves out of and into the covered register.
    fresh(second).move(other, pos="last-child")
    assert_invariant([])
    fresh(first).move(AlgorithmRegisterPage.objects.get(pk=register.pk), pos="last-child")
    assert_invariant([first])


def test_move_the_register_into_a_private_section(targets, home, register):
    pages = entries(register)
    section = home.add_child(instance=Page(title="Intranet", slug="intranet"))
    section.save_revision().publish()
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    AlgorithmRegisterPage.objects.get(pk=register.pk).move(section, pos="last-child")
    assert_invariant([])
    AlgorithmRegisterPage.objects.get(pk=register.pk).move(
        Page.objects.get(pk=home.pk), pos="last-child"
    )
    assert_invariant(pages)


def test_copy(targets, register):
    [entry] = entries(register, 1)
    copy = fresh(entry).copy(
        update_attrs={"slug": "kopie", "title": "Algoritme 0 (kopie)", "source_id": "kopie"},
        keep_live=True,
    )
    assert copy.live and copy.translation_key != entry.translation_key
    assert not fresh(copy).lars  # a copy is a new algorithm: no national ID of its own yet
    assert_invariant([entry, copy])
    # The copy is a new algorithm in the national register, with its own ID.
    assert fresh(copy).lars and fresh(copy).lars != fresh(entry).lars


def test_scheduled_go_live_and_expiry(targets, register):
    [entry] = entries(register, 1)
    later = make_entry(register, publish=False, slug="later", source_id="later", name="Later")
    later.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = later.save_revision()
    revision.publish()  # scheduled: not live yet (Wagtail still sends page_published)
    assert not fresh(later).live
    assert_invariant([entry])
    # The hour has passed: the scheduled job publishes it.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["content"])
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=past)
    call_command("publish_scheduled")
    assert fresh(later).live
    assert_invariant([entry, later])
    # And expires.
    AlgorithmPage.objects.filter(pk=entry.pk).update(expire_at=past)
    call_command("publish_scheduled")
    assert not fresh(entry).live
    assert_invariant([later])


def test_revert_to_an_older_revision(targets, register):
    [entry] = entries(register, 1)
    old = fresh(entry).live_revision
    changed = fresh(entry)
    changed.title = "Een tweede versie"
    changed.save_revision().publish()
    assert_invariant([changed])
    # Revert, as the admin's history does: the old revision as a new one, published.
    old.as_object().save_revision().publish()
    assert fresh(entry).title == entry.title
    assert_invariant([entry])


def test_a_published_translation_is_not_a_second_entry(targets, home, register):
    [entry] = entries(register, 1)
    english = Locale.objects.get_or_create(language_code="en")[0]
    Page.objects.get(pk=home.pk).copy_for_translation(english).save_revision().publish()
    register.copy_for_translation(english).save_revision().publish()
    translation = fresh(entry).copy_for_translation(english).specific
    translation.title = "Early help with debts"
    translation.save_revision().publish()
    assert_invariant([entry])  # the Dutch version, once
    # Unpublishing the Dutch version withdraws it, though the English one is live.
    fresh(entry).unpublish()
    assert AlgorithmPage.objects.get(pk=translation.pk).live
    assert_invariant([])


def test_the_registers_organisation_changes(targets, register):
    pages = entries(register)
    before = dict(SyncRecord.objects.values_list("pk", "source_fingerprint"))
    changed = AlgorithmRegisterPage.objects.get(pk=register.pk)
    changed.organisation_name = "Gemeente Utrecht (nieuwe naam)"
    changed.save_revision().publish()
    assert_invariant(pages)
    # Every entry at every target was checked again (its payload source changed).
    after = dict(SyncRecord.objects.values_list("pk", "source_fingerprint"))
    assert len(after) == 4 and all(after[pk] != before[pk] for pk in before)
