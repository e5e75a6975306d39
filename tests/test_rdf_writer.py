"""The catalogue's own RDF writers (wagtail_algoregister.formats.rdf) against rdflib (issue 4, item 10).

Every writer's output, parsed by rdflib, must be the same graph (isomorphic, blank
nodes included) as the reference: the same triples added to an rdflib Graph.
"""

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic

from wagtail_algoregister.formats import dcat, rdf
from wagtail_algoregister.formats.context import context_for
from wagtail_algoregister.models import AlgorithmPage

from .conftest import make_entry


pytestmark = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"  # rdflib's JSON-LD parser
)

PARSERS = {"turtle": "turtle", "json-ld": "json-ld", "xml": "xml"}

AWKWARD = [
    "say \"quoted\" and 'single'",
    "back\\slash \\n not a newline \\u0041",
    "line\nbreaks\r\nand\ttabs",
    'trailing quote"',
    'three """ quotes',
    "non-ASCII: Ærø, ĳ, Straße, 東京, emoji 🙂",
    "markup <b>&amp;</b> & < > ]]>",
    "",
    " leading and trailing spaces ",
]


def check(triples):
    reference = rdf.to_graph(triples)
    for fmt, parser in PARSERS.items():
        body = rdf.serialize(triples, fmt)
        parsed = rdflib.Graph().parse(data=body, format=parser)
        if not isomorphic(parsed, reference):
            _both, only_written, only_reference = graph_diff(parsed, reference)
            pytest.fail(
                f"{fmt}: written but not in the reference: {sorted(only_written)[:5]}; "
                f"missing: {sorted(only_reference)[:5]}"
            )
        assert len(parsed) == len(reference)


def test_literals_iris_languages_and_datatypes_survive_every_format():
    triples = rdf.Triples({"ex": "http://example.org/ns#", "xsd": str(rdflib.XSD)})
    subject = "http://example.org/thing"
    for number, text in enumerate(AWKWARD):
        triples.add((subject, f"http://example.org/ns#plain{number}", rdf.Literal(text)))
        triples.add((subject, "http://example.org/ns#text", rdf.Literal(text, lang="nl")))
        triples.add((subject, "http://example.org/ns#en", rdf.Literal(text, lang="en-GB")))
    triples.add(
        (
            subject,
            "http://example.org/ns#when",
            rdf.Literal("2024-05-01T10:00:00+00:00", None, str(rdflib.XSD.dateTime)),
        )
    )
    triples.add(
        (subject, "http://example.org/ns#count", rdf.Literal("42", None, str(rdflib.XSD.integer)))
    )
    triples.add(
        (subject, "http://example.org/ns#odd", rdf.Literal("x", None, "http://example.org/type#t"))
    )
    # IRIs: percent-encoded where an IRI forbids the character, non-ASCII kept
    for url in (
        "https://example.org/a>b<c",
        'https://example.org/"quoted"',
        "https://example.org/with space/{x}|^`\\",
        "https://example.org/straße/東京?q=1&r=2#frag",
        "mailto:algoritmes@example.org",
    ):
        triples.add((subject, "http://example.org/ns#link", rdf.safe_iri(url)))
    # a predicate outside the prefixes, and a class with a local name no prefix can write
    triples.add((subject, "http://other.example/vocab/prop-1", rdf.Literal("x")))
    triples.add((subject, rdf.RDF_TYPE, "http://example.org/ns#Thing"))
    triples.add((subject, rdf.RDF_TYPE, "http://example.org/classes/1st"))
    blank = rdf.BNode("contact-0123abcd")
    triples.add((subject, "http://example.org/ns#contact", blank))
    triples.add((blank, "http://example.org/ns#name", rdf.Literal("Één & <twee>", lang="nl")))
    triples.add((blank, "http://example.org/ns#name", rdf.Literal("Één & <twee>", lang="nl")))
    assert len(triples) == 3 * len(AWKWARD) + 3 + 5 + 1 + 2 + 2  # the repeated name once
    check(triples)


def test_safe_iri_encodes_only_what_iris_forbid():
    assert rdf.safe_iri("https://example.org/a>b") == "https://example.org/a%3Eb"
    assert rdf.safe_iri("https://example.org/a b") == "https://example.org/a%20b"
    assert rdf.safe_iri("https://example.org/ß?x=1#y") == "https://example.org/ß?x=1#y"
    assert rdf.safe_iri(rdf.safe_iri("https://example.org/{x}")) == "https://example.org/%7Bx%7D"


def test_characters_xml_cannot_carry_are_refused_not_written():
    triples = rdf.Triples({})
    triples.add(("http://example.org/s", "http://example.org/p", rdf.Literal("bell \x07")))
    with pytest.raises(ValueError):
        rdf.serialize(triples, "xml")
    assert rdf.clean_text("bell \x07 and\ttab") == "bell  and\ttab"
    # Turtle and JSON-LD can carry them, escaped
    for fmt in ("turtle", "json-ld"):
        parsed = rdflib.Graph().parse(data=rdf.serialize(triples, fmt), format=fmt)
        assert isomorphic(parsed, rdf.to_graph(triples))


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError):
        rdf.serialize(rdf.Triples({}), "n3")


