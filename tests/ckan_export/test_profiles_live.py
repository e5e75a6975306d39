"""Both profiles against real CKAN instances: a DONL 1.1 schema, and ckanext-scheming + ckanext-dcat."""

import re

import pytest
import requests

from wagtail_algoregister.models import SyncRecord
from wagtail_algoregister.sync import get_exporter

from ..conftest import make_entry


pytestmark = [pytest.mark.ckan]

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def dcat(ckan_dcat, settings):
    ckan_dcat.purge_all()
    settings.TASKS = DUMMY_TASKS
    return ckan_dcat


def configure(settings, spec):
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {"test": spec},
    }


def sync(key):
    syncer = get_exporter("test")
    return syncer.sync_key(key), syncer.client.calls


def test_donl_profile_round_trips_every_field(dcat, settings, register):
    configure(settings, dcat.portal_settings(PROFILE="donl", DATASET_TYPE="donl-dataset"))
    entry = make_entry(register)
    outcome, _calls = sync(entry.translation_key)
    assert outcome.action == "created", outcome.message
    record = SyncRecord.objects.get()
    remote = dcat.editor().action.package_show(id=record.remote_id)

    assert remote["type"] == "donl-dataset"
    assert remote["identifier"] == entry.identifier_uri
    assert (
        remote["authority"]
        == remote["publisher"]
        == "https://identifier.overheid.nl/tooi/id/gemeente/gm0344"
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", remote["modified"])
    assert (
        isinstance(remote["theme"], list)
        and "http://standaarden.overheid.nl/owms/terms/Sociale_zekerheid" in remote["theme"]
    )
    assert remote["language"] == ["http://publications.europa.eu/resource/authority/language/NLD"]
    assert remote["contact_point_email"] == "algoritmes@utrecht.example"
    assert entry.title in remote["title"]
    urls = {r["url"] for r in remote["resources"]}
    assert {entry.full_url, f"{entry.full_url}export.json"} <= urls
    for resource in remote["resources"]:
        assert resource["format"].startswith(
            "http://publications.europa.eu/resource/authority/file-type/"
        )

    # Unchanged: no write. Changed: an update that keeps the portal's own fields.
    outcome, calls = sync(entry.translation_key)
    assert outcome.action == "unchanged" and calls == []
    dcat.sysadmin().action.package_patch(id=record.remote_id, version="portal-owned")
    entry.title = "Vroegsignalering van schulden (nieuw)"
    entry.save_revision().publish()
    outcome, _calls = sync(entry.translation_key)
    assert outcome.action == "updated", outcome.message
    remote = dcat.editor().action.package_show(id=record.remote_id)
    assert "Vroegsignalering van schulden (nieuw)" in remote["title"]
    assert remote["version"] == "portal-owned"


def test_donl_schema_refusal_is_shown(dcat, settings, register, monkeypatch):
    """A payload the portal refuses: the entry is marked failed with the portal's words."""
    from ckan_export.profiles import get_profile

    configure(settings, dcat.portal_settings(PROFILE="donl", DATASET_TYPE="donl-dataset"))
    profile = get_profile("donl")
    original = profile.build
    monkeypatch.setattr(
        profile, "build", lambda c, p: {k: v for k, v in original(c, p).items() if k != "authority"}
    )
    monkeypatch.setattr(profile, "validate", lambda payload: {})
    entry = make_entry(register)
    outcome, _calls = sync(entry.translation_key)
    assert outcome.action == "failed" and not outcome.transient
    assert "authority" in SyncRecord.objects.get().last_error


def test_ckan_profile_on_scheming_dcat_shows_in_the_dcat_catalogue(dcat, settings, register):
    configure(settings, dcat.portal_settings(PROFILE="ckan", DATASET_TYPE="dataset"))
    entry = make_entry(register)
    outcome, _calls = sync(entry.translation_key)
    assert outcome.action == "created", outcome.message
    record = SyncRecord.objects.get()
    remote = dcat.editor().action.package_show(id=record.remote_id)
    assert remote["type"] == "dataset"

    rdf = requests.get(f"{dcat.url}/dataset/{record.remote_name}.ttl", timeout=30)
    assert rdf.status_code == 200
    assert entry.title in rdf.text
    catalogue = requests.get(f"{dcat.url}/catalog.ttl", timeout=30)
    assert catalogue.status_code == 200
    assert record.remote_id in catalogue.text or record.remote_name in catalogue.text
    assert entry.title in catalogue.text

    outcome, calls = sync(entry.translation_key)
    assert outcome.action == "unchanged" and calls == []
