"""Lossless round trip: import national JSON 1.0, export JSON/CSV/XLSX, same value for every key.

The entries are built from the standard's definitions: together they use every
input key, every value of every vocabulary (themes, status, publication category,
language, version), every recommended impact assessment, and the three link
groupings. "The same value" is after the standard's own normalisation
(``validation.validate_entry``: HTML restricted to the allowed tags); the spreadsheets
hold rich text as text (``exports.html_to_text``: tags stripped, whitespace collapsed).
"""

import io
import json
from io import StringIO

import pytest
from openpyxl import load_workbook

from tests.conftest import call_command_in_english
from wagtail_algoregister import standard
from wagtail_algoregister.formats import downloads as exports
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage
from wagtail_algoregister.standard.validation import is_lars, validate_entry


pytestmark = pytest.mark.usefixtures("english")


INPUT = standard.input_fields()
LARS = ["12345670", "23456785", "34567890", "45678905"]


def _vocabulary(key):
    return list(standard.get(key).permitted_values)


def _rich(number, key):
    # Allowed tags with messy whitespace, a disallowed tag and characters to escape.
    return (
        f"<p>  {key} van algoritme {number}: a &lt; b &amp; c,\n  “citaat”.</p>"
        f"<ul>\n <li>eerste <strong>punt</strong></li><li>tweede</li></ul>"
        f"<ol><li>stap</li></ol><div>regel<br>volgende regel</div>"
    )


def realistic_entries(count=4):
    """``count`` entries in the national format that together cover every value."""
    themes = _vocabulary("category")
    assessments = list(standard.get("impacttoetsen_grouping").items["title"].recommended_items)
    entries = []
    for n in range(count):
        entry = {}
        for key, definition in INPUT.items():
            if definition.is_grouping:
                titles = (
                    assessments[n::count]
                    if key == "impacttoetsen_grouping"
                    else [f"{definition.title_nl} {n}-{i}" for i in range(1 + n % 3)]
                )
                entry[key] = [
                    {"title": title, "link": f"https://example.org/{key}/{n}/{i}?q=a&b=c"}
                    for i, title in enumerate(titles)
                ]
            elif definition.is_multiple_choice:
                entry[key] = themes[n::count]
            elif definition.permitted_values:
                values = definition.permitted_values
                entry[key] = values[n % len(values)]
            elif definition.is_rich_text:
                entry[key] = _rich(n, key)
            elif definition.format == "year_month":
                entry[key] = f"20{20 + n}-0{1 + n}" if key == "begin_date" else f"20{25 + n}-12"
            elif definition.format in ("url", "email_or_url"):
                entry[key] = (
                    f"algoritmes{n}@noorderhaaks.example"
                    if key == "contact_email" and n % 2 == 0
                    else f"https://www.noorderhaaks.example/{key}/{n}"
                )
            elif key == "source_id":
                entry[key] = f"bron-{n}"
            elif key == "tags":
                entry[key] = f"zoekterm {n}, algoritme, gemeente"
            else:
                entry[key] = f"{definition.title_nl} {n} – “ok” & prijs < 3 euro"[
                    : definition.max_length or 100
                ]
        entry["name"] = f"Algoritme {n}: beslissingen & ‘signalen’"
        entry["lars"] = LARS[n]
        entries.append(entry)
    return entries


def test_the_entries_cover_every_key_and_value():
    entries = realistic_entries()
    for key, definition in INPUT.items():
        assert all(entry[key] for entry in entries), key
        values = set()
        for entry in entries:
            value = entry[key]
            values.update(
                value
                if definition.is_multiple_choice
                else [value]
                if isinstance(value, str)
                else []
            )
        if definition.permitted_values:
            assert values == set(definition.permitted_values), key
    assessed = {row["title"] for e in entries for row in e["impacttoetsen_grouping"]}
    recommended = standard.get("impacttoetsen_grouping").items["title"].recommended_items
    assert assessed == set(recommended)
    for entry in entries:
        assert validate_entry(entry)[1] == {}
        assert is_lars(entry["lars"])


