"""The catalogue as a harvester sees it conforms to DCAT-AP 3.0.0 (issue 12, item 1).

A harvester (ckanext-dcat, data.europa.eu, data.overheid.nl) walks the Hydra pages of
the catalogue and merges them into one graph. That merged graph is validated here with
pyshacl against the official DCAT-AP 3.0.0 shapes (``tests/data/dcat-ap/``, CC BY 4.0),
without inference (what harvesters do) and with RDFS inference, for the demo content and
for a generated register of several pages.
"""

from collections import Counter
from importlib import resources

import pyshacl
import pytest
import rdflib
from django.core.management import call_command
from rdflib.namespace import DCTERMS, FOAF, RDF, SH, SKOS

from wagtail_algoregister.models import AlgorithmRegisterPage

from .conftest import make_entry


pytestmark = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"  # rdflib's JSON-LD parser
)

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


def _shapes(*names):
    graph = rdflib.Graph()
    for name in names:
        path = resources.files("tests").joinpath("data", "dcat-ap", name)
        graph.parse(data=path.read_text("utf-8"), format="turtle")
    return graph


DCAT_AP = "dcat-ap-3.0.0-SHACL.ttl"
DCAT_AP_NL = "dcat-ap-nl-3.0-rules.ttl"  # applies together with DCAT-AP's own shapes
SHAPES = {}


def shapes(profile=(DCAT_AP,)):
    if profile not in SHAPES:
        SHAPES[profile] = _shapes(*profile)
    return SHAPES[profile]


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


def violations(graph, inference, profile=(DCAT_AP,)):
    """Every result of the shapes (by default DCAT-AP 3.0.0's): (severity, path, message,
    focus node)."""
    _conforms, report, _text = pyshacl.validate(
        graph, shacl_graph=shapes(profile), inference=inference, allow_warnings=False
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
    publishers = {
        p
        for d in graph.subjects(RDF.type, DCAT.Dataset)
        for p in graph.objects(d, DCTERMS.publisher)
    }
    assert publishers == {publisher}
    # the other organisation that created two datasets (on two pages) is one agent too
    creators = {
        c for d in graph.subjects(RDF.type, DCAT.Dataset) for c in graph.objects(d, DCTERMS.creator)
    }
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
        assert languages & {"nl", "en"}, scheme  # the vocabulary's own title (EU, ADMS: English)


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_paged_catalogue_conforms_to_dcat_ap_nl_3(client, paged, inference):
    """DCAT-AP-NL 3.0's rules with DCAT-AP's: no violation; of the recommended
    properties only those the register has no data for are missing: a data service
    (``dcat:accessService``; the files are plain downloads) and a schema the web page
    conforms to (HTML has none; the JSON and CSV conform to the standard)."""
    graph, _pages = harvest(client, paged)
    results = violations(graph, inference, (DCAT_AP, DCAT_AP_NL))
    errors = [r for r in results if r[0] != "Warning"]
    assert not errors, f"({inference}):\n{summary(errors)}"
    distributions = set(graph.subjects(RDF.type, DCAT.Distribution))
    pages = {d for d in distributions if str(d).endswith("#page")}
    warnings = {
        (path.rsplit("/", 1)[-1].rsplit("#", 1)[-1], focus) for *_s, path, _m, focus in results
    }
    expected = {("accessService", str(d)) for d in distributions} | {
        ("conformsTo", str(d)) for d in pages
    }
    assert warnings == expected


def test_the_dcat_ap_nl_rules_find_what_they_check(client, paged):
    """The restated DCAT-AP-NL rules can fail: a second contact point of the catalogue,
    a theme outside the EU list only, a missing licence."""
    graph, _pages = harvest(client, paged)
    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    dataset = next(iter(graph.subjects(RDF.type, DCAT.Dataset)))
    distribution = next(iter(graph.objects(dataset, DCAT.distribution)))
    graph.add((catalog, DCAT.contactPoint, rdflib.BNode()))
    for theme in list(graph.objects(dataset, DCAT.theme)):
        if "data-theme" in str(theme):
            graph.remove((dataset, DCAT.theme, theme))
    graph.remove((distribution, DCTERMS.license, None))
    results = violations(graph, "none", (DCAT_AP_NL,))
    found = {(path, focus) for severity, path, _m, focus in results if severity == "Violation"}
    assert (str(DCAT.contactPoint), str(catalog)) in found
    assert (str(DCAT.theme), str(dataset)) in found
    assert (str(DCTERMS.license), str(distribution)) in found
