"""Every rule of the standard, checked on the shared validation functions."""

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from wagtail_algoregister import standard
from wagtail_algoregister.standard import validation
from wagtail_algoregister.standard.validation import (
    clean_html,
    strip_html,
    validate_entry,
    validate_value,
)

from .conftest import full_entry


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def test_a_full_entry_is_valid():
    normalised, errors = validate_entry(full_entry())
    assert errors == {}
    assert normalised["category"] == ["Sociale zekerheid", "Zorg en gezondheid"]


REQUIRED = [k for k, d in standard.input_fields().items() if d.required]


@pytest.mark.parametrize("key", REQUIRED)
@pytest.mark.parametrize("empty", ["", None, "   "])
def test_required_fields(key, empty):
    _normalised, errors = validate_entry(full_entry(**{key: empty}))
    assert list(errors) == [key]
    assert "verplicht" in errors[key][0] or "required" in errors[key][0]
    assert errors[key][0].startswith(str(standard.get(key).label))


LIMITED = [d for d in standard.input_fields().values() if d.max_length and d.format != "year_month"]


@pytest.mark.parametrize("definition", LIMITED, ids=lambda d: d.key)
def test_each_limit_is_counted_after_stripping_html(definition):
    limit = definition.max_length
    if definition.format in ("url", "email_or_url"):
        at_limit = "https://example.nl/" + "a" * (limit - len("https://example.nl/"))
    elif definition.permitted_values:
        pytest.skip("vocabulary field")
    else:
        at_limit = "a" * limit
    if definition.is_rich_text:
        # Markup does not count; like the national register, text nodes are
        # joined by one space, which does count.
        value = (
            "<p>"
            + at_limit[: limit // 2]
            + "</p><ul><li>"
            + at_limit[limit // 2 + 1 :]
            + "</li></ul>"
        )
    else:
        value = at_limit
    assert validate_value(definition, value)[1] == [], definition.key
    over = value.replace("a", "aa", 1)
    errors = validate_value(definition, over)[1]
    assert errors, definition.key
    assert str(limit) in errors[-1] and str(limit + 1) in errors[-1]
    assert errors[-1].startswith(str(definition.label))


@pytest.mark.parametrize(
    "definition",
    [d for d in standard.input_fields().values() if d.permitted_values],
    ids=lambda d: d.key,
)
def test_each_vocabulary(definition):
    for value in definition.permitted_values:
        v = [value] if definition.is_multiple_choice else value
        assert validate_value(definition, v)[1] == []
    bad = ["Onbekend thema"] if definition.is_multiple_choice else "Onbekend"
    errors = validate_value(definition, bad)[1]
    assert errors and "Onbekend" in errors[0]
    # The message lists what is allowed.
    assert definition.permitted_values[0] in errors[0]


@pytest.mark.parametrize("key", ["begin_date", "end_date"])
@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2024-03", True),
        ("1999-12", True),
        ("2024-13", False),
        ("2024-00", False),
        ("2024-3", False),
        ("03-2024", False),
        ("2024/03", False),
        ("2024-03-01", False),
    ],
)
def test_year_month_pattern(key, value, ok):
    errors = validate_value(standard.get(key), value)[1]
    assert (errors == []) is ok


def test_end_date_before_begin_date_is_refused():
    _n, errors = validate_entry(full_entry(begin_date="2024-05", end_date="2023-01"))
    assert "end_date" in errors


@pytest.mark.parametrize("value", ["team@gemeente.nl", "https://www.gemeente.nl/contact"])
def test_contact_accepts_email_or_url(value):
    assert validate_value(standard.get("contact_email"), value)[1] == []


@pytest.mark.parametrize("value", ["Jan de Vries", "ftp://gemeente.nl", "www.gemeente.nl"])
def test_contact_refuses_other_text(value):
    assert validate_value(standard.get("contact_email"), value)[1]


@pytest.mark.parametrize("key", ["website", "url", "process_index_url", "publiccode"])
def test_url_fields(key):
    d = standard.get(key)
    assert validate_value(d, "https://www.gemeente.nl/a?b=c")[1] == []
    assert validate_value(d, "javascript:alert(1)")[1]
    assert validate_value(d, "niet een link")[1]