def expected(entry):
    return validate_entry(entry)[0]


def import_file(path, register, *args):
    out = StringIO()
    call_command_in_english(
        "algoregister_import",
        str(path),
        "--register",
        str(register.pk),
        "--publish",
        *args,
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def export_file(register, fmt, tmp_path, name=None):
    path = tmp_path / (name or f"export.{fmt}")
    call_command_in_english(
        "algoregister_export",
        "--register",
        str(register.pk),
        "--format",
        fmt,
        "--output",
        str(path),
        stderr=StringIO(),
    )
    return path


def spreadsheet_rows(path, fmt):
    if fmt == "csv":
        return exports.read_csv(path.read_bytes())
    sheet = load_workbook(io.BytesIO(path.read_bytes()), read_only=True).worksheets[0]
    header, *rows = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    return [dict(zip(header, row, strict=True)) for row in rows]


def as_cell(key, value):
    """What a spreadsheet holds for a normalised national value."""
    return exports.cell_value(key, value)


@pytest.fixture
def imported(register, tmp_path):
    entries = realistic_entries()
    path = tmp_path / "national.json"
    path.write_text(json.dumps(entries, ensure_ascii=False), "utf-8")
    assert "created: 4" in import_file(path, register)
    return register, entries


def test_json_round_trip_keeps_every_key(imported, tmp_path):
    register, entries = imported
    records = json.loads(export_file(register, "json", tmp_path).read_text("utf-8"))
    assert len(records) == len(entries)
    for entry, record in zip(entries, records, strict=True):
        want = expected(entry)
        for key in INPUT:
            assert record[key] == want[key], key
        assert record["lars"] == entry["lars"]
        # The normalisation did something: the disallowed tag is gone, the text kept.
        assert "<strong>" not in record["goal"] and "punt" in record["goal"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreadsheet_round_trip_keeps_every_key(imported, tmp_path, fmt):
    register, entries = imported
    rows = spreadsheet_rows(export_file(register, fmt, tmp_path), fmt)
    for entry, row in zip(entries, rows, strict=True):
        want = expected(entry)
        for key in INPUT:
            assert row[key] == as_cell(key, want[key]), key
            if not INPUT[key].is_rich_text:
                assert exports.value_from_cell(key, row[key]) == want[key], key
        assert row["lars"] == entry["lars"]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_exports_import_again_unchanged_and_into_another_register(imported, home, tmp_path, fmt):
    register, entries = imported
    path = export_file(register, fmt, tmp_path)
    # Into the same register: every entry is matched (source_id, lars) and unchanged.
    if fmt == "json":
        assert "updated: 0, unchanged: 4" in import_file(path, register, "--update")
    # Into another register: the same values (rich text as text from spreadsheets).
    other = AlgorithmRegisterPage(title="Ander register", slug="ander", organisation_name="X")
    home.add_child(instance=other)
    other.save_revision().publish()
    assert "created: 4" in import_file(path, other)
    again = json.loads(export_file(other, "json", tmp_path, "again.json").read_text("utf-8"))
    for entry, record in zip(entries, again, strict=True):
        want = expected(entry)
        for key in INPUT:
            if fmt != "json" and INPUT[key].is_rich_text:
                assert exports.html_to_text(record[key]) == exports.html_to_text(want[key]), key
            else:
                assert record[key] == want[key], key
        assert record["lars"] == entry["lars"]
    assert AlgorithmPage.objects.child_of(other).live().count() == 4


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_updating_from_a_spreadsheet_keeps_the_formatting_of_unchanged_text(
    imported, tmp_path, fmt
):
    register, entries = imported
    path = export_file(register, fmt, tmp_path)
    assert "updated: 0, unchanged: 4" in import_file(path, register, "--update")
    page = AlgorithmPage.objects.child_of(register).get(lars=entries[0]["lars"])
    assert page.goal == expected(entries[0])["goal"]  # still HTML
