"""Smoke tests of the real-CKAN test setup (tests/real_ckan/): both instances answer,
the organisation's editor can publish, the DONL stand-in keeps every DONL field, and
ckanext-dcat's catalogue lists datasets."""

import ckanapi
import pytest
import requests


pytestmark = pytest.mark.ckan

NLD = "http://publications.europa.eu/resource/authority/language/NLD"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/deed.nl"
OWMS = "http://standaarden.overheid.nl/owms/terms/"


def donl_dataset(instance, **overrides):
    """A donl-dataset body with every DCAT-AP-DONL 1.1 field the stand-in stores."""
    body = {
        "type": "donl-dataset",
        "owner_org": instance.organization,
        "name": "gm9999-algoritme-parkeerscan",
        "title": "Algoritme: Parkeerscan",
        "notes": "Scanauto's herkennen kentekens.",
        "url": "https://www.noorderhaaks.example/algoritmeregister/parkeerscan/",
        "identifier": "https://www.noorderhaaks.example/algoritmeregister/id/5b0c6c1e/",
        "alternate_identifier": ["https://algoritmes.overheid.nl/nl/algoritme/123"],
        "authority": OWMS + "Noorderhaaks",
        "publisher": OWMS + "Noorderhaaks",
        "contact_point_name": "Gemeente Noorderhaaks, Team Algoritmen",
        "contact_point_email": "algoritmen@noorderhaaks.example",
        "contact_point_website": "https://www.noorderhaaks.example/algoritmeregister/",
        "contact_point_phone": "14 0222",
        "metadata_language": NLD,
        "language": [NLD],
        "license_id": CC0,
        "access_rights": "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
        "theme": [OWMS + "Bestuur", OWMS + "Verkeer_(thema)"],
        "modified": "2026-03-01T10:15:00",
        "issued": "2024-05-14T00:00:00",
        "dataset_status": "http://data.overheid.nl/status/beschikbaar",
        "frequency": "http://publications.europa.eu/resource/authority/frequency/IRREG",
        "conforms_to": ["https://regels.overheid.nl/publicaties/algoritmeregister"],
        "documentation": ["https://www.noorderhaaks.example/dpia.pdf"],
        "related_resource": ["https://github.com/noorderhaaks/parkeerscan"],
        "temporal_start": "2023-01-01T00:00:00",
        "temporal_end": "2027-01-01T00:00:00",
        "legal_foundation_label": "Gemeentewet art. 160",
        "legal_foundation_ref": "jci1.3:c:BWBR0005416&artikel=160",
        "legal_foundation_uri": "https://wetten.overheid.nl/BWBR0005416/",
        "spatial_scheme": [
            "http://standaarden.overheid.nl/owms/4.0/doc/waardelijsten/overheid.gemeente"
        ],
        "spatial_value": [OWMS + "Noorderhaaks"],
        "resources": [
            {
                "name": "Beschrijving algoritme (webpagina)",
                "description": "Volledige beschrijving op de website.",
                "url": "https://www.noorderhaaks.example/algoritmeregister/parkeerscan/",
                "format": "http://publications.europa.eu/resource/authority/file-type/HTML",
                "metadata_language": NLD,
                "language": [NLD],
                "license_id": CC0,
                "download_url": ["https://www.noorderhaaks.example/parkeerscan.json"],
                "linked_schemas": ["https://regels.overheid.nl/publicaties/algoritmeregister"],
                "status": "http://purl.org/adms/status/Completed",
                "modification_date": "2026-03-01T10:15:00",
                "release_date": "2024-05-14T00:00:00",
            }
        ],
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize("kind", ["ckan_plain", "ckan_dcat"])
def test_instance_answers_with_ckan_2_12(kind, request):
    instance = request.getfixturevalue(kind)
    status = instance.anonymous().action.status_show()
    assert status["ckan_version"].startswith("2.12.")
    assert instance.ckan_version == status["ckan_version"]
    assert instance.url.startswith("http://127.0.0.1:")
    assert status["site_url"] == instance.url
    editor = instance.editor()
    orgs = editor.action.organization_list_for_user(permission="create_dataset")
    assert [org["name"] for org in orgs] == ["gemeente-noorderhaaks"] == [instance.organization]
    assert instance.sysadmin().action.user_show(id=instance.sysadmin_name)["sysadmin"]
    assert not editor.action.user_show(id=instance.editor_name)["sysadmin"]


def test_editor_publishes_on_plain_ckan(ckan_plain_clean):
    ckan = ckan_plain_clean
    assert "cc-zero" in [lic["id"] for lic in ckan.anonymous().action.license_list()]
    editor = ckan.editor()
    created = editor.action.package_create(
        name="gm9999-algoritme-x",
        title="Algoritme X",
        owner_org=ckan.organization,
        license_id="cc-zero",
        extras=[{"key": "identifier", "value": "https://www.noorderhaaks.example/id/x"}],
        resources=[{"url": "https://www.noorderhaaks.example/x", "format": "HTML"}],
    )
    shown = editor.action.package_show(id="gm9999-algoritme-x")
    assert shown["id"] == created["id"]
    assert shown["organization"]["name"] == ckan.organization
    assert shown["license_title"] == "Creative Commons CCZero"
    assert shown["extras"] == [
        {"key": "identifier", "value": "https://www.noorderhaaks.example/id/x"}
    ]
    assert shown["creator_user_id"] == editor.action.user_show(id=ckan.editor_name)["id"]
    # a user outside the organisation may not publish into it
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.anonymous().action.package_create(name="nope", owner_org=ckan.organization)
    # purge_all() also finds deleted datasets (no longer in the search index)
    editor.action.package_delete(id=created["id"])
    assert ckan.purge_all() == 1
    with pytest.raises(ckanapi.NotFound):
        ckan.sysadmin().action.package_show(id=created["id"])


def test_donl_dataset_round_trips(ckan_dcat_clean):
    ckan = ckan_dcat_clean
    body = donl_dataset(ckan)
    created = ckan.editor().action.package_create(**body)
    shown = ckan.editor().action.package_show(id=created["id"])
    assert shown["type"] == "donl-dataset"
    for key, value in body.items():
        if key in ("owner_org", "resources"):
            continue
        assert shown[key] == value, key
    assert shown["organization"]["name"] == ckan.organization
    (resource,) = shown["resources"]
    for key, value in body["resources"][0].items():
        assert resource[key] == value, key
    assert isinstance(shown["theme"], list) and isinstance(resource["language"], list)
    # a bare string in a list field is stored as a one-element list, as on DONL
    patched = ckan.editor().action.package_patch(id=created["id"], theme=OWMS + "Bestuur")
    assert patched["theme"] == [OWMS + "Bestuur"]


@pytest.mark.parametrize(
    "missing", ["authority", "theme", "modified", "identifier", "language", "license_id"]
)
def test_donl_dataset_requires_mandatory_fields(ckan_dcat_clean, missing):
    body = donl_dataset(ckan_dcat_clean, name=f"gm9999-zonder-{missing.replace('_', '-')}")
    del body[missing]
    with pytest.raises(ckanapi.ValidationError) as error:
        ckan_dcat_clean.editor().action.package_create(**body)
    assert missing in error.value.error_dict


def test_dcat_catalog_lists_dataset(ckan_dcat_clean):
    ckan = ckan_dcat_clean
    created = ckan.editor().action.package_create(
        type="dataset",
        name="gm9999-dcat-dataset",
        title="DCAT dataset",
        notes="Een dataset van het type dataset.",
        owner_org=ckan.organization,
        identifier="https://www.noorderhaaks.example/id/dcat-1",
    )
    uri = f"{ckan.url}/dataset/{created['id']}"
    response = requests.get(f"{ckan.url}/catalog.ttl", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    try:
        import rdflib
    except ImportError:
        assert f"<{uri}>" in response.text
        assert "DCAT dataset" in response.text
    else:
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
        assert (None, dcat.dataset, rdflib.URIRef(uri)) in graph
    response = requests.get(f"{ckan.url}/dataset/{created['name']}.rdf", timeout=30)
    assert response.status_code == 200
    assert "https://www.noorderhaaks.example/id/dcat-1" in response.text