def test_disallowed_tags_are_removed_from_rich_text():
    dirty = (
        '<p onclick="x()" class="a" data-block-key="k1">Tekst <b>vet</b> <a href="https://x.nl">link</a></p>'
        "<script>alert(1)</script><style>p{}</style><h2>Kop</h2><ul><li>een</li></ul><img src=x onerror=alert(1)>"
    )
    value, errors = validate_value(standard.get("goal"), dirty)
    assert errors == []
    assert value == "<p>Tekst vet link</p>Kop<ul><li>een</li></ul>"
    assert "script" not in value and "alert" not in value and "onclick" not in value


def test_rich_text_keeps_only_the_standards_tags():
    allowed = standard.get("goal").allowed_html_tags
    assert set(allowed) == {"div", "br", "p", "ul", "ol", "li"}
    assert (
        clean_html("<div>a<br/>b</div><ol><li>c</li></ol>", allowed)
        == "<div>a<br>b</div><ol><li>c</li></ol>"
    )
    # Text that looks like markup is escaped, never passed through.
    assert clean_html("<p>a &lt;script&gt; b</p>", allowed) == "<p>a &lt;script&gt; b</p>"
    assert clean_html("<p>unclosed <ul><li>x", allowed) == "<p>unclosed <ul><li>x</li></ul></p>"


@pytest.mark.parametrize("key", ["name", "description_short", "provider", "organization"])
def test_html_in_plain_text_fields_is_refused_with_a_message(key):
    errors = validate_value(standard.get(key), "Naam <script>alert(1)</script>")[1]
    assert errors and "HTML" in errors[0]
    # A lone "<" is text, not HTML.
    assert validate_value(standard.get(key), "Kosten < 10 euro")[1] == []


def test_grouping_items_are_validated():
    d = standard.get("lawful_basis_grouping")
    rows, errors = validate_value(
        d,
        [
            {"title": "", "link": "https://wetten.overheid.nl/BWBR0006622"},
            {"title": "Wet", "link": "geen link"},
        ],
    )
    assert len(errors) == 2
    assert "1" in errors[0] and "verplicht" in errors[0]
    assert "2" in errors[1] and "geen link" in errors[1]
    title_limit = d.items["title"].max_length
    _rows, errors = validate_value(d, [{"title": "x" * (title_limit + 1), "link": "https://a.nl"}])
    assert errors and str(title_limit) in errors[0]


def test_impact_assessment_link_is_optional():
    rows, errors = validate_value(
        standard.get("impacttoetsen_grouping"),
        [{"title": "Data Protection Impact Assessment (DPIA)", "link": ""}],
    )
    assert errors == [] and rows == [
        {"title": "Data Protection Impact Assessment (DPIA)", "link": ""}
    ]


def test_strip_html_counts_like_the_national_register():
    # Text nodes joined by a space, entities decoded, tags not counted.
    assert strip_html("<p>a&amp;b</p><p>c</p>") == "a&b c"
    assert strip_html("<p>een</p><ul><li>twee</li><li>drie</li></ul>") == "een twee drie"


# Pieces that make the text nodes hard to find: the standard's tags in every spelling,
# tags with attributes, comments, raw-text elements, lone "<" and "&", references.
HTML_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<P >", "<br>", "<br/>", "<br />", "</ br>", "<li>", "</li>", "<ul>",
        "</ol>", "<div>", "<h2>", "<span>", '<p class="x">', "<a href='y'>", "</a>",
        "<!-- c -->", "<script>", "</script>", "<style>", "<", ">", "&", "&amp;", "&lt;",
        "&#39;", "&#x20AC;", "&nbsp", "&eacute;", ";", " ", "\n", "tekst", "é", "<p", "</",
        "<?x?>", "<![CDATA[x]]>",
    ]
)  # fmt: skip


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.lists(HTML_PIECES | st.text(max_size=3), max_size=14).map("".join))
def test_fast_strip_html_equals_the_html_parser(value):
    """strip_html reads stored (sanitised) rich text without a parser: for any input at
    all it must give what the HTML parser gives."""
    assert strip_html(value) == validation._strip_html_parsed(value)


def test_messages_in_english():
    with translation.override("en"):
        errors = validate_value(standard.get("description_short"), "x" * 401)[1]
    assert errors[0].startswith("Short description:") and "400" in errors[0]
