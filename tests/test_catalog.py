"""The register's DCAT catalogue: catalog.ttl / .jsonld / .rdf and catalog/ (issue 4, item 4)."""

import pytest
import rdflib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS
from wagtail.models import PageViewRestriction

from wagtail_algoregister import standard
from wagtail_algoregister.formats import dcat, rdf
from wagtail_algoregister.formats.dcat import ADMS, HYDRA, VCARD
from wagtail_algoregister.models import AlgorithmRegisterPage
from wagtail_algoregister.standard import mappings

from .conftest import make_entry


pytestmark = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"  # rdflib's JSON-LD parser
)

# Plain namespaces: rdflib's closed DCAT and XSD warn when pytest inspects them.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("xml", "application/rdf+xml"),
}


def fetch(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:500]
    return response


def parse(response):
    media_type = response["Content-Type"].split(";")[0]
    serializer = {media: name for name, media in FORMATS.values()}[media_type]
    return rdflib.Graph().parse(data=response.content, format=serializer)


def datasets(graph):
    return set(graph.subjects(RDF.type, DCAT.Dataset))


def uris(*pages):
    return {URIRef(page.identifier_uri) for page in pages}


@pytest.fixture
def mixed(register):
    """Two published entries, a draft, unpublished changes, a private entry."""
    published = [
        make_entry(register, slug="een", name="Algoritme een", source_id="een"),
        make_entry(register, slug="twee", name="Algoritme twee", source_id="twee"),
    ]
    make_entry(register, publish=False, slug="concept", name="Geheim concept", source_id="c")
    changed = published[1]
    changed.title = "Nog niet gepubliceerde titel"
    changed.save_revision()
    private = make_entry(register, slug="prive", name="Besloten algoritme", source_id="p")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    return published


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_serialisation_lists_exactly_the_published_public_entries(client, mixed, fmt):
    response = fetch(client, f"/algoritmeregister/catalog.{fmt}")
    assert response["Content-Type"] == f"{FORMATS[fmt][1]}; charset=utf-8"
    graph = parse(response)
    assert datasets(graph) == uris(*mixed)
    for dataset in datasets(graph):
        # the subject URI is the dct:identifier (what harvesters key on)
        assert list(graph.objects(dataset, DCTERMS.identifier)) == [Literal(str(dataset))]
    titles = {str(t) for d in datasets(graph) for t in graph.objects(d, DCTERMS.title)}
    assert titles == {"Algoritme een", "Algoritme twee"}
    text = response.content.decode()
    for leak in ("Geheim concept", "Nog niet gepubliceerde titel", "Besloten algoritme"):
        assert leak not in text
    catalog = graph.value(predicate=RDF.type, object=DCAT.Catalog, any=False)
    assert catalog == URIRef("http://testserver/algoritmeregister/catalog/")
    assert set(graph.objects(catalog, DCAT.dataset)) == uris(*mixed)


def test_private_register_serves_no_catalogue(client, register, home):
    private = AlgorithmRegisterPage(
        title="Besloten register", slug="besloten", organisation_name="Gemeente Utrecht"
    )
    home.add_child(instance=private)
    private.save_revision().publish()
    entry = make_entry(private, slug="geheim", name="Algoritme achter slot", source_id="g")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for url in ("/besloten/catalog.ttl", "/besloten/catalog/", "/besloten/feed.atom"):
        response = client.get(url)
        assert response.status_code == 302  # to the login page
        assert entry.identifier_uri.encode() not in response.content
    # nor does it leak into the public register's catalogue
    graph = parse(fetch(client, "/algoritmeregister/catalog.ttl"))
    assert URIRef(entry.identifier_uri) not in datasets(graph)


def test_catalog_of_an_unpublished_register_is_not_found(client, register):
    register.unpublish()
    assert client.get("/algoritmeregister/catalog.ttl").status_code == 404


