"""Parts of the sync engine that need no portal: which entries go where, local refusals."""

import pytest

from wagtail_algoregister.models import AlgorithmRegisterPage, SyncRecord
from wagtail_algoregister.sync import get_exporter

from ..conftest import make_entry


def configure(settings, **spec):
    base = {
        "BACKEND": "ckan_export.exporter.CkanExporter",
        "URL": "http://127.0.0.1:9",
        "ORGANIZATION": "org",
        "TOKEN": "t",
        "RATE_LIMIT": 0,
        "TIMEOUT": 1,
    }
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {"test": {**base, **spec}},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_registers_setting_chooses_which_entries_go_to_a_portal(settings, home, register):
    other = home.add_child(
        instance=AlgorithmRegisterPage(
            title="Ander register", slug="ander", organisation_name="Provincie Utrecht"
        )
    )
    other.save_revision().publish()
    mine = make_entry(register, slug="mijn", source_id="mijn")
    theirs = make_entry(other, slug="hun", source_id="hun")
    configure(settings, REGISTERS=[register.url_path])
    syncer = get_exporter("test")
    assert syncer.wanted(mine) and not syncer.wanted(theirs)
    assert set(syncer.wanted_pages()) == {mine.translation_key}
    configure(settings, REGISTERS=None)
    assert set(get_exporter("test").wanted_pages()) == {
        mine.translation_key,
        theirs.translation_key,
    }


def test_entries_in_unpublished_or_private_places_are_not_wanted(settings, register):
    from wagtail.models import PageViewRestriction

    entry = make_entry(register)
    configure(settings)
    syncer = get_exporter("test")
    assert syncer.wanted(entry)
    PageViewRestriction.objects.create(page=register, restriction_type="password", password="x")
    assert not syncer.wanted(entry) and syncer.wanted_pages() == {}


def test_a_payload_failing_the_local_donl_rules_is_not_sent(settings, home):
    # No organisation code and no AUTHORITY_URI: DONL's authority cannot be filled in.
    register = home.add_child(
        instance=AlgorithmRegisterPage(title="Register", slug="r", organisation_name="Gemeente X")
    )
    register.save_revision().publish()
    entry = make_entry(register)
    configure(settings, PROFILE="donl")
    syncer = get_exporter("test")
    outcome = syncer.sync_key(entry.translation_key)
    assert outcome.action == "failed" and not outcome.transient
    assert syncer.client.calls == []  # nothing was sent, not even a lookup
    record = SyncRecord.objects.get()
    assert record.state == "failed" and "authority" in record.last_error


@pytest.mark.parametrize("spec", [{"PROFILE": "dcat"}, {"WITHDRAW": "shred"}, {"URL": ""}])
def test_bad_portal_settings_are_named(settings, spec):
    from django.core.exceptions import ImproperlyConfigured

    configure(settings, **spec)
    with pytest.raises(ImproperlyConfigured, match="test"):
        get_exporter("test")
