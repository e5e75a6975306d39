"""Bounded imports: bombs are refused quickly and with little memory; encodings; file names.

The bombs are read in a child process (the import's own reader, with Django set up as
in the tests), which reports how long the refusal took and how much memory it used at
most (its peak resident memory, VmHWM); a CPU limit ends a runaway child. Without the limits the XLSX
declaring ``A1:XFD1048576`` ran out of memory at 4 GB after 36 s and the deflate bomb
was still running at 180 s with 1.4 GB resident.
"""

import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.test import override_settings
from openpyxl import Workbook

from tests.conftest import call_command_in_english, full_entry
from wagtail_algoregister.importing import ImportFailed, Options, run_import
from wagtail_algoregister.importing.readers import ReadError, read_bytes


pytestmark = pytest.mark.usefixtures("english")

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 20  # a refusal takes well under a second; the child may wait for the CPU
MEGABYTES = 400  # the child's peak resident memory (Django and the app loaded: ~100 MB)


def own_xlsx(rows=(("name", "organization"), ("Algoritme", "Gemeente X"))) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item))
    return out.getvalue()


def declared_huge_xlsx() -> bytes:
    """A few kB of XLSX whose sheet declares A1:XFD1048576 (16,384 × 1,048,576 cells)."""
    data = own_xlsx()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    start = sheet.index(b'<dimension ref="')
    end = sheet.index(b'"', start + len(b'<dimension ref="'))
    sheet = sheet[:start] + b'<dimension ref="A1:XFD1048576' + sheet[end:]
    return replace_part(data, "xl/worksheets/sheet1.xml", sheet)


def deflate_bomb(path: Path, megabytes: int = 400) -> None:
    """An XLSX whose shared strings unpack to ``megabytes`` MB (a few hundred kB on disk)."""
    data = own_xlsx()
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        with target.open("xl/sharedStrings2.xml", "w") as part:
            chunk = b"<si><t>" + b"A" * (1024 * 1024 - 16) + b"</t></si>"
            for _ in range(megabytes):
                part.write(chunk)


def lying_bomb(path: Path, megabytes: int = 300) -> None:
    """An XLSX whose sheet unpacks to ``megabytes`` MB but whose zip headers say 2 kB."""
    data = own_xlsx()
    source = zipfile.ZipFile(io.BytesIO(data))
    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != name.decode():
                target.writestr(item, source.read(item))
        with target.open(name.decode(), "w") as part:
            part.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
            for _ in range(megabytes * 1024 * 1024 // len(row)):
                part.write(row)
    raw = bytearray(path.read_bytes())
    # The uncompressed size in the part's local header (at 22; its name's length at 26,
    # the name at 30) and in its central directory entry (at 24; 28; 46).
    for signature, size_at, length_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        position = raw.find(signature)
        while position >= 0:
            length = int.from_bytes(raw[position + length_at : position + length_at + 2], "little")
            if bytes(raw[position + name_at : position + name_at + length]) == name:
                raw[position + size_at : position + size_at + 4] = (2048).to_bytes(4, "little")
            position = raw.find(signature, position + 4)
    path.write_bytes(bytes(raw))


def many_rows_xlsx(path: Path, rows: int) -> None:
    """A valid sheet of ``rows`` rows that declares no size (streamed XML, no dimension)."""
    data = own_xlsx()
    body = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(1, rows + 1)
    )
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    start, end = sheet.index(b"<sheetData"), sheet.index(b"</sheetData>") + len(b"</sheetData>")
    sheet = sheet[:start] + b"<sheetData>" + body + b"</sheetData>" + sheet[end:]
    sheet = sheet.replace(b'<dimension ref="A1:B2"/>', b"")
    path.write_bytes(replace_part(data, "xl/worksheets/sheet1.xml", sheet))


CHILD = textwrap.dedent(
    """
    import json, os, resource, sys, time
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
    import django
    django.setup()
    from django.utils import translation
    translation.activate("en")
    from wagtail_algoregister.importing.readers import ReadError, read
    # The peak from here on: Linux keeps the parent's high-water mark across fork and exec
    # (ru_maxrss would report pytest's size); "5" resets it (VmHWM in /proc/self/status).
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    def high_water_kb():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    before = high_water_kb()
    started = time.perf_counter()
    try:
        read(sys.argv[1])
        message = ""
    except ReadError as error:
        message = str(error)
    seconds = time.perf_counter() - started
    peak = high_water_kb()
    print(json.dumps({"message": message, "seconds": seconds, "peak_mb": peak / 1024,
                      "grown_mb": (peak - before) / 1024}))
    """
)