def test_dataset_carries_the_dcat_ap_nl_properties(client, entry):
    graph = parse(fetch(client, "/algoritmeregister/catalog.ttl"))
    ds = URIRef(entry.identifier_uri)
    one = lambda p: graph.value(ds, p, any=False)  # noqa: E731

    assert str(one(DCTERMS.title)) == "Vroegsignalering van schulden"
    assert one(DCTERMS.title).language == "nl"
    assert str(one(DCTERMS.description)).startswith("Wij zoeken inwoners")
    tooi = URIRef("https://identifier.overheid.nl/tooi/id/gemeente/gm0344")
    assert one(DCTERMS.publisher) == tooi
    assert one(DCTERMS.creator) == tooi
    assert (tooi, RDF.type, FOAF.Agent) in graph
    assert str(graph.value(tooi, FOAF.name)) == "Gemeente Utrecht"
    contact = one(DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Organization) in graph
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:algoritmes@utrecht.example")
    themes = set(graph.objects(ds, DCAT.theme))
    eu = "http://publications.europa.eu/resource/authority/"
    assert {URIRef(eu + "data-theme/SOCI"), URIRef(eu + "data-theme/HEAL")} <= themes
    assert URIRef(mappings.OWMS_THEME.term("Sociale_zekerheid")) in themes
    assert all((t, RDF.type, SKOS.Concept) in graph for t in themes)
    assert one(DCTERMS.language) == URIRef(eu + "language/NLD")
    assert one(DCTERMS.accessRights) == URIRef(mappings.ACCESS_PUBLIC)
    assert one(DCTERMS.conformsTo) == URIRef(standard.URI)
    assert one(ADMS.status) == URIRef(eu + "dataset-status/COMPLETED")
    assert one(DCTERMS.accrualPeriodicity) == URIRef(eu + "frequency/IRREG")
    assert one(DCAT.landingPage) == URIRef(entry.full_url)
    assert one(DCTERMS.modified).datatype == XSD.dateTime
    assert one(DCTERMS.issued).datatype == XSD.dateTime
    keywords = {str(k) for k in graph.objects(ds, DCAT.keyword)}
    assert {"schulden", "vroegsignalering", "armoede", "algoritme"} <= keywords
    period = one(DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal("2023-04", datatype=XSD.gYearMonth)
    assert graph.value(period, DCAT.endDate) is None
    pages = {str(p) for p in graph.objects(ds, FOAF.page)}
    assert "https://www.utrecht.example/dpia.pdf" in pages
    assert URIRef("https://github.com/utrecht-example/vroegsignalering") in set(
        graph.objects(ds, DCTERMS.relation)
    )

    distributions = {
        graph.value(d, DCAT.accessURL): d for d in graph.objects(ds, DCAT.distribution)
    }
    url = entry.full_url
    assert set(distributions) == {
        URIRef(url),
        URIRef(url + "export.json"),
        URIRef(url + "export.csv"),
    }
    for access_url, file_type, media_type in (
        (url, "HTML", "text/html"),
        (url + "export.json", "JSON", "application/json"),
        (url + "export.csv", "CSV", "text/csv"),
    ):
        dist = distributions[URIRef(access_url)]
        assert (
            str(dist)
            == f"{entry.identifier_uri}#{ {'HTML': 'page'}.get(file_type, file_type.lower()) }"
        )
        assert graph.value(dist, DCTERMS["format"]) == URIRef(mappings.FILE_TYPE.term(file_type))
        assert graph.value(dist, DCAT.mediaType) == URIRef(mappings.IANA + media_type)
        assert graph.value(dist, DCTERMS.license) == URIRef(mappings.LICENCE)
        assert graph.value(dist, DCTERMS.title) is not None
    assert graph.value(distributions[URIRef(url + "export.json")], DCAT.downloadURL) == URIRef(
        url + "export.json"
    )

    catalog = URIRef("http://testserver/algoritmeregister/catalog/")
    assert str(graph.value(catalog, DCTERMS.title)) == "Algoritmeregister"
    assert graph.value(catalog, DCTERMS.description) is not None
    assert graph.value(catalog, DCTERMS.publisher) == tooi
    assert graph.value(catalog, DCTERMS.language) == URIRef(eu + "language/NLD")
    assert graph.value(catalog, FOAF.homepage) == URIRef("http://testserver/algoritmeregister/")
    assert graph.value(catalog, DCTERMS.license) == URIRef(mappings.LICENCE)
    assert graph.value(catalog, DCTERMS.modified) == one(DCTERMS.modified)
    catalog_contact = graph.value(catalog, DCAT.contactPoint)
    assert graph.value(catalog_contact, VCARD.hasEmail) == URIRef(
        "mailto:algoritmes@utrecht.example"
    )


# Cardinalities of DCAT-AP-NL 3.0 (Geonovum/DCAT-AP-NL30, shapes/300/dcat-ap-nl-SHACL.ttl)
# and the mandatory properties of DCAT-AP 3.0 it builds on: (class, property, min, max).
CARDINALITIES = [
    ("Dataset", DCTERMS.title, 1, None),
    ("Dataset", DCTERMS.description, 1, None),
    ("Dataset", DCTERMS.identifier, 1, 1),
    ("Dataset", DCTERMS.accessRights, 1, 1),
    ("Dataset", "contactPoint", 1, 1),
    ("Dataset", DCTERMS.creator, 1, None),
    ("Dataset", DCTERMS.publisher, 1, 1),
    ("Dataset", "theme", 1, None),
    ("Dataset", ADMS.status, 0, 1),
    ("Dataset", DCTERMS.modified, 0, 1),
    ("Dataset", DCTERMS.issued, 0, 1),
    ("Distribution", "accessURL", 1, 1),
    ("Distribution", "downloadURL", 0, 1),
    ("Distribution", DCTERMS.license, 1, 1),
    ("Distribution", DCTERMS["format"], 0, 1),
    ("Distribution", "mediaType", 0, 1),
    ("Catalog", DCTERMS.title, 1, None),
    ("Catalog", DCTERMS.description, 1, None),
    ("Catalog", DCTERMS.publisher, 1, 1),
    ("Catalog", "contactPoint", 1, 1),
    ("Catalog", "dataset", 1, None),
    ("Catalog", DCTERMS.license, 0, 1),
    ("Catalog", DCTERMS.modified, 0, 1),
]
TEMPORAL = {XSD.gYear, XSD.gYearMonth, XSD.date, XSD.dateTime}


@pytest.mark.parametrize("fmt", FORMATS)
def test_dcat_ap_nl_cardinalities_and_ranges(client, register, fmt):
    make_entry(register, slug="een", source_id="een")
    make_entry(
        register,
        slug="twee",
        source_id="twee",
        organization="Samenwerkingsverband Regio Utrecht",
        contact_email="https://www.utrecht.example/contact",
        category=[],
        begin_date="",
        tags="",
    )
    graph = parse(fetch(client, f"/algoritmeregister/catalog.{fmt}"))
    for cls, prop, least, most in CARDINALITIES:
        prop = prop if isinstance(prop, URIRef) else DCAT[prop]
        subjects = set(graph.subjects(RDF.type, DCAT[cls]))
        assert subjects, cls
        for subject in subjects:
            count = len(set(graph.objects(subject, prop)))
            assert count >= least and (most is None or count <= most), (cls, prop, count)
    for subject in datasets(graph) | set(graph.subjects(RDF.type, DCAT.Catalog)):
        for prop in (DCTERMS.modified, DCTERMS.issued):
            for value in graph.objects(subject, prop):
                assert value.datatype in TEMPORAL
        for agent in graph.objects(subject, DCTERMS.publisher):
            assert (agent, RDF.type, FOAF.Agent) in graph
        for language in graph.objects(subject, DCTERMS.language):
            assert (language, RDF.type, DCTERMS.LinguisticSystem) in graph
        for contact in graph.objects(subject, DCAT.contactPoint):
            assert (contact, RDF.type, VCARD.Organization) in graph
            assert set(graph.objects(contact, VCARD.hasEmail)) | set(
                graph.objects(contact, VCARD.hasURL)
            )
    for dataset in datasets(graph):
        for concept in [*graph.objects(dataset, DCAT.theme), *graph.objects(dataset, ADMS.status)]:
            assert (concept, RDF.type, SKOS.Concept) in graph
        # an entry without themes still has one (EU GOVE, OWMS Bestuur)
        eu = {t for t in graph.objects(dataset, DCAT.theme) if "data-theme" in str(t)}
        assert eu


def test_other_organisation_creates_and_web_contact(client, register):
    page = make_entry(
        register,
        slug="gedeeld",
        source_id="gedeeld",
        organization="Samenwerkingsverband Regio Utrecht",
        contact_email="https://www.utrecht.example/contact",
        status="Buiten gebruik",
        begin_date="2019-01",
        end_date="2022-06",
    )
    graph = parse(fetch(client, "/algoritmeregister/catalog.ttl"))
    ds = URIRef(page.identifier_uri)
    creator = graph.value(ds, DCTERMS.creator)
    assert str(graph.value(creator, FOAF.name)) == "Samenwerkingsverband Regio Utrecht"
    assert graph.value(ds, DCTERMS.publisher) != creator
    contact = graph.value(ds, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasURL) == URIRef("https://www.utrecht.example/contact")
    status = "http://publications.europa.eu/resource/authority/dataset-status/DISCONT"
    assert graph.value(ds, ADMS.status) == URIRef(status)
    period = graph.value(ds, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.endDate)) == "2022-06"