AWKWARD_ENTRY = {
    "name": 'Het "slimme" algoritme \\ met\nregels & a > b',
    "description_short": 'Omschrijving met ‘aanhalingstekens’, "dubbele", backslash \\ en\r\neen regel erbij; Ærø 🙂.',
    "organization": 'Samenwerkingsverband "Regio" Utrecht & co',
    "contact_email": "https://www.utrecht.example/contact?x=1&y=<2>",
    "website": "https://www.utrecht.example/schulden?a=1&b=2",
    "goal": "<p>Doel met &lt;code&gt; en &quot;quotes&quot; en\nnewline.</p><ul><li>één</li></ul>",
    "tags": 'schulden, "quoted", back\\slash, straße',
    "publiccode": "https://github.com/utrecht-example/vroeg>signalering",
    "process_index_url": "https://www.utrecht.example/verwerkingsregister?a=1&b=2",
    "impacttoetsen_grouping": [
        {"title": 'DPIA "2023"', "link": "https://www.utrecht.example/dpia>1.pdf"},
        {"title": "IAMA", "link": "https://www.utrecht.example/iama pdf"},
    ],
    "source_data_grouping": [
        {"title": "Bron", "link": "https://data.utrecht.example/{schulden}"},
        {"title": "Bron 2", "link": "https://data.utrecht.example/straße"},
    ],
    "status": "Buiten gebruik",
    "begin_date": "2019-01",
    "end_date": "2022-06",
}


@pytest.fixture
def catalogue(register, settings):
    settings.WAGTAIL_ALGOREGISTER = {**settings.WAGTAIL_ALGOREGISTER, "CATALOG_PAGE_SIZE": 2}
    register.intro = '<p>Register met "quotes", \\ en <b>opmaak</b> & meer.</p>'
    register.save_revision().publish()
    entries = [
        make_entry(register, slug="gewoon", source_id="gewoon"),
        make_entry(register, slug="lastig", source_id="lastig", **AWKWARD_ENTRY),
        make_entry(
            register,
            slug="leeg",
            source_id="leeg",
            category=[],
            begin_date="",
            tags="",
            publiccode="",
            impacttoetsen_grouping=[],
            source_data_grouping=[],
            lawful_basis_grouping=[],
        ),
    ]
    register.refresh_from_db()
    return register, entries


def test_catalogue_pages_in_every_format_are_the_reference_graph(catalogue):
    register, entries = catalogue
    seen = set()
    for number in (1, 2):
        page = dcat.build_catalog(register, page=number)
        check(page.triples)
        reference = page.graph
        seen |= set(reference.subjects(rdflib.RDF.type, rdflib.URIRef(str(rdflib.DCAT.Dataset))))
    assert seen == {rdflib.URIRef(e.identifier_uri) for e in entries}


def test_awkward_values_arrive_intact(catalogue):
    register, entries = catalogue
    awkward = entries[1]
    page = dcat.build_catalog(register, page=1)
    for fmt, parser in PARSERS.items():
        graph = rdflib.Graph().parse(data=rdf.serialize(page.triples, fmt), format=parser)
        node = rdflib.URIRef(awkward.identifier_uri)
        title = graph.value(node, rdflib.DCTERMS.title)
        # whitespace folded, as before; quotes, backslashes and markup kept
        assert str(title) == 'Het "slimme" algoritme \\ met regels & a > b'
        assert title.language == "nl"
        relations = {str(o) for o in graph.objects(node, rdflib.DCTERMS.relation)}
        assert "https://github.com/utrecht-example/vroeg%3Esignalering" in relations
        assert "https://data.utrecht.example/stra\u00dfe" in relations
        description = str(graph.value(node, rdflib.DCTERMS.description))
        assert "backslash \\ en" in description and "\n\n" in description


@pytest.mark.parametrize("regular", [True, False])
def test_fast_context_is_what_ckan_export_computes(catalogue, monkeypatch, regular):
    """The catalogue computes the context of a whole page at once (no query per entry):
    it must equal ckan_export.context.context_for for every entry, also on a site
    whose entries' URLs are not the register's URL plus the slug and a slash."""
    if not regular:
        routing = AlgorithmPage.get_url_parts

        def get_url_parts(self, request=None):
            site_id, root_url, path = routing(self, request)
            return site_id, root_url, f"{path}index.html"

        monkeypatch.setattr(AlgorithmPage, "get_url_parts", get_url_parts)
    register, entries = catalogue
    # After an ASCII slug: the slug's URL form, not the slug itself.
    entries.append(make_entry(register, slug="ijsbaan-één", source_id="unicode"))
    values = dcat.public_entries(register).values(*dcat._ROW_FIELDS)
    rows = [dcat._Row(row) for row in values]
    assert len(rows) == len(entries) > 1
    builder = dcat._Builder(dcat.new_graph(), register, register.full_url)
    builder.prepare(rows)
    for row in rows:
        fast = builder.context(row)
        slow = context_for(AlgorithmPage.objects.get(pk=row.pk))
        assert fast == slow
    assert any("/ijsbaan-%C3%A9%C3%A9n/" in row.full_url for row in rows)
