"""A real CKAN harvests the register's DCAT catalogue (issue 4, item 4).

CKAN 2.12 with ckanext-dcat's ``dcat_rdf`` harvester (ckanext-harvest) fetches the
catalogue from the Django test server over HTTP, page by page (hydra paging, two
entries per page here), and must end with exactly one dataset per published, public
entry; harvesting again changes nothing, and an unpublished entry is withdrawn.
The harvest jobs run in a CKAN process of their own (tests/real_ckan/harvest_sync.py).
"""

import uuid

import pytest
from wagtail.models import PageViewRestriction, Site

from .conftest import make_entry


TOOI_UTRECHT = "https://identifier.overheid.nl/tooi/id/gemeente/gm0344"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"


pytestmark = [
    pytest.mark.ckan,
    pytest.mark.postgres,  # the ckan tests run in the PostgreSQL run only
    # CKAN reads the catalogue from another process: the data must be committed.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def served_register(live_server, register, settings):
    """The register, with absolute URLs on the live test server, two entries per page."""
    host, port = live_server.url.removeprefix("http://").split(":")
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = host, int(port)
    site.save()  # also clears Wagtail's cache of site root paths
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "CATALOG_PAGE_SIZE": 2}
    register.refresh_from_db()
    assert register.full_url == f"{live_server.url}/algoritmeregister/"
    return register


@pytest.fixture
def harvest_source(ckan_harvest, served_register):
    ckan = ckan_harvest
    ckan.purge_all()
    with ckan.sysadmin() as admin:
        source = admin.action.harvest_source_create(
            name=f"algoritmeregister-{uuid.uuid4().hex[:8]}",
            title="Algoritmeregister (test)",
            url=served_register.full_url + "catalog/",
            source_type="dcat_rdf",
            owner_org=ckan.organization_id,
            frequency="MANUAL",
        )
    yield source
    with ckan.sysadmin() as admin:
        admin.action.harvest_source_clear(id=source["id"])
        admin.action.harvest_source_delete(id=source["id"], clear=True)
    ckan.purge_all()


def harvested(ckan, source):
    """The source's datasets in CKAN (active ones), by identifier."""
    with ckan.sysadmin() as admin:
        result = admin.action.package_search(
            fq=f'harvest_source_id:"{source["id"]}"', rows=1000, include_private=True
        )
    assert result["count"] == len(result["results"])
    datasets = {}
    for dataset in result["results"]:
        extras = {e["key"]: e["value"] for e in dataset.get("extras") or []}
        identifier = dataset.get("identifier") or extras.get("identifier")
        assert identifier not in datasets, f"two datasets for {identifier}"
        datasets[identifier] = dataset
    return datasets


def described(dataset):
    """What a harvest sets on a dataset, without CKAN's own bookkeeping (times, job ids)."""
    bookkeeping = {"metadata_modified", "extras", "organization", "num_tags", "num_resources"}
    result = {k: v for k, v in dataset.items() if k not in bookkeeping}
    result["tags"] = sorted(tag["name"] for tag in dataset["tags"])
    result["resources"] = sorted(
        ({k: v for k, v in r.items() if k != "metadata_modified"} for r in dataset["resources"]),
        key=lambda r: r["id"],
    )
    extras = {e["key"]: e["value"] for e in dataset.get("extras") or []}
    result["extras"] = {k: v for k, v in extras.items() if k not in {"harvest_object_id"}}
    return result


def run_job(ckan, source):
    job = ckan.harvest(source["name"])
    assert job["status"] == "Finished", job
    assert not job["gather_errors"] and not job["object_errors"], job
    assert job["stats"].get("errored", 0) == 0, job
    return job["stats"]


def test_ckan_harvests_one_dataset_per_published_entry(
    ckan_harvest, served_register, harvest_source
):
    register, ckan, source = served_register, ckan_harvest, harvest_source
    published = [
        make_entry(register, slug=f"e{i}", name=f"Algoritme {i}", source_id=f"e{i}")
        for i in range(5)
    ]
    make_entry(register, publish=False, slug="concept", name="Geheim concept", source_id="c")
    changed = published[0]
    changed.title = "Nog niet gepubliceerde titel"
    changed.save_revision()
    private = make_entry(register, slug="prive", name="Besloten algoritme", source_id="p")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    expected = {page.identifier_uri: page for page in published}
    live_titles = {page.identifier_uri: f"Algoritme {i}" for i, page in enumerate(published)}

    # 1. First harvest: three catalogue pages, five datasets.
    stats = run_job(ckan, source)
    assert stats["added"] == 5 and stats.get("deleted", 0) == 0, stats
    first = harvested(ckan, source)
    assert set(first) == set(expected)
    for identifier, dataset in first.items():
        page = expected[identifier]
        assert dataset["title"] == live_titles[identifier]  # never the draft's title
        assert dataset["owner_org"] == ckan.organization_id
        assert dataset["url"] == page.full_url
        urls = {resource["url"] for resource in dataset["resources"]}
        assert urls == {page.full_url, page.full_url + "export.json", page.full_url + "export.csv"}
        # ckanext-dcat's DCAT-AP schema got the publisher, contact and themes
        assert dataset["publisher"][0]["uri"] == TOOI_UTRECHT
        assert dataset["contact"][0]["email"] == "algoritmes@utrecht.example"
        assert EU_THEME + "SOCI" in dataset["theme"]
        assert dataset["access_rights"].endswith("/access-right/PUBLIC")
    titles = {d["title"] for d in first.values()}
    assert not titles & {"Geheim concept", "Nog niet gepubliceerde titel", "Besloten algoritme"}

    # 2. Again: no change (same datasets, names and resources, nothing added or deleted).
    stats = run_job(ckan, source)
    assert stats["added"] == 0 and stats.get("deleted", 0) == 0, stats
    second = harvested(ckan, source)
    assert set(second) == set(first)
    for identifier, dataset in second.items():
        assert described(dataset) == described(first[identifier])

    # 3. Unpublish an entry: the next harvest withdraws its dataset, and only that one.
    gone = published[3]
    gone.unpublish()
    stats = run_job(ckan, source)
    assert stats.get("deleted", 0) == 1 and stats["added"] == 0, stats
    third = harvested(ckan, source)
    assert set(third) == set(expected) - {gone.identifier_uri}
    with ckan.sysadmin() as admin:
        withdrawn = admin.action.package_show(id=first[gone.identifier_uri]["id"])
    assert withdrawn["state"] == "deleted"