def written_subjects(fmt, body: bytes) -> list[str]:
    """Every subject block of a document, as written (one per node when none repeats)."""
    import json
    import re

    text = body.decode()
    if fmt == "jsonld":
        return [node["@id"] for node in json.loads(text)["@graph"]]
    if fmt == "rdf":
        return re.findall(r'<rdf:Description rdf:(?:about|nodeID)="([^"]*)"', text)
    return re.findall(r"^(<[^>]*>|_:\S+) ", text, re.M)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_node_is_written_once(client, register, fmt):
    """The writers write as the catalogue is built: every node (datasets, their parts,
    vocabulary terms, agents shared by entries) must still be given once, whole."""
    for i in range(3):
        make_entry(
            register,
            slug=f"gedeeld-{i}",
            source_id=f"gedeeld-{i}",
            organization="Samenwerkingsverband Regio Utrecht",
            begin_date="2019-01",
        )
    make_entry(register, slug="eigen", source_id="eigen")
    response = fetch(client, f"/algoritmeregister/catalog.{fmt}")
    subjects = written_subjects(fmt, response.content)
    assert len(subjects) > 4 * 6  # datasets, contacts, periods, distributions, terms
    assert len(subjects) == len(set(subjects))
    graph = parse(response)
    assert len(set(graph.subjects())) == len(subjects)


