"""No public URL answers with a server error, whatever the query string or headers
(issue 13, item 4).

A property test (hypothesis, derandomized, a bounded number of requests) sends every
public URL of the register (the register page, entry pages, downloads, the catalogue in
every format, the feed, the API list, detail and find views and the identifier URIs)
arbitrary Unicode, huge, negative and repeated parameters, raw bytes and odd headers:
the status is always below 500. Bad paging is 400 or 404: a 503 would tell a harvester
to come back and ask again.
"""

import os
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import make_entry
from .test_i18n import translate


HUGE = "9" * 5000
PAST_INT64 = "99999999999999999999"

# Client errors that used to be server errors (500, or 503 for the catalogue).
BAD_PAGING = [
    "/algoritmeregister/catalog.ttl?page=²",
    "/algoritmeregister/catalog.ttl?after=²",
    f"/algoritmeregister/catalog.ttl?page={HUGE}",
    f"/algoritmeregister/catalog.jsonld?after={HUGE}",
    f"/algoritmeregister/catalog.rdf?after={PAST_INT64}",
    f"/algoritmeregister/catalog/?page=2&after={PAST_INT64}",
    f"/algoritmeregister/catalog.ttl?page={PAST_INT64}",
    "/algoritmeregister/catalog.ttl?page=-1",
    f"/api/v2/algorithms/{PAST_INT64}/",
    f"/api/v2/algorithms/?offset={PAST_INT64}",
    f"/api/v2/algorithms/?offset={HUGE}",
    "/api/v2/algorithms/?offset=²",
    f"/api/v2/algorithms/?limit={PAST_INT64}",
    "/api/v2/algorithms/?limit=-1",
    f"/api/v2/pages/?offset={PAST_INT64}",
    f"/api/v2/pages/{PAST_INT64}/",
]
BAD_QUERIES = [
    "/api/v2/algorithms/find/?id=abc",
    f"/api/v2/algorithms/find/?id={PAST_INT64}",
    "/api/v2/algorithms/find/?html_path=%00",
    "/api/v2/algorithms/?search=%00",
    "/api/v2/algorithms/?search=a&search_operator=xx",
    "/api/v2/algorithms/?department=%00",
    "/api/v2/pages/?type=wagtail_algoregister.AlgorithmPage&department=%00",
    "/algoritmeregister/?department=%00",
    "/algoritmeregister/?q=%00&department=a%00b",
]


@pytest.fixture
def site(register, english):
    """A register in Dutch and English with a translated and an untranslated entry."""
    home = register.get_parent().specific
    translate(home, english, title="Home")
    register_en = translate(
        register, english, title="Algorithm register", slug="algorithm-register"
    )
    translated = make_entry(register, slug="parkeren", name="Parkeervergunning toekennen")
    other = make_entry(register, slug="afval", name="Afvalroutes plannen")
    other.department = "Stadsbeheer"
    other.save_revision().publish()
    translated_en = translate(translated, english, title="Parking permits", slug="parking")
    return {
        "register": register,
        "register_en": register_en,
        "entry": translated,
        "entry_en": translated_en,
    }


@pytest.fixture
def english(db):
    from wagtail.models import Locale

    return Locale.objects.get_or_create(language_code="en")[0]


def test_bad_paging_is_a_client_error(client, site):
    statuses = {url[:90]: client.get(url).status_code for url in BAD_PAGING}
    assert {url: status for url, status in statuses.items() if status not in (400, 404)} == {}


def test_bad_query_values_are_no_server_error(client, site):
    statuses = {url: client.get(url).status_code for url in BAD_QUERIES}
    assert {url: status for url, status in statuses.items() if status >= 500} == {}
    # The register page drops the control characters and still filters.
    response = client.get("/algoritmeregister/?department=Stads%00beheer")
    assert [entry.title for entry in response.context["listing"].entries] == ["Afvalroutes plannen"]


# -- the property test ---------------------------------------------------------

# Requests per kind of URL (a few seconds each in `make test`): more where the query
# string is read most (paging). ALGOREGISTER_FUZZ_SCALE=10 gives a ten times longer run.
SCALE = float(os.environ.get("ALGOREGISTER_FUZZ_SCALE", "1"))
EXAMPLES = {"catalogue": 100, "api": 100, "downloads": 50}

