"""Property-based tests of the import: random and malformed input never crashes it and
never yields unsafe values.

Thousands of generated records (every key of every version, random keys, wrong
types, HTML with scripts, styles, event handlers and ``javascript:`` links, malformed
dates and URLs) go through the whole mapping and validation (``build_candidate``);
random bytes go through every reader. A smaller run writes through the real import
into the database and checks what was stored. ``derandomize=True`` keeps CI stable.
"""

import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wagtail_algoregister import standard
from wagtail_algoregister.importing import ImportFailed, Options, run_import
from wagtail_algoregister.importing.candidates import build_candidate
from wagtail_algoregister.importing.readers import FORMATS, ReadError, Record, read_bytes
from wagtail_algoregister.models import AlgorithmPage
from wagtail_algoregister.standard import versions
from wagtail_algoregister.standard.validation import TAG_LIKE


pytestmark = pytest.mark.usefixtures("english")


INPUT = standard.input_fields()
URL_KEYS = [k for k, d in INPUT.items() if d.format in ("url", "email_or_url")]
NASTY = [
    "<script>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<p onclick="alert(1)">klik</p>',
    '<a href="javascript:alert(1)">link</a>',
    "<img src=x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=https://evil.example></iframe>",
    "javascript:alert(1)",
    "<p>Goed</p><ul><li>punt</li></ul>",
    "<div>regel<br/>regel</div>",
    "<<p>>",
    "</li></ul></p>",
    "<!-- commentaar -->",
    "<![CDATA[x]]>",
    "&lt;script&gt;",
    "2023/05",
    "2024-13",
    "2024-01",
    "https://example.org/a",
    "http://",
    "ftp://example.org",
    "mailto:a@b.example",
    "a@b.example",
    "In gebruik",
    "Verkeer",
    "nld",
    "NLD",
    "1.0",
    "0.4",
    "Ja",
    "12345670",
    "1: titel, https://x.example. 2: andere",
    '[{"title": "t", "link": "javascript:alert(1)"}]',
]

texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), texts)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["title", "link", "x"]), inner, max_size=3),
    ),
    max_leaves=8,
)
keys = st.one_of(st.sampled_from(sorted(versions.known_keys())), st.text(max_size=20))
records = st.dictionaries(keys, values, max_size=25)
eurocities_keys = st.sampled_from(
    sorted(
        {
            "domain",
            "status",
            "risk_category",
            "DPIA_url",
            "AIA_url",
            "AIA_description",
            "algorithm_type",
            "name",
            "lang",
            "revision_date",
            "objection_procedure",
            "department",
        }
    )
)
eurocities_rows = st.dictionaries(eurocities_keys, texts, max_size=12)

ALLOWED_TAG = re.compile(r"</?([a-z]+)>")


class FakeRegister:
    organisation_name = "Gemeente Noorderhaaks"
    default_contact_email = "algoritmes@noorderhaaks.example"


def assert_safe(national: dict, local: dict):
    for key, definition in INPUT.items():
        value = national.get(key)
        if definition.is_grouping:
            for row in value:
                for item in row.values():
                    assert not TAG_LIKE.search(item)
                # A web address, or text (as the national register accepts it; shown as
                # text), never a scheme a browser would run.
                link = row["link"].lower().lstrip()
                assert not link.startswith(("javascript:", "data:", "vbscript:")), row
        elif definition.is_multiple_choice:
            assert set(value) <= set(definition.permitted_values)
        elif definition.is_rich_text:
            assert "<script" not in value.lower() and "<style" not in value.lower()
            # Only the standard's tags, never with attributes.
            for tag in re.findall(r"<[^>]*>", value):
                match = ALLOWED_TAG.fullmatch(tag)
                assert match and match.group(1) in definition.allowed_html_tags, tag
        else:
            assert not TAG_LIKE.search(value), (key, value)
            if key in URL_KEYS and value:
                assert not value.lower().startswith("javascript:")
    procedure = local.get("objection_procedure", "")
    for tag in re.findall(r"<[^>]*>", procedure):
        assert ALLOWED_TAG.fullmatch(tag), tag


def check(candidate):
    # Errors are messages naming a key; a valid candidate is safe to store.
    assert all(isinstance(e.text, str) and e.text for e in candidate.errors)
    if not candidate.errors:
        assert_safe(candidate.national, candidate.local)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(records)
def test_random_national_records_never_crash_and_valid_ones_are_safe(record):
    check(build_candidate(Record("entry 1", record), FakeRegister(), Options()))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(eurocities_rows)
def test_random_eurocities_rows_never_crash(row):
    check(
        build_candidate(
            Record("row 2", row, "eurocities"),
            FakeRegister(),
            Options(publication_category="Overige algoritmes"),
        )
    )


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.binary(max_size=400), st.sampled_from(FORMATS))
def test_random_bytes_only_raise_read_errors(data, fmt):
    try:
        found = read_bytes(data, fmt)
    except ReadError as error:
        assert str(error)
    else:
        for record in found:
            check(build_candidate(record, FakeRegister(), Options()))


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(records, min_size=1, max_size=3))
def test_whatever_the_import_stores_is_safe(register, batch):
    from tests.conftest import full_entry

    # Half valid entries with nasty values mixed in, half anything.
    data = [{**full_entry(source_id=f"s{i}"), **record} for i, record in enumerate(batch)]
    sid = transaction.savepoint()
    try:
        try:
            run_import(
                None,
                register,
                Options(publish=True, skip_invalid=True),
                records=[Record(f"entry {i}", d) for i, d in enumerate(data, start=1)],
            )
        except ImportFailed as error:
            assert str(error)
        for page in AlgorithmPage.objects.child_of(register):
            national = {key: page.standard_value(key) for key in INPUT}
            national["name"] = page.title
            assert_safe(national, {"objection_procedure": page.objection_procedure})
    finally:
        transaction.savepoint_rollback(sid)