def test_register_without_organisation_code_names_its_publisher(client, home):
    register = AlgorithmRegisterPage(
        title="Register", slug="register", organisation_name="Regionale Uitvoeringsdienst"
    )
    home.add_child(instance=register)
    register.save_revision().publish()
    page = make_entry(register, organization="Regionale Uitvoeringsdienst")
    graph = parse(fetch(client, "/register/catalog.ttl"))
    publisher = graph.value(URIRef(page.identifier_uri), DCTERMS.publisher)
    # an IRI of the catalogue's own, so that every page names the same publisher
    assert publisher == URIRef("http://testserver/register/catalog/#publisher")
    assert str(graph.value(publisher, FOAF.name)) == "Regionale Uitvoeringsdienst"
    assert graph.value(URIRef(page.identifier_uri), DCTERMS.creator) == publisher


def test_same_catalogue_gives_the_same_bytes(client, entry):
    """Stable blank-node ids: a harvester or cache sees no change when there is none."""
    for fmt in FORMATS:
        first = fetch(client, f"/algoritmeregister/catalog.{fmt}")
        again = fetch(client, f"/algoritmeregister/catalog.{fmt}")
        assert first.content == again.content
        assert first["ETag"] == again["ETag"]


def paging_links(graph, node):
    return {
        name: graph.value(node, HYDRA[name])
        for name in ("first", "last", "next", "previous", "totalItems", "itemsPerPage")
    }


def paging_node(graph):
    return graph.value(predicate=RDF.type, object=HYDRA.PagedCollection, any=False)