EDGE_NUMBERS = st.sampled_from(
    ["0", "1", "2", "-1", "-0", "+1", "1.0", "1e3", "²", "١٢", "0x1f", " 1", "1 ", "", HUGE]
    + [PAST_INT64, str(2**63), str(2**63 - 1), "NaN", "inf"]
)
WORDS = st.sampled_from(
    ["In gebruik", "Verkeer", "dpia", "none", "Stadsbeheer", "and", "or", "random", "title"]
    + ["-title", "*", "_", "nl", "en", "root", "id,title", "*,-title", "title(x", "_,id", "a,b("]
    + ["wagtail_algoregister.AlgorithmPage", "wagtailcore.Page", "true", "parkeren", "/"]
    + ["/algoritmeregister/parkeren/", "relevance", "changed", "name", '"', "'", "(", ")"]
    + ["\x00", "\x0b", "%", "\\", "*:*", "NOT", "OR a", "a AND", "^", "~", "'\"", "\ud7ff"]
)
# Edge numbers twice: every URL pages, and paging is where the errors were.
VALUES = st.one_of(
    EDGE_NUMBERS,
    EDGE_NUMBERS,
    st.integers(-(10**30), 10**30).map(str),
    WORDS,
    st.text(max_size=40),
)
# Raw bytes in a query string (not UTF-8, lone percent signs, empty names).
RAW = st.sampled_from(["", "%FF%FE", "a=%00", "&&=&", "%", "page=%ZZ", "q=%C3", "=1", "a=b=c"])
HEADER = st.text(alphabet=st.characters(max_codepoint=255, exclude_characters="\r\n"), max_size=60)
ACCEPT = st.one_of(
    st.sampled_from(
        ["*/*", "text/turtle", "application/ld+json;q=abc", "text/*;q=0.5, */*;q=x", ";", ","]
        + ["application/rdf+xml;q=1.5", "text/html", "image/png", "*/*;q=0", "a/b/c", "text/"]
        + ["application/json; indent=999999999999999999999", "application/json; indent=-3"]
    ),
    HEADER,
)

COMMON = ["page", "q", "sort", "format", "fields", "offset", "limit", "search", "locale"]
FACETS = ["status", "publication_category", "category", "impact_assessment", "department"]
API = [
    *COMMON,
    *FACETS,
    "search_operator",
    "order",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "translation_of",
    "type",
    "html_path",
    "slug",
    "title",
    "id",
    "has_children",
    "show_in_menus",
    "rich_text_format",
    "after",
]

# kind -> (path templates filled in from the site fixture, parameter names)
KINDS = {
    "register": (["{register}", "{register_en}"], [*COMMON, *FACETS]),
    "entry": (["{entry}", "{entry_en}"], COMMON),
    "downloads": (
        [
            f"{{{page}}}export.{fmt}"
            for page in ("register", "entry_en")
            for fmt in ("csv", "xlsx", "json")
        ],
        [*COMMON, *FACETS],
    ),
    "catalogue": (
        [f"{{register}}catalog.{fmt}" for fmt in ("ttl", "jsonld", "rdf")]
        + ["{register}catalog/", "{register_en}catalog/"],
        ["page", "after", "format"],
    ),
    "feed": (["{register}feed.atom", "{register_en}feed.atom"], COMMON),
    "api": (
        [
            "/api/v2/algorithms/",
            "/api/v2/algorithms/{entry_pk}/",
            f"/api/v2/algorithms/{PAST_INT64}/",
            "/api/v2/algorithms/find/",
            "/api/v2/pages/",
            "/api/v2/pages/find/",
        ],
        API,
    ),
    "identifiers": (
        [
            "{register}id/{key}/",
            "{register_en}id/{key}/",
            "/en{register}id/{key}/",
            "{register}id/00000000-0000-0000-0000-000000000000/",
        ],
        COMMON,
    ),
}


def request_strategy(kind):
    templates, names = KINDS[kind]
    pairs = st.lists(
        # Mostly the names the URL reads, sometimes any other.
        st.tuples(
            st.one_of(
                st.sampled_from(names), st.sampled_from(names), st.text(min_size=1, max_size=8)
            ),
            VALUES,
        ),
        max_size=4,
    )
    headers = st.fixed_dictionaries(
        {},
        optional={
            "HTTP_ACCEPT": ACCEPT,
            "HTTP_ACCEPT_LANGUAGE": st.one_of(
                st.sampled_from(["en", "nl;q=x", "*", "zz-ZZ"]), HEADER
            ),
            "HTTP_IF_NONE_MATCH": st.one_of(st.just("*"), HEADER),
            "HTTP_IF_MODIFIED_SINCE": st.one_of(st.just("Sat, 29 Oct 1994 19:43:31 GMT"), HEADER),
            "HTTP_COOKIE": HEADER.map(lambda value: f"django_language={value}"),
        },
    )
    return st.tuples(
        st.sampled_from(templates), pairs, RAW, headers, st.sampled_from(["get", "head"])
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_public_url_answers_with_a_server_error(client, site, kind):
    values = {
        "register": site["register"].url,
        "register_en": site["register_en"].url,
        "entry": site["entry"].url,
        "entry_en": site["entry_en"].url,
        "entry_pk": site["entry"].pk,
        "key": site["entry"].translation_key,
    }

    @settings(
        max_examples=int(EXAMPLES.get(kind, 40) * SCALE),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(request_strategy(kind))
    def check(example):
        template, pairs, raw, headers, method = example
        path = template.format(**values)
        query = "&".join(part for part in (urlencode(pairs), raw) if part)
        response = getattr(client, method)(f"{path}?{query}" if query else path, **headers)
        assert response.status_code < 500, (path, query[:200], headers, response.status_code)

    check()
