"""The entries in Wagtail's API v2: fields, filters, read-only, published and public only."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from wagtail_algoregister import standard
from wagtail_algoregister.models import AlgorithmRegisterPage

from .conftest import full_entry, make_entry
from .test_listing import DPIA, FRAIA, PRESCAN, add


ALGORITHMS = "/api/v2/algorithms/"
PAGES = "/api/v2/pages/"


def api(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.json()


def titles(data):
    return sorted(item["title"] for item in data["items"])


def test_detail_has_every_key_of_the_standard_and_the_local_fields(client, register):
    page = make_entry(register)
    page.department = "Sociaal Domein"
    page.objection_procedure = "<p>Bezwaar binnen 6 weken.</p>"
    page.next_review_date = "2027-01-31"
    page.save_revision().publish()
    data = api(client, f"{ALGORITHMS}{page.pk}/")
    expected = full_entry()
    for key, definition in standard.input_fields().items():
        assert definition.attribute in data, key
        value = data[definition.attribute]
        if key == "url":
            assert value == ""  # stored empty; exports fill in the public URL
        elif definition.is_grouping:
            assert value == expected[key], key  # a list of {title, link}
        elif definition.is_multiple_choice:
            assert value == ["Sociale zekerheid", "Zorg en gezondheid"]
        else:
            assert value == page.standard_value(key), key
    assert data["title"] == "Vroegsignalering van schulden"
    assert data["department"] == "Sociaal Domein"
    assert data["objection_procedure"] == "<p>Bezwaar binnen 6 weken.</p>"
    assert data["next_review_date"] == "2027-01-31"
    assert data["identifier_uri"] == page.identifier_uri
    assert data["meta"]["html_url"] == page.full_url
    assert data["meta"]["last_published_at"]


def test_listing_shows_the_card_fields_and_fields_can_be_chosen(client, register):
    make_entry(register)
    item = api(client, ALGORITHMS)["items"][0]
    for name in ("title", "description_short", "status", "publication_category", "category"):
        assert name in item, name
    assert item["meta"]["detail_url"].endswith(f"{ALGORITHMS}{item['id']}/")
    data = api(client, ALGORITHMS, {"fields": "_,title,impacttoetsen_grouping,identifier_uri"})
    assert data["items"][0]["impacttoetsen_grouping"][0] == {
        "title": "Data Protection Impact Assessment (DPIA)",
        "link": "https://www.utrecht.example/dpia.pdf",
    }
    assert data["items"][0]["identifier_uri"].startswith("http://testserver/algoritmeregister/id/")


@pytest.fixture
def entries(register):
    add(
        register,
        "a",
        name="Parkeerscan",
        status="In gebruik",
        publication_category="Overige algoritmes",
        category=["Verkeer"],
        impacttoetsen_grouping=[PRESCAN],
        department="Handhaving",
    )
    add(
        register,
        "b",
        name="Bijstand heronderzoek",
        status="Buiten gebruik",
        publication_category="Hoog-risico AI-systeem",
        category=["Werk", "Sociale zekerheid"],
        impacttoetsen_grouping=[FRAIA],
        department="Sociaal Domein",
    )
    add(
        register,
        "c",
        name="WOZ-waarde berekenen",
        status="In gebruik",
        publication_category="Impactvolle algoritmes",
        category=["Wonen"],
        impacttoetsen_grouping=[DPIA],
    )
    add(
        register,
        "d",
        name="Afvalroutes",
        status="In ontwikkeling",
        impacttoetsen_grouping=[],
        category=["Verkeer"],
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "In gebruik"}, ["Parkeerscan", "WOZ-waarde berekenen"]),
        ({"publication_category": "Hoog-risico AI-systeem"}, ["Bijstand heronderzoek"]),
        ({"category": "Verkeer"}, ["Afvalroutes", "Parkeerscan"]),
        ({"category": ["Werk", "Wonen"]}, ["Bijstand heronderzoek", "WOZ-waarde berekenen"]),
        ({"category": "Verkeer", "status": "In gebruik"}, ["Parkeerscan"]),
        ({"impact_assessment": "dpia"}, ["WOZ-waarde berekenen"]),
        ({"impact_assessment": "iama"}, ["Bijstand heronderzoek"]),
        ({"impact_assessment": "other"}, ["Parkeerscan"]),
        ({"impact_assessment": "none"}, ["Afvalroutes"]),
        ({"department": "Sociaal Domein"}, ["Bijstand heronderzoek"]),
        ({"search": "Parkeerscan"}, ["Parkeerscan"]),
        ({"search": "Parkeerscan", "category": "Verkeer"}, ["Parkeerscan"]),
        ({"search": "Parkeerscan", "category": "Wonen"}, []),
    ],
)
def test_facet_filters(client, entries, params, expected):
    assert titles(api(client, ALGORITHMS, params)) == expected


def test_the_pages_endpoint_takes_the_same_filters_for_algorithm_pages(client, entries):
    params = {
        "type": "wagtail_algoregister.AlgorithmPage",
        "category": "Verkeer",
        "status": "In gebruik",
    }
    assert titles(api(client, PAGES, params)) == ["Parkeerscan"]


def test_unknown_values_and_parameters_are_refused(client, entries):
    data = api(client, ALGORITHMS, {"status": "Kapot"}, status=400)
    assert "In gebruik" in data["message"]
    api(client, ALGORITHMS, {"category": "Nergens"}, status=400)
    api(client, ALGORITHMS, {"impact_assessment": "maybe"}, status=400)
    api(client, ALGORITHMS, {"onbekend": "1"}, status=400)
    api(client, ALGORITHMS, {"type": "wagtailcore.Page"}, status=400)


def test_ordering_and_one_register(client, home, entries, register):
    data = api(client, ALGORITHMS, {"order": "title", "fields": "_,title"})
    assert [item["title"] for item in data["items"]] == sorted(titles(data))
    other = AlgorithmRegisterPage(title="Ander", slug="ander", organisation_name="Gemeente Zeist")
    home.add_child(instance=other)
    other.save_revision().publish()
    add(other, "z", name="Elders")
    assert titles(api(client, ALGORITHMS, {"child_of": other.pk})) == ["Elders"]
    assert len(api(client, ALGORITHMS, {"child_of": register.pk})["items"]) == 4


def test_read_only(client, register):
    page = make_entry(register)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(ALGORITHMS).status_code == 405
        assert getattr(client, method)(f"{ALGORITHMS}{page.pk}/").status_code == 405


def test_drafts_unpublished_changes_and_private_entries_never_appear(client, home, register):
    add(register, "live", name="Gepubliceerd algoritme")
    draft = add(register, "draft", name="Geheim concept", publish=False)
    changed = add(register, "changed", name="Oude titel", impacttoetsen_grouping=[DPIA])
    changed.title = "Nieuwe geheime titel"
    changed.status = "Buiten gebruik"
    changed.impacttoetsen_grouping = [changed.impacttoetsen_grouping.model(title="Geheime toets")]
    changed.save_revision()
    withdrawn = add(register, "weg", name="Ingetrokken algoritme")
    withdrawn.unpublish()

    private = AlgorithmRegisterPage(
        title="Intern", slug="intern", organisation_name="Gemeente Utrecht"
    )
    home.add_child(instance=private)
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    secret = add(private, "intern-entry", name="Intern algoritme")

    def check(client):
        data = api(client, ALGORITHMS, {"fields": "*", "limit": 20})
        assert titles(data) == ["Gepubliceerd algoritme", "Oude titel"]
        body = str(data)
        for text in (
            "Geheim concept",
            "Nieuwe geheime titel",
            "Geheime toets",
            "Ingetrokken",
            "Intern algoritme",
        ):
            assert text not in body, text
        detail = api(client, f"{ALGORITHMS}{changed.pk}/")
        assert detail["title"] == "Oude titel" and detail["status"] == "In gebruik"
        assert [row["title"] for row in detail["impacttoetsen_grouping"]] == [DPIA["title"]]
        for page in (draft, withdrawn, secret):
            api(client, f"{ALGORITHMS}{page.pk}/", status=404)
        assert titles(api(client, ALGORITHMS, {"search": "geheime"})) == []
        assert titles(api(client, ALGORITHMS, {"status": "Buiten gebruik"})) == []

    check(client)
    # Signed in, even as a superuser: the API still serves only what the public register shows.
    user = get_user_model().objects.create_superuser("beheer", "beheer@example.invalid", "x")
    client.force_login(user)
    check(client)
    client.logout()
    # Wagtail's own pages endpoint leaves them out for visitors too.
    data = api(client, PAGES, {"type": "wagtail_algoregister.AlgorithmPage", "limit": 20})
    assert titles(data) == ["Gepubliceerd algoritme", "Oude titel"]
    api(client, f"{PAGES}{secret.pk}/", status=404)
    api(client, f"{PAGES}{draft.pk}/", status=404)


def test_queries_do_not_grow_with_the_number_of_entries(client, register):
    def count(params):
        client.get(ALGORITHMS, params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ALGORITHMS, params).status_code == 200
        return len(captured)

    queries = [
        {"fields": "*"},
        {"category": "Wonen", "impact_assessment": "dpia"},
        {"search": "schulden"},
    ]
    for number in range(3):
        add(
            register,
            f"n{number}",
            name=f"Algoritme {number}",
            category=["Wonen"],
            impacttoetsen_grouping=[DPIA],
        )
    few = [count(params) for params in queries]
    for number in range(3, 15):
        add(
            register,
            f"n{number}",
            name=f"Algoritme {number}",
            category=["Wonen"],
            impacttoetsen_grouping=[DPIA],
        )
    assert [count(params) for params in queries] == few