@pytest.mark.parametrize("path", ["catalog.ttl", "catalog/"])
def test_paging_links_are_complete_and_lead_through_every_entry(client, register, settings, path):
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "CATALOG_PAGE_SIZE": 2}
    entries = [make_entry(register, slug=f"e{i}", source_id=f"e{i}") for i in range(5)]
    make_entry(register, publish=False, slug="draft", source_id="draft")
    base = f"http://testserver/algoritmeregister/{path}"

    seen, url, number = [], f"http://testserver/algoritmeregister/{path}?page=1", 1
    while url:
        response = fetch(client, url.removeprefix("http://testserver"))
        graph = parse(response)
        node = paging_node(graph)
        assert str(node) == url  # the page describes itself under its own address
        links = paging_links(graph, node)
        assert links["totalItems"].toPython() == 5
        assert links["itemsPerPage"].toPython() == 2
        assert links["first"] == URIRef(f"{base}?page=1")
        assert links["last"] == URIRef(f"{base}?page=3")
        expected_previous = URIRef(f"{base}?page={number - 1}") if number > 1 else None
        assert links["previous"] == expected_previous
        assert graph.value(node, HYDRA.nextPage) == links["next"]  # the older name too
        assert f'<{base}?page=1>; rel="first"' in response["Link"]
        page_datasets = datasets(graph)
        assert len(page_datasets) == (2 if number < 3 else 1)
        catalog = graph.value(predicate=RDF.type, object=DCAT.Catalog)
        assert set(graph.objects(catalog, DCAT.dataset)) == page_datasets
        seen.extend(page_datasets)
        if links["next"]:
            assert str(links["next"]).startswith(f"{base}?page={number + 1}&after=")
            assert f'<{links["next"]}>; rel="next"' in response["Link"]
        url = str(links["next"]) if links["next"] else None
        number += 1
    assert number == 4
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == uris(*entries)

    # Numbered pages without a cursor give the same pages.
    third = parse(fetch(client, f"/algoritmeregister/{path}?page=3"))
    assert datasets(third) == uris(entries[4])
    fetch(client, f"/algoritmeregister/{path}?page=4", status=404)
    for bad in ("0", "-1", "x", ""):
        fetch(client, f"/algoritmeregister/{path}?page={bad}", status=400)
    fetch(client, f"/algoritmeregister/{path}?page=2&after=x", status=400)


def test_walking_next_links_skips_nothing_when_entries_go_meanwhile(client, register, settings):
    """With offsets, unpublishing an entry on page 1 would push one entry from page 2
    onto page 1, after the harvester read it: the harvester would never see it and
    delete its dataset. The next links carry a cursor instead."""
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "CATALOG_PAGE_SIZE": 2}
    entries = [make_entry(register, slug=f"e{i}", source_id=f"e{i}") for i in range(5)]
    first = parse(fetch(client, "/algoritmeregister/catalog.ttl"))
    assert datasets(first) == uris(*entries[:2])
    entries[0].unpublish()
    url = str(paging_links(first, paging_node(first))["next"])
    second = parse(fetch(client, url.removeprefix("http://testserver")))
    assert datasets(second) == uris(*entries[2:4])
    links = paging_links(second, paging_node(second))
    assert links["totalItems"].toPython() == 4
    assert links["last"] == URIRef("http://testserver/algoritmeregister/catalog.ttl?page=2")
    # ... yet the walk goes on while entries are left, past the (new) last page number
    third = parse(fetch(client, str(links["next"]).removeprefix("http://testserver")))
    assert datasets(third) == uris(entries[4])
    assert paging_links(third, paging_node(third))["next"] is None


def test_empty_register_has_one_page(client, register):
    graph = parse(fetch(client, "/algoritmeregister/catalog.ttl"))
    assert datasets(graph) == set()
    node = URIRef("http://testserver/algoritmeregister/catalog.ttl?page=1")
    links = paging_links(graph, node)
    assert links["totalItems"].toPython() == 0
    assert links["last"] == links["first"]
    assert links["next"] is None
    fetch(client, "/algoritmeregister/catalog.ttl?page=2", status=404)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        (None, "ttl"),
        ("*/*", "ttl"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml", "rdf"),
        ("application/rdf+xml;q=0.5, application/ld+json", "jsonld"),
        ("text/html, application/rdf+xml;q=0.9, */*;q=0.1", "rdf"),
        ("application/*", "jsonld"),
    ],
)
def test_content_negotiation(client, entry, accept, fmt):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = fetch(client, "/algoritmeregister/catalog/", **headers)
    assert response["Content-Type"] == f"{FORMATS[fmt][1]}; charset=utf-8"
    assert "Accept" in response["Vary"]
    assert (
        response["Content-Location"] == f"http://testserver/algoritmeregister/catalog.{fmt}?page=1"
    )
    assert datasets(parse(response)) == uris(entry)


@pytest.mark.parametrize("accept", ["text/html", "application/json;q=1, text/turtle;q=0"])
def test_content_negotiation_refuses_what_it_cannot_serve(client, entry, accept):
    response = fetch(client, "/algoritmeregister/catalog/", status=406, HTTP_ACCEPT=accept)
    assert b"text/turtle" in response.content