def read_in_child(path: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example_site")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_refused_quickly(report, *words):
    assert report["message"], report
    for word in words:
        assert word in report["message"], report
    assert report["seconds"] < SECONDS, report
    assert report["peak_mb"] < MEGABYTES, report


def test_a_sheet_declaring_a_million_rows_is_refused(tmp_path):
    path = tmp_path / "groot.xlsx"
    path.write_bytes(declared_huge_xlsx())
    assert path.stat().st_size < 10_000
    assert_refused_quickly(read_in_child(path), "A1:XFD1048576", "IMPORT_MAX_CELLS", "1048576 rows")


def test_a_deflate_bomb_is_refused(tmp_path):
    path = tmp_path / "bom.xlsx"
    deflate_bomb(path)
    assert path.stat().st_size < 5_000_000
    assert_refused_quickly(read_in_child(path), "unpacks to 400", "IMPORT_MAX_UNCOMPRESSED_SIZE")


def test_a_bomb_that_lies_about_its_size_is_refused(tmp_path):
    """Python's zip reader never unpacks more than a part declares; the rest fails its CRC."""
    path = tmp_path / "leugen.xlsx"
    lying_bomb(path)
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size == 2048
    assert_refused_quickly(read_in_child(path), "not a valid XLSX file")


def test_deeply_nested_json_is_refused(tmp_path):
    path = tmp_path / "diep.json"
    path.write_text("[" * 200_000 + "]" * 200_000, "utf-8")
    assert_refused_quickly(read_in_child(path), "nested more than 20 levels")
    # Within the recursion limit but deeper than the setting: refused too.
    with pytest.raises(ReadError, match="nested more than 20 levels"):
        read_bytes(b"[" * 50 + b"]" * 50, name="diep.json")


def test_rows_beyond_the_limit_are_refused_while_reading(tmp_path):
    path = tmp_path / "rijen.xlsx"
    many_rows_xlsx(path, 25_000)
    assert_refused_quickly(read_in_child(path), "more than 20000 entries", "IMPORT_MAX_ENTRIES")
    with override_settings(WAGTAIL_ALGOREGISTER={"IMPORT_MAX_ENTRIES": 2}):
        csv_text = b"name\na\nb\nc\n"
        with pytest.raises(ReadError, match="more than 2 entries"):
            read_bytes(csv_text, name="rijen.csv")
        with pytest.raises(ReadError, match="more than 2 entries"):
            read_bytes(json.dumps([{}, {}, {}]).encode(), name="rijen.json")
        assert len(read_bytes(b"name\na\nb\n", name="rijen.csv")) == 2


def test_the_file_size_limit(tmp_path, register):
    path = tmp_path / "groot.json"
    path.write_text(json.dumps([full_entry()] * 5), "utf-8")
    with override_settings(WAGTAIL_ALGOREGISTER={"IMPORT_MAX_FILE_SIZE": 1024}):
        with pytest.raises(ImportFailed, match=r"^groot.json: the file is .* MB; the limit is 0"):
            run_import(path, register, Options())


# -- encodings ------------------------------------------------------------------------

CSV_TEXT = "name;organization;status\nCoördinatie één;Gemeente Ålesund;In gebruik\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (CSV_TEXT.encode("utf-8"), ""),
        (b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"), ""),
        (CSV_TEXT.encode("utf-16"), "UTF-16"),  # with byte order mark
        (CSV_TEXT.encode("utf-16-le"), "UTF-16"),  # without
        (CSV_TEXT.encode("utf-16-be"), "UTF-16"),
        (CSV_TEXT.encode("cp1252"), "Windows-1252"),
    ],
)
def test_encodings_are_recognised(data, message):
    records = read_bytes(data, name="bestand.csv")
    assert records[0].data["name"] == "Coördinatie één"
    assert records[0].data["organization"] == "Gemeente Ålesund"
    assert " ".join(records.messages) == "" if not message else message in records.messages[0]


def test_json_in_utf16_is_read():
    data = json.dumps([{"name": "Één"}], ensure_ascii=False).encode("utf-16")
    (record,) = read_bytes(data, name="upload")
    assert record.data == {"name": "Één"}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        # UTF-8 but for one byte: refused, not garbled as Latin-1.
        (CSV_TEXT.encode("utf-8") + b"name\nCaf\xe9\n", ["UTF-8 except for byte 0xE9 on line 4"]),
        (b"name\n\x00\x01\x02\x00\x00\x07binary\x00", ["zero bytes", "not a text file"]),
        (b"\xef\xbb\xbfname\nCaf\xe9\n", ["starts as UTF-8", "byte"]),
        (b"name\nabc\x81\x8d\n", ["neither UTF-8, UTF-16 nor Windows-1252", "line 2"]),
    ],
)
def test_other_encodings_are_refused_saying_what_was_found(data, words):
    with pytest.raises(ReadError) as refused:
        read_bytes(data, name="bestand.csv")
    for word in words:
        assert word in str(refused.value)


# -- every error names the file -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("kapot.json", b"{niet json", "not valid JSON"),
        ("kapot.xlsx", b"PK\x03\x04 kapot", "not a valid XLSX file"),
        ("leeg.csv", b"", "holds no entries"),
        ("latin.csv", b"\x00\x00\x00", "zero bytes"),
    ],
)
def test_every_import_error_names_the_file(tmp_path, register, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportFailed) as failure:
        run_import(path, register, Options())
    assert str(failure.value).startswith(f"{name}: ") and words in str(failure.value)
    # Uploaded bytes with their name (an admin upload view).
    with pytest.raises(ImportFailed) as failure:
        run_import(data, register, Options(), name=name)
    assert str(failure.value).startswith(f"{name}: ")
    with pytest.raises(CommandError, match=f"^{name}: "):
        call_command_in_english(
            "algoregister_import", str(path), "--register", str(register.pk), stderr=StringIO()
        )
