"""Downloads of a register and of one entry: CSV, XLSX and JSON (issue 4, items 3 and 9).

The JSON is checked against the national upload API's ``AlgorithmIn`` schema, kept in
``tests/data/aanleverapi_v1_0_AlgorithmIn.json`` (EUPL-1.2, from MinBZK/amt; see the
``$comment`` in that file for its source and how its non-standard keywords are read).
"""

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.http import Http404, HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction

from wagtail_algoregister import standard
from wagtail_algoregister.formats import downloads as exports
from wagtail_algoregister.formats.csv_safety import unescape_cell
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage, LawfulBasisLink
from wagtail_algoregister.standard.validation import strip_html
from wagtail_algoregister.views.exports import entry_export, register_export

from .conftest import full_entry, make_entry


SCHEMA = Path(__file__).parent / "data" / "aanleverapi_v1_0_AlgorithmIn.json"
FORMATS = ["csv", "xlsx", "json"]
INPUT_KEYS = list(standard.input_fields())
RICH_TEXT_KEYS = [k for k, d in standard.input_fields().items() if d.is_rich_text]
GROUPING_KEYS = [d.key for d in standard.grouping_fields()]


# -- helpers ---------------------------------------------------------------------


def make_request(path="/", method="get", **headers):
    headers.setdefault("HTTP_HOST", "testserver")
    request = getattr(RequestFactory(), method)(path, **headers)
    request.user = AnonymousUser()
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    return request


def body_of(response):
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
        # Close it (removing the XLSX temporary file) as a server would, but without
        # request_finished closing the test's database connection (as the test client).
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
        return content
    return response.content


def download(page, fmt, request=None):
    """(response, body) of the download view of a register or an entry."""
    view = register_export if isinstance(page, AlgorithmRegisterPage) else entry_export
    response = view(request or make_request(f"{page.url}export.{fmt}"), page, fmt)
    return response, body_of(response)


