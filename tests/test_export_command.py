"""The export command writes what the public downloads serve (the same writers and entries)."""

import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError
from openpyxl import load_workbook

from tests.conftest import call_command_in_english, make_entry
from tests.test_exports import download as view_download
from wagtail_algoregister.formats import downloads as exports
from wagtail_algoregister.models import AlgorithmPage


pytestmark = pytest.mark.usefixtures("english")


def download(register, fmt):
    """The body of the public download (the view itself, as tests/test_exports.py calls it)."""
    response, body = view_download(register, fmt)
    assert response.status_code == 200
    return body


def export(register, fmt, tmp_path, *, by="pk"):
    path = tmp_path / f"out.{fmt}"
    ref = str(register.pk) if by == "pk" else register.url
    call_command_in_english(
        "algoregister_export",
        "--register",
        ref,
        "--format",
        fmt,
        "--output",
        str(path),
        stderr=StringIO(),
    )
    return path.read_bytes()


def sheet_values(data):
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def filled(register):
    first = make_entry(register, slug="a", source_id="a")
    AlgorithmPage.objects.filter(pk=first.pk).update(lars="12345670")
    make_entry(register, slug="b", source_id="b", name="Tweede algoritme")
    make_entry(register, slug="c", source_id="c", publish=False)  # a draft: not exported
    return register


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_equals_the_public_download(filled, tmp_path, fmt):
    assert export(filled, fmt, tmp_path) == download(filled, fmt)


def test_xlsx_export_has_the_cells_of_the_public_download(filled, tmp_path):
    assert sheet_values(export(filled, "xlsx", tmp_path)) == sheet_values(download(filled, "xlsx"))


def test_register_by_url_path_and_contents(filled, tmp_path):
    records = json.loads(export(filled, "json", tmp_path, by="url"))
    assert [r["source_id"] for r in records] == ["a", "b"]
    assert records[0]["lars"] == "12345670" and records[1]["lars"] == ""
    assert list(records[0]) == exports.columns()


def test_stdout_and_errors(filled):
    out = StringIO()
    call_command_in_english(
        "algoregister_export", "--register", str(filled.pk), "--format", "csv", stdout=out
    )
    assert out.getvalue().startswith('\ufeff"id","lars","name"')
    with pytest.raises(CommandError, match="No algorithm register"):
        call_command_in_english("algoregister_export", "--register", "999999", "--format", "csv")
    with pytest.raises(CommandError):
        call_command_in_english(
            "algoregister_export", "--register", str(filled.pk), "--format", "pdf"
        )


def test_binary_stdout_gets_the_bytes_of_the_download(filled):
    """A real stdout (with a binary buffer) gets the file's bytes, XLSX included."""
    for fmt in ("csv", "xlsx"):
        raw = io.BytesIO()
        stdout = io.TextIOWrapper(raw, encoding="utf-8")
        call_command_in_english(
            "algoregister_export", "--register", str(filled.pk), "--format", fmt, stdout=stdout
        )
        stdout.flush()
        assert raw.getvalue() == download(filled, fmt) or (
            fmt == "xlsx" and sheet_values(raw.getvalue()) == sheet_values(download(filled, fmt))
        )
