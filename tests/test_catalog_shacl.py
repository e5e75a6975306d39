"""The catalogue as a harvester sees it conforms to DCAT-AP 3.0.0 (issue 12, item 1).

A harvester (ckanext-dcat, data.europa.eu, data.overheid.nl) walks the Hydra pages of
the catalogue and merges them into one graph. That merged graph is validated here with
pyshacl against the official DCAT-AP 3.0.0 shapes (``tests/data/dcat-ap/``, CC BY 4.0),
without inference (what harvesters do) and with RDFS inference, for the demo content and
for a generated register of several pages.
"""

from collections import Counter
from importlib import resources

import pytest
import rdflib
from django.core.management import call_command
from rdflib.namespace import DCTERMS, FOAF, RDF, SH, SKOS

from wagtail_algoregister.models import AlgorithmRegisterPage

from .conftest import make_entry


pyshacl = pytest.importorskip("pyshacl")

pytestmark = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"  # rdflib's JSON-LD parser
)

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


def shapes():
    if not hasattr(shapes, "graph"):
        path = resources.files("tests").joinpath("data", "dcat-ap", "dcat-ap-3.0.0-SHACL.ttl")
        shapes.graph = rdflib.Graph().parse(data=path.read_text("utf-8"), format="turtle")
    return shapes.graph


def harvest(client, register, fmt="ttl"):
    """Every page of the register's catalogue, following ``hydra:next`` from the first, merged
    into one graph as a harvester merges them (blank nodes of different pages stay apart)."""
    graph, url, pages = rdflib.Graph(), register.url + f"catalog.{fmt}", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        page = rdflib.Graph().parse(data=response.content, format=FORMATS[fmt])
        graph += page
        pages += 1
        following = list(page.objects(None, HYDRA.next))
        url = str(following[0]).removeprefix("http://testserver") if following else None
        assert pages < 100
    return graph, pages


def violations(graph, inference):
    """Every result of the DCAT-AP 3.0.0 shapes: (severity, shape path, message, focus)."""
    _conforms, report, _text = pyshacl.validate(
        graph, shacl_graph=shapes(), inference=inference, allow_warnings=False
    )
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        results.append(
            (
                str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                str(report.value(result, SH.resultPath)),
                str(report.value(result, SH.resultMessage)),
                str(report.value(result, SH.focusNode)),
            )
        )
    return results


def summary(results) -> str:
    kinds = Counter((severity, path, message) for severity, path, message, _ in results)
    return "\n".join(f"{count:5} {kind}" for kind, count in kinds.most_common())


@pytest.fixture
def demo(db):
    call_command("load_demo_content")
    return list(AlgorithmRegisterPage.objects.live().order_by("pk"))


@pytest.fixture
def paged(register, settings):
    """A register of seven entries on three pages, with what varies between entries: other
    organisations, a web address as contact, no themes, every status."""
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "CATALOG_PAGE_SIZE": 3}
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
        status="In ontwikkeling",
    )
    make_entry(
        register,
        slug="drie",
        source_id="drie",
        status="Buiten gebruik",
        begin_date="2019-01",
        end_date="2022-06",
        publiccode="",
        source_data_grouping=[],
        impacttoetsen_grouping=[],
        process_index_url="",
    )
    make_entry(register, slug="vier", source_id="vier", category=["Werk", "Recht"])
    make_entry(
        register,
        slug="vijf",
        source_id="vijf",
        organization="Samenwerkingsverband Regio Utrecht",
        category=list(register_categories()),
    )
    make_entry(register, slug="zes", source_id="zes", publication_category="Overige algoritmes")
    make_entry(register, slug="zeven", source_id="zeven", website="")
    return register


def register_categories():
    from wagtail_algoregister import standard

    return standard.get("category").permitted_values


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_demo_catalogue_conforms_to_dcat_ap_3(client, demo, inference):
    for register in demo:
        graph, _pages = harvest(client, register)
        results = violations(graph, inference)
        assert not results, f"{register.url} ({inference}):\n{summary(results)}"


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_paged_catalogue_conforms_to_dcat_ap_3(client, paged, inference):
    graph, pages = harvest(client, paged)
    assert pages == 3
    results = violations(graph, inference)
    assert not results, f"({inference}):\n{summary(results)}"


@pytest.mark.parametrize("fmt", ["jsonld", "rdf"])
def test_paged_catalogue_conforms_in_every_serialisation(client, paged, fmt):
    graph, _pages = harvest(client, paged, fmt)
    results = violations(graph, "none")
    assert not results, f"({fmt}):\n{summary(results)}"


def test_pages_merge_into_one_publisher_contact_point_and_creator(client, paged):
    graph, pages = harvest(client, paged)
    assert pages == 3
    catalogs = set(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    (catalog,) = catalogs
    for prop in (DCTERMS.publisher, DCAT.contactPoint, DCTERMS.creator):
        values = set(graph.objects(catalog, prop))
        assert len(values) == 1, (prop, values)
        assert isinstance(next(iter(values)), rdflib.URIRef), prop
    (contact,) = graph.objects(catalog, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in graph
    assert len(set(graph.objects(contact, VCARD.fn))) == 1
    (publisher,) = graph.objects(catalog, DCTERMS.publisher)
    assert len(set(graph.objects(publisher, FOAF.name))) == 1
    # the same organisation publishes every dataset: one agent, not one per page
    publishers = {p for d in graph.subjects(RDF.type, DCAT.Dataset) for p in graph.objects(d, DCTERMS.publisher)}
    assert publishers == {publisher}
    # the other organisation that created two datasets (on two pages) is one agent too
    creators = {c for d in graph.subjects(RDF.type, DCAT.Dataset) for c in graph.objects(d, DCTERMS.creator)}
    assert len(creators) == 2
    assert all(isinstance(c, rdflib.URIRef) for c in creators)


def test_every_concept_has_dutch_and_english_labels_and_every_scheme_a_title(client, paged):
    graph, _pages = harvest(client, paged)
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 10
    for concept in concepts:
        languages = {label.language for label in graph.objects(concept, SKOS.prefLabel)}
        assert languages == {"nl", "en"}, concept
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme)) | set(
        graph.objects(None, SKOS.inScheme)
    )
    assert schemes
    for scheme in schemes:
        assert (scheme, RDF.type, SKOS.ConceptScheme) in graph, scheme
        languages = {title.language for title in graph.objects(scheme, DCTERMS.title)}
        assert {"nl", "en"} <= languages, scheme