def csv_table(body):
    assert body.startswith(exports.BOM)
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def xlsx_table(body):
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    assert len(workbook.worksheets) == 1
    sheet = workbook.worksheets[0]
    header, *rows = [
        ["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def table(page, fmt):
    """(keys, records) of a download in any format; one record per entry."""
    response, body = download(page, fmt)
    assert response.status_code == 200
    if fmt == "csv":
        return csv_table(body)
    if fmt == "xlsx":
        return xlsx_table(body)
    data = json.loads(body)
    if isinstance(data, dict):
        data = [data]
    return (list(data[0]) if data else exports.columns()), data


def all_text(records):
    return json.dumps(records, ensure_ascii=False)


def algorithm_in_validator():
    """A validator for ``AlgorithmIn`` as the national API reads it.

    FastAPI put ``"type": "enum"`` next to ``$ref`` (read here as a string; the
    ``$ref`` checks the vocabulary) and ``max_length_without_html`` (checked after
    stripping HTML, as the national register counts).
    """
    base = jsonschema.Draft202012Validator

    def max_length_without_html(validator, limit, instance, schema):
        if isinstance(instance, str) and len(strip_html(instance)) > limit:
            yield jsonschema.ValidationError(
                f"{instance[:40]!r}… has more than {limit} characters without HTML"
            )

    cls = jsonschema.validators.extend(
        base,
        validators={"max_length_without_html": max_length_without_html},
        type_checker=base.TYPE_CHECKER.redefine(
            "enum", lambda checker, instance: isinstance(instance, str)
        ),
    )
    return cls(json.loads(SCHEMA.read_text("utf-8")))


def restrict(page, kind="password"):
    if kind == "password":
        return PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
        )
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


@pytest.fixture
def private_register(home):
    page = AlgorithmRegisterPage(
        title="Intern register",
        slug="intern-register",
        organisation_name="Gemeente Utrecht",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    restrict(page)
    return page


# -- columns and rows --------------------------------------------------------------


def test_columns_are_id_the_standards_input_keys_in_order_and_extras():
    # ``lars`` (the national id) right after our own id, so that an export imports again.
    assert exports.columns() == ["id", "lars", *INPUT_KEYS, "publication_dt", "public_url"]
    assert "algorithm_id" not in exports.columns()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_has_every_input_key(register, fmt):
    entry = make_entry(register)
    keys, records = table(register, fmt)
    assert keys == exports.columns()
    assert len(records) == 1
    record = records[0]
    assert record["id"] == str(entry.translation_key)
    assert record["public_url"] == "http://testserver/algoritmeregister/utrecht-schulden-1/"
    assert record["name"] == "Vroegsignalering van schulden"
    assert record["source_id"] == "utrecht-schulden-1"
    assert record["publication_dt"].startswith(str(entry.last_published_at.year))
    # url (link to the source registration) defaults to the public page.
    assert record["url"] == record["public_url"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_row_per_published_public_entry_and_nothing_else(register, private_register, fmt):
    make_entry(register, slug="a", source_id="a", name="Gepubliceerd A")
    make_entry(register, slug="b", source_id="b", name="Gepubliceerd B")
    make_entry(register, publish=False, slug="concept", source_id="concept", name="Geheim concept")
    # Unpublished changes: the published row stays, the draft lives in a revision.
    changed = make_entry(register, slug="c", source_id="c", name="Gepubliceerd C")
    changed.title = "Ongepubliceerde wijziging"
    changed.goal = "<p>Ongepubliceerd doel</p>"
    changed.lawful_basis_grouping = [
        LawfulBasisLink(title="Ongepubliceerde wet", link="https://example.org/wet")
    ]
    changed.save_revision()
    withdrawn = make_entry(register, slug="d", source_id="d", name="Ingetrokken algoritme")
    withdrawn.unpublish()
    hidden = make_entry(register, slug="e", source_id="e", name="Afgeschermd algoritme")
    restrict(hidden, "login")
    make_entry(private_register, slug="p", source_id="p", name="Algoritme in privé register")

    _keys, records = table(register, fmt)
    assert sorted(r["name"] for r in records) == [
        "Gepubliceerd A",
        "Gepubliceerd B",
        "Gepubliceerd C",
    ]
    text = all_text(records)
    for secret in (
        "Geheim concept",
        "Ongepubliceerde wijziging",
        "Ongepubliceerd doel",
        "Ongepubliceerde wet",
        "Ingetrokken",
        "Afgeschermd",
        "privé register",
    ):
        assert secret not in text
    published_c = next(r for r in records if r["name"] == "Gepubliceerd C")
    assert "Wet gemeentelijke schuldhulpverlening" in json.dumps(
        published_c["lawful_basis_grouping"], ensure_ascii=False
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_private_register_has_no_downloads(private_register, fmt):
    make_entry(private_register, slug="p", source_id="p", name="Algoritme in privé register")
    with pytest.raises(Http404):
        download(private_register, fmt)


@pytest.mark.parametrize("kind", ["password", "login"])
def test_wagtail_checks_view_restrictions_before_the_download_routes(client, register, home, kind):
    private = AlgorithmRegisterPage(title="Besloten", slug="besloten", organisation_name="X")
    home.add_child(instance=private)
    private.save_revision().publish()
    restriction = restrict(private, kind)
    entry = make_entry(private, slug="p", source_id="p", name="Besloten algoritme")
    urls = [private.url + f"export.{fmt}" for fmt in FORMATS] + [
        entry.url + f"export.{fmt}" for fmt in FORMATS
    ]
    for url in urls:
        response = client.get(url)
        if kind == "password":
            assert response.status_code == 200
            assert response["Content-Type"].startswith("text/html")
            assert "password" in response.content.decode().lower()
        else:
            assert response.status_code == 302
        assert b"Besloten algoritme" not in response.content
    # Even a visitor who passed the restriction gets no download: it is open data.
    if kind == "password":
        response = client.post(
            reverse("wagtailcore_authenticate_with_password", args=[restriction.id, private.id]),
            {"password": "geheim", "return_url": private.url},
        )
        assert response.status_code == 302
        assert client.get(private.url).status_code == 200  # the page itself now shows
        for url in urls:
            assert client.get(url).status_code == 404
    # The public register is unaffected.
    make_entry(register, slug="open", source_id="open", name="Open algoritme")
    response = client.get(register.url + "export.csv")
    assert response.status_code == 200
    assert "Open algoritme" in response.getvalue().decode("utf-8-sig")


# -- CSV ---------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_every_field_quoted_one_line_per_entry(register):
    make_entry(
        register,
        slug="a",
        source_id="a",
        name="Één algoritme, met “aanhalingstekens”",
        provider="Leverancier BV\nAfdeling Data\r\nTeam 2",
        goal="<p>Eerste regel</p>\n<p>Tweede<br>regel</p>\n<ul>\n<li>punt</li>\n</ul>",
        tags="een,\ntwee",
    )
    make_entry(register, slug="b", source_id="b", name='Algoritme "B"')
    response, body = download(register, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="algoritmeregister.csv"'
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    assert len(lines) == 3  # header and two entries: no line breaks inside fields
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")
    for line in lines:
        # Re-quoting every parsed field gives back the line: every field was quoted.
        (fields,) = list(csv.reader([line]))
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="").writerow(fields)
        assert out.getvalue() == line
    _header, rows = csv_table(body)
    first = next(r for r in rows if r["source_id"] == "a")
    assert first["name"] == "Één algoritme, met “aanhalingstekens”"
    assert first["provider"] == "Leverancier BV Afdeling Data Team 2"
    assert first["goal"] == "Eerste regel Tweede regel punt"
    assert first["tags"] == "een, twee"


def test_csv_line_is_what_the_csv_module_writes_with_quote_all():
    rows = [
        ["", "a", 'zeg "hallo"', "a,b", "x\r\ny", "één; twee | drie", '""', "tab\there"],
        exports.columns(),
    ]
    for row in rows:
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerow(row)
        assert exports.csv_line(row) == out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreadsheets_strip_html_and_json_keeps_the_standards_html(register, fmt):
    entry = make_entry(register)
    _keys, records = table(register, fmt)
    row = records[0]
    for key in RICH_TEXT_KEYS:
        assert "<" not in row[key] and ">" not in row[key], key
        assert row[key] == " ".join(strip_html(entry.standard_value(key)).split())
    assert row["proportionality"] == "De voordelen wegen op tegen de nadelen. snel eerlijk"
    _keys, (record,) = table(register, "json")
    for key in RICH_TEXT_KEYS:
        assert record[key] == entry.standard_value(key)
    assert record["proportionality"] == full_entry()["proportionality"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_themes_and_link_groupings_round_trip(register, fmt):
    awkward = [
        {"title": 'Wet "A", artikel 3 | lid 2; sub b', "link": "https://wetten.example/a?x=1,2"},
        {"title": "Verordening [2024] {x}: 1. 2.", "link": "https://wetten.example/b"},
    ]
    entry = make_entry(register, lawful_basis_grouping=awkward, category=["Werk", "Verkeer"])
    _keys, (row,) = table(register, fmt)
    back = exports.record_from_row(row)
    for key in [*GROUPING_KEYS, "category"]:
        assert back[key] == entry.standard_value(key), key
    assert back["lawful_basis_grouping"] == awkward
    assert row["category"] == "Verkeer, Werk"  # the standard's order, as stored
    # Every value of the vocabulary survives the ", " join.
    for value in standard.get("category").permitted_values:
        assert exports.LIST_SEPARATOR not in value
    # Plain keys come back as they are.
    for key in ("name", "status", "begin_date", "contact_email", "source_id", "lang"):
        assert back[key] == entry.standard_value(key)


def test_empty_groupings_are_empty_cells(register):
    make_entry(register, lawful_basis_grouping=[], source_data_grouping=[], category=[])
    _keys, (row,) = table(register, "csv")
    assert row["lawful_basis_grouping"] == row["source_data_grouping"] == row["category"] == ""
    back = exports.record_from_row(row)
    assert back["lawful_basis_grouping"] == back["source_data_grouping"] == back["category"] == []


def test_fast_html_to_text_equals_strip_html():
    samples = [
        full_entry()["proportionality"],
        "<p>Eén &amp; twee &lt;drie&gt; &quot;vier&quot;</p>\n<ul>\n<li>a</li><li>b<br>c</li></ul>",
        "<div><p>  veel   witruimte\n\n hier </p></div><ol><li>x</li></ol>",
        "<p>a &lt; b en c > d</p>",
        # Not the standard's bare tags: falls back to the parser.
        '<p class="x">attribuut</p><!-- opmerking --><b>vet</b>',
        "a < b zonder tags",
        "",
    ]
    for value in samples:
        assert exports.html_to_text(value) == " ".join(strip_html(value).split()), value


def test_public_urls_are_wagtails_also_for_unicode_slugs(register):
    pages = [
        make_entry(register, slug="ijsbaan-één", source_id="u1"),
        make_entry(register, slug="gewoon", source_id="u2"),
        make_entry(register, slug="straße-2", source_id="u3"),
    ]
    _keys, records = table(register, "json")
    by_id = {r["id"]: r for r in records}
    for page in pages:
        assert by_id[str(page.translation_key)]["public_url"] == page.get_full_url()
    assert "%C3%A9%C3%A9n" in by_id[str(pages[0].translation_key)]["public_url"]


# -- XLSX --------------------------------------------------------------------------


def test_xlsx_one_sheet_same_columns_text_cells(register):
    page = make_entry(register, provider='=HYPERLINK("https://evil.example")', name="Algoritme X")
    # save() removes control characters (models.cleaning); a row written past it may
    # still hold one, and the XLSX writer must cope.
    AlgorithmPage.objects.filter(pk=page.pk).update(tags="controle\x01teken")
    response, body = download(register, "xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="algoritmeregister.xlsx"'
    assert body[:2] == b"PK"
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == exports.columns()
    assert sheet["A1"].font.b
    provider = sheet.cell(row=2, column=exports.columns().index("provider") + 1)
    assert provider.data_type == "s"
    assert provider.value == '=HYPERLINK("https://evil.example")'
    tags = sheet.cell(row=2, column=exports.columns().index("tags") + 1)
    assert tags.value == "controle teken"  # XML cannot hold control characters
    _header, rows = xlsx_table(body)
    csv_rows = csv_table(download(register, "csv")[1])[1]
    assert csv_rows[0]["tags"] == "controle\x01teken"
    csv_rows[0]["tags"] = "controle teken"
    # The CSV's formula cell is made spreadsheet-safe (see test_csv_safety.py).
    assert csv_rows[0]["provider"] == "'" + '=HYPERLINK("https://evil.example")'
    csv_rows[0]["provider"] = unescape_cell(csv_rows[0]["provider"])
    assert rows == csv_rows


# -- JSON --------------------------------------------------------------------------


def test_json_is_a_list_in_the_national_format_valid_for_algorithm_in(register):
    make_entry(register)
    make_entry(
        register,
        slug="minimaal",
        source_id="",
        name="Minimaal algoritme",
        category=[],
        begin_date="",
        website="",
        goal="",
        lawful_basis_grouping=[],
        impacttoetsen_grouping=[],
        source_data_grouping=[],
        publiccode="",
        tags="",
    )
    response, body = download(register, "json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="algoritmeregister.json"'
    records = json.loads(body)
    assert isinstance(records, list) and len(records) == 2
    validator = algorithm_in_validator()
    for record in records:
        assert list(record)[2 : 2 + len(INPUT_KEYS)] == INPUT_KEYS
        errors = [e.message for e in validator.iter_errors(record)]
        assert errors == [], errors
        assert record["standard_version"] == standard.VERSION


def test_the_schema_check_catches_what_the_national_api_refuses(register):
    validator = algorithm_in_validator()
    good = full_entry()
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "status": "Onbekend"})
    assert not validator.is_valid({**good, "category": ["Astrologie"]})
    assert not validator.is_valid({**good, "name": "x" * 101})
    assert validator.is_valid({**good, "goal": "<p>" + "x" * 2500 + "</p>"})
    assert not validator.is_valid({**good, "goal": "<p>" + "x" * 2501 + "</p>"})
    assert not validator.is_valid({**good, "lawful_basis_grouping": [{"title": "zonder link"}]})
    missing = dict(good)
    del missing["contact_email"]
    assert not validator.is_valid(missing)


def test_demo_content_downloads_validate_against_algorithm_in(db):
    from home.management.commands.load_demo_content import load_data

    call_command("load_demo_content")
    register = AlgorithmRegisterPage.objects.get(locale__language_code="nl")
    data = load_data()
    published = [e["name"] for e in data["entries"] if e.get("live", True)]
    drafts = [e["name"] for e in data["entries"] if not e.get("live", True)]
    request = make_request(f"{register.url}export.json", HTTP_HOST="localhost")
    response = register_export(request, register, "json")
    records = json.loads(body_of(response))
    assert sorted(r["name"] for r in records) == sorted(published)
    validator = algorithm_in_validator()
    for record in records:
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(record)]
        assert errors == [], (record["name"], errors)
        assert record["public_url"].startswith("http://localhost/")
    text = body_of(register_export(make_request(HTTP_HOST="localhost"), register, "csv"))
    for name in drafts:
        assert name not in json.dumps(records, ensure_ascii=False)
        assert name not in text.decode("utf-8-sig")


# -- one entry ---------------------------------------------------------------------


def test_entry_export_in_every_format(register):
    entry = make_entry(register)
    make_entry(register, slug="ander", source_id="ander", name="Ander algoritme")
    response, body = download(entry, "json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="utrecht-schulden-1.json"'
    record = json.loads(body)
    assert isinstance(record, dict)
    assert record["name"] == "Vroegsignalering van schulden"
    assert algorithm_in_validator().is_valid(record)
    _keys, rows = table(entry, "csv")
    assert [r["name"] for r in rows] == ["Vroegsignalering van schulden"]
    _keys, rows = table(entry, "xlsx")
    assert [r["name"] for r in rows] == ["Vroegsignalering van schulden"]


def test_entry_export_reads_the_published_row_not_the_object_given(register):
    entry = make_entry(register)
    entry.title = "Concepttitel"
    entry.save_revision()
    draft = entry.get_latest_revision_as_object()
    assert draft.title == "Concepttitel"
    response, body = download(draft, "json")
    assert json.loads(body)["name"] == "Vroegsignalering van schulden"


@pytest.mark.parametrize("fmt", FORMATS)
def test_entry_export_404s_for_anything_not_published_and_public(register, private_register, fmt):
    draft = make_entry(register, publish=False, slug="concept", source_id="concept")
    withdrawn = make_entry(register, slug="weg", source_id="weg")
    withdrawn.unpublish()
    hidden = make_entry(register, slug="verborgen", source_id="verborgen")
    restrict(hidden, "login")
    in_private = make_entry(private_register, slug="p", source_id="p")
    for page in (draft, withdrawn, hidden, in_private):
        with pytest.raises(Http404):
            download(page, fmt)


@pytest.mark.parametrize("fmt", ["pdf", "xml", "CSV", "csv.gz", ""])
def test_unknown_formats_404(register, entry, fmt):
    with pytest.raises(Http404):
        download(register, fmt)
    with pytest.raises(Http404):
        download(entry, fmt)


# -- HTTP behaviour ----------------------------------------------------------------


def test_caching_headers_and_conditional_requests(register):
    first = make_entry(register, slug="a", source_id="a")
    response, _body = download(register, "csv")
    etag = response["ETag"]
    assert response["Last-Modified"]
    assert "no-cache" in response["Cache-Control"] and "public" in response["Cache-Control"]
    again = register_export(make_request(HTTP_IF_NONE_MATCH=etag), register, "csv")
    assert again.status_code == 304
    assert again["ETag"] == etag
    # Each format has its own tag.
    assert download(register, "json")[0]["ETag"] != etag
    # Publishing, unpublishing and restricting change the tag.
    second = make_entry(register, slug="b", source_id="b")
    after_publish = download(register, "csv")[0]["ETag"]
    assert after_publish != etag
    second.unpublish()
    # Back to the same entries, so back to the same content and tag.
    assert download(register, "csv")[0]["ETag"] == etag
    restrict(first, "login")
    assert download(register, "csv")[0]["ETag"] not in (etag, after_publish)


def test_head_and_other_methods(register, entry):
    response = register_export(make_request(method="head"), register, "xlsx")
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="algoritmeregister.xlsx"'
    response = register_export(make_request(method="post"), register, "csv")
    assert response.status_code == 405


def test_queries_per_download_do_not_grow_with_entries(register):
    def count(page, fmt):
        download(page, fmt)  # warm caches (site root paths) first
        with CaptureQueriesContext(connection) as queries:
            _response, body = download(page, fmt)
        assert body
        return len(queries.captured_queries)

    for number in range(5):
        make_entry(register, slug=f"e{number}", source_id=f"e{number}")
    small = {fmt: count(register, fmt) for fmt in FORMATS}
    for number in range(5, 50):
        make_entry(register, slug=f"e{number}", source_id=f"e{number}")
    assert len(table(register, "csv")[1]) == 50
    large = {fmt: count(register, fmt) for fmt in FORMATS}
    assert large == small
    assert max(large.values()) <= 10


def test_writers_read_querysets_in_chunks_with_groupings_prefetched(register):
    for number in range(7):
        make_entry(register, slug=f"e{number}", source_id=f"e{number}")
    entries = AlgorithmPage.objects.child_of(register).live().public().order_by("path")
    with CaptureQueriesContext(connection) as queries:
        rows = list(exports.csv_rows(entries, chunk_size=3))
    assert len(rows) == 8
    # Three chunks: one entry query, and per chunk three grouping queries (plus
    # the site lookup for URLs, and with locales the translations of the site's root).
    grouping_queries = [q for q in queries.captured_queries if "link" in q["sql"].lower()]
    assert len(grouping_queries) <= 9
    assert len(queries.captured_queries) <= 1 + 9 + 2
    # The writers also take plain lists of pages.
    pages = list(entries)
    assert list(exports.csv_rows(pages))[1:] == rows[1:]


# -- through Wagtail's URLs ----------------------------------------------------------


def test_downloads_are_served_at_their_urls(client, register):
    entry = make_entry(register)
    make_entry(register, publish=False, slug="concept", source_id="concept", name="Concept")
    for page, name in ((register, "algoritmeregister"), (entry, "utrecht-schulden-1")):
        for fmt in FORMATS:
            response = client.get(f"{page.url}export.{fmt}")
            assert response.status_code == 200, (page, fmt)
            assert response["Content-Type"] == exports.CONTENT_TYPES[fmt]
            assert response["Content-Disposition"] == f'attachment; filename="{name}.{fmt}"'
            body = response.getvalue()
            assert b"Concept" not in body
    records = json.loads(client.get(register.url + "export.json").getvalue())
    assert [r["name"] for r in records] == ["Vroegsignalering van schulden"]
    # Conditional requests through the whole stack.
    etag = client.get(register.url + "export.csv")["ETag"]
    assert client.get(register.url + "export.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_urls_of_drafts_and_unknown_formats_404(client, register):
    draft = make_entry(register, publish=False, slug="concept", source_id="concept")
    assert client.get(f"{register.url}concept/export.json").status_code == 404
    assert client.get(f"{draft.url or register.url + 'concept/'}export.csv").status_code == 404
    for url in ("export.pdf", "export.csv/", "export.", "export.JSON"):
        assert client.get(register.url + url).status_code == 404, url


# -- template ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_downloads_block_links_every_format_accessibly(register, language):
    template = Template('{% include "wagtail_algoregister/includes/downloads.html" %}')
    with translation.override(language):
        html = template.render(Context({"page": register}))
    assert 'aria-labelledby="ar-downloads-heading"' in html
    assert '<h2 id="ar-downloads-heading">' in html
    for fmt in FORMATS:
        assert f'href="/algoritmeregister/export.{fmt}"' in html
        assert f'aria-describedby="ar-download-{fmt}"' in html
        assert f'id="ar-download-{fmt}"' in html
    if language == "en":
        assert "Download this register" in html
        assert "Excel (XLSX)" in html
    else:
        assert "Download this register" not in html  # translated
        assert "Excel (XLSX)" in html
    # The block can also be given the register explicitly.
    html = template.render(Context({"register": register, "page": None}))
    assert 'href="/algoritmeregister/export.json"' in html


def test_downloads_block_links_work(client, register):
    make_entry(register)
    html = Template('{% include "wagtail_algoregister/includes/downloads.html" %}').render(
        Context({"page": register})
    )
    links = re.findall(r'href="([^"]+)"', html)
    # Three downloads, the feed, and the catalogue in its three serialisations.
    assert len(links) == 7
    for link in links:
        assert client.get(link).status_code == 200, link