def test_unknown_format_is_not_found(client, entry):
    fetch(client, "/algoritmeregister/catalog.csv", status=404)


def test_failure_while_building_is_never_a_200(client, register, monkeypatch, caplog):
    """An error after some datasets were added gives 503, not a shorter catalogue."""
    for i in range(3):
        make_entry(register, slug=f"e{i}", source_id=f"e{i}")
    real = dcat._Builder.dataset
    calls = []

    def flaky(self, page):
        calls.append(page.pk)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(self, page)

    monkeypatch.setattr(dcat._Builder, "dataset", flaky)
    for subpath in ("catalog.ttl", "catalog.jsonld", "catalog.rdf", "catalog/"):
        calls.clear()
        response = client.get(f"/algoritmeregister/{subpath}")
        assert response.status_code == 503
        assert response["Retry-After"] == "300"
        assert response["Content-Type"].startswith("text/plain")
        assert b"dcat" not in response.content.lower()
    assert "database went away" in caplog.text


@pytest.mark.parametrize(
    "subpath, writer",
    [
        ("catalog.ttl", rdf.TurtleWriter),
        ("catalog.jsonld", rdf.JsonLdWriter),
        ("catalog.rdf", rdf.RdfXmlWriter),
        ("catalog/", rdf.TurtleWriter),
    ],
)
def test_failure_while_serialising_is_never_a_200(client, entry, monkeypatch, subpath, writer):
    """A writer failing halfway (some subjects written already) gives 503."""
    real, calls = writer.extend, []

    def broken(self, subject, pairs):
        calls.append(subject)
        if len(calls) == 3:
            raise ValueError("cannot serialise")
        return real(self, subject, pairs)

    monkeypatch.setattr(writer, "extend", broken)
    response = client.get(f"/algoritmeregister/{subpath}")
    assert len(calls) == 3
    assert response.status_code == 503
    assert b"dcat" not in response.content.lower()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_entries(client, register):
    for i in range(5):
        make_entry(register, slug=f"a{i}", source_id=f"a{i}")
    fetch(client, "/algoritmeregister/catalog.ttl")  # warm caches (site root paths)
    make_entry(register, slug="a5", source_id="a5")
    # the first request after a change counts the entries, the next ones not
    few = [count_queries(client, "/algoritmeregister/catalog.ttl") for _ in range(2)]
    for i in range(25):
        make_entry(register, slug=f"b{i}", source_id=f"b{i}")
    many = [count_queries(client, "/algoritmeregister/catalog.ttl") for _ in range(2)]
    assert len(datasets(parse(fetch(client, "/algoritmeregister/catalog.ttl")))) == 31
    assert few == many
    assert many[0] == many[1] + 1
    assert many[0] <= 15


def test_cached_totals_follow_every_change(client, register, settings):
    """The totals (hydra:totalItems, the last page) are cached until the register changes."""
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "CATALOG_PAGE_SIZE": 2}
    entries = [make_entry(register, slug=f"e{i}", source_id=f"e{i}") for i in range(3)]

    def total():
        graph = parse(fetch(client, "/algoritmeregister/catalog.ttl"))
        return paging_links(graph, paging_node(graph))["totalItems"].toPython()

    assert total() == total() == 3
    entries[0].unpublish()
    assert total() == 2
    make_entry(register, slug="e9", source_id="e9")
    assert total() == 3
    PageViewRestriction.objects.create(page=entries[1], restriction_type="login")
    assert total() == 2
    entries[2].delete()
    assert total() == 1


def test_conditional_requests(client, register):
    entries = [make_entry(register, slug=f"e{i}", source_id=f"e{i}") for i in range(2)]
    response = fetch(client, "/algoritmeregister/catalog.ttl")
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert "no-cache" in response["Cache-Control"]
    fetch(client, "/algoritmeregister/catalog.ttl", status=304, HTTP_IF_NONE_MATCH=etag)
    fetch(
        client, "/algoritmeregister/catalog.ttl", status=304, HTTP_IF_MODIFIED_SINCE=last_modified
    )
    # Unpublishing an entry changes no remaining entry's date, yet the catalogue is new.
    entries[1].unpublish()
    changed = fetch(client, "/algoritmeregister/catalog.ttl", HTTP_IF_NONE_MATCH=etag)
    assert changed["ETag"] != etag
    assert datasets(parse(changed)) == uris(entries[0])
