"""After a change, a task warms the register pages' caches: the first resident does not wait."""

import pytest
from django.db import connection, transaction
from django.http import QueryDict
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from wagtail_algoregister import listing, warmup
from wagtail_algoregister.formats.dcat import catalog_stats
from wagtail_algoregister.listing.cache import cache_key
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage

from .conftest import make_entry
from .test_i18n import translate


pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASK = "wagtail_algoregister.warmup.warm_register_pages"


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def warm(register) -> bool:
    """Are the default listing's numbers cached under the register's current stamp?"""
    from django.core.cache import cache

    register = AlgorithmRegisterPage.objects.get(pk=register.pk)
    key = cache_key(listing.version_stamp(register), listing.parse_params(QueryDict()))
    return cache.get(key) is not None


def aggregates(captured):
    """The queries that count every entry per facet value (what the cache saves)."""
    return [q["sql"] for q in captured if "COUNT(" in q["sql"] and "FILTER" in q["sql"]]


def queued():
    return DBTaskResult.objects.filter(task_path=TASK).count()


def test_after_a_publish_the_first_request_reads_no_aggregate(
    client, register, django_capture_on_commit_callbacks
):
    make_entry(register, slug="een", name="Algoritme een")
    with django_capture_on_commit_callbacks(execute=True):
        make_entry(register, slug="twee", name="Algoritme twee")
    assert warm(register)
    with CaptureQueriesContext(connection) as first:
        response = client.get("/algoritmeregister/")
    assert aggregates(first.captured_queries) == []
    # its filters and results were rendered by the warm-up too: no more work than later
    with CaptureQueriesContext(connection) as later:
        client.get("/algoritmeregister/")
    assert len(first.captured_queries) == len(later.captured_queries)
    # ... and what it shows is the new state, not an older one
    assert [e.title for e in response.context["listing"].entries] == [
        "Algoritme een",
        "Algoritme twee",
    ]
    assert response.context["listing"].count == 2
    # the catalogue's totals are cached too: no aggregate over the entries
    register = AlgorithmRegisterPage.objects.get(pk=register.pk)
    with CaptureQueriesContext(connection) as stats:
        assert catalog_stats(register)["total"] == 2
    assert not [q for q in stats.captured_queries if 'MAX("wagtailcore_page"' in q["sql"]]


def test_the_warm_up_renders_what_the_first_request_would(
    client, register, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    make_entry(register, slug="een", name="Algoritme een")
    with django_capture_on_commit_callbacks(execute=True):
        make_entry(register, slug="twee", name="Algoritme twee", status="In ontwikkeling")
    warmed = client.get("/algoritmeregister/").content.decode()
    cache.clear()
    rendered = client.get("/algoritmeregister/").content.decode()
    assert warmed == rendered
    assert "Algoritme twee" in warmed and 'value="In ontwikkeling"' in warmed


def test_without_the_warm_up_the_first_request_reads_every_entry(
    client, register, django_capture_on_commit_callbacks
):
    """What the test above saves: the warm-up's hooks not run (no worker yet)."""
    with django_capture_on_commit_callbacks(execute=False):
        make_entry(register, slug="een", name="Algoritme een")
    assert not warm(register)
    with CaptureQueriesContext(connection) as first:
        client.get("/algoritmeregister/")
    assert aggregates(first.captured_queries)


def unpublish(register, home):
    AlgorithmPage.objects.get(slug="een").unpublish()


def move(register, home):
    other = AlgorithmRegisterPage(title="Ander", slug="ander", organisation_name="Gemeente X")
    home.add_child(instance=other)
    other.save_revision().publish()
    AlgorithmPage.objects.get(slug="een").move(other, pos="last-child")


def delete(register, home):
    AlgorithmPage.objects.get(slug="een").delete()


def restrict_entry(register, home):
    PageViewRestriction.objects.create(
        page=AlgorithmPage.objects.get(slug="een"), restriction_type="login"
    )


def restrict_register(register, home):
    PageViewRestriction.objects.create(page=register, restriction_type="password", password="x")


def lift_restriction(register, home):
    PageViewRestriction.objects.get(page__slug="een").delete()


@pytest.mark.parametrize(
    "change", [unpublish, move, delete, restrict_entry, restrict_register, lift_restriction]
)
def test_every_kind_of_change_is_followed_by_a_warm_up(
    home, register, change, django_capture_on_commit_callbacks
):
    make_entry(register, slug="een", name="Algoritme een")
    make_entry(register, slug="twee", name="Algoritme twee")
    if change is lift_restriction:
        restrict_entry(register, home)
    before = listing.version_stamp(AlgorithmRegisterPage.objects.get(pk=register.pk))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change(register, home)
    assert callbacks, "the change queued nothing"
    assert listing.version_stamp(AlgorithmRegisterPage.objects.get(pk=register.pk)) != before
    assert warm(register)


def test_one_task_per_transaction(register, django_capture_on_commit_callbacks):
    with override_settings(TASKS=QUEUE):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                for number in range(3):
                    make_entry(register, slug=f"entry-{number}", source_id=f"entry-{number}")
        assert queued() == 1
        # the next transaction queues its own
        with django_capture_on_commit_callbacks(execute=True):
            make_entry(register, slug="later", source_id="later")
        assert queued() == 2


def test_a_rolled_back_transaction_does_not_hold_up_the_next(
    register, django_capture_on_commit_callbacks
):
    with override_settings(TASKS=QUEUE):
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    make_entry(register, slug="een", source_id="een")
                    raise RuntimeError("the editor's request failed")
            except RuntimeError:
                pass
        assert queued() == 0
        with django_capture_on_commit_callbacks(execute=True):
            make_entry(register, slug="twee", source_id="twee")
        assert queued() == 1


def test_the_task_warms_every_live_register_in_every_language(
    client, register, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    with django_capture_on_commit_callbacks(execute=False):
        translate(register.get_parent().specific, english, title="Home")
        register_en = translate(register, english, title="Register", slug="register")
        make_entry(register, slug="een")
    assert not warm(register) and not warm(register_en)
    assert warmup.warm_register_pages.call() == 2
    assert warm(register) and warm(register_en)
    # the English page's filters and results were rendered in English
    with CaptureQueriesContext(connection) as first:
        response = client.get("/en/register/")
    assert "Filter the algorithms" in response.content.decode()
    with CaptureQueriesContext(connection) as later:
        client.get("/en/register/")
    assert len(first.captured_queries) == len(later.captured_queries)


def test_nothing_is_queued_when_the_cache_keeps_nothing(
    register, django_capture_on_commit_callbacks
):
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(TASKS=QUEUE, CACHES=dummy):
        with django_capture_on_commit_callbacks(execute=True):
            make_entry(register, slug="een", source_id="een")
        assert queued() == 0
