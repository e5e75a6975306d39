"""Readers: files of every supported format as a list of :class:`Record` (raw dicts).

Formats (``--format``; ``auto`` picks by file name and content):

- ``json``: the national JSON format, one object or a list of objects (the upload
  API's body, the register's JSON downloads, vendor templates, and our own JSON
  download, whose extra keys ``id``, ``publication_dt`` and ``public_url`` are ignored).
- ``csv``: the national CSV download (UTF-8 with BOM, comma separated, the API keys
  as columns with ``lars`` renamed ``algorithm_id``, HTML stripped, lists flattened as
  ``stringify`` does) and our own CSV download (the same keys, ``lars``, link
  groupings as JSON text). Semicolon-separated files are read too.
- ``xlsx``: the national Excel download, which has one sheet per standard version,
  transposed: no header row, the first column holds the Dutch field titles (or the
  keys, in the English download) and every further column is one algorithm
  (``file_download.py`` of ``MinBZK/Algoritmeregister``); and our own XLSX download
  (one sheet, a header row of keys, one row per entry). The layout is recognised per
  sheet.
- ``eurocities-csv``: the Eurocities 0.3.1 template (see :mod:`.eurocities`); ``auto``
  recognises it by its header.

Readers only parse; mapping and validation come after. A file that cannot be parsed
raises :class:`ReadError` with a message for the user.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from wagtail_algoregister.importing import eurocities, versions


FORMATS = ("auto", "json", "csv", "xlsx", "eurocities-csv")


class ReadError(Exception):
    """The file cannot be read; the message says why."""


@dataclass
class Record:
    """One entry as found in the file, before mapping."""

    label: str  # "entry 3", "row 4", "sheet 1.0, column C"
    data: dict
    kind: str = "national"  # or "eurocities"


def detect_format(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".json" or data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"[", b"{"):
        return "json"
    if suffix in (".xlsx", ".xlsm") or data[:2] == b"PK":
        return "xlsx"
    return "csv"


def read(path, fmt: str = "auto") -> list[Record]:
    """The records of the file at ``path`` (``-`` is not supported: imports need a file)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(
            _("cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from error
    return read_bytes(data, fmt, name=path.name)


def read_bytes(data: bytes, fmt: str = "auto", *, name: str = "") -> list[Record]:
    if fmt not in FORMATS:
        raise ReadError(_("unknown format “%(format)s”.") % {"format": fmt})
    if fmt == "auto":
        fmt = detect_format(Path(name or "file"), data)
    if fmt == "json":
        return read_json(data)
    if fmt == "xlsx":
        return read_xlsx(data)
    return read_csv(data, eurocities_template=fmt == "eurocities-csv")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page.
        return data.decode("cp1252", errors="replace")


def read_json(data: bytes) -> list[Record]:
    try:
        parsed = json.loads(_decode(data))
    except ValueError as error:
        raise ReadError(_("not valid JSON: %(error)s") % {"error": error}) from error
    if isinstance(parsed, dict):
        for key in ("algorithms", "results", "algoritmes"):
            if isinstance(parsed.get(key), list):
                parsed = parsed[key]
                break
    items = [parsed] if isinstance(parsed, dict) else parsed
    if not isinstance(items, list):
        raise ReadError(_("the JSON must be an object or a list of objects."))
    records = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ReadError(_("entry %(number)s is not a JSON object.") % {"number": number})
        records.append(Record(_("entry %(number)s") % {"number": number}, item))
    return records


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_csv(data: bytes, *, eurocities_template: bool = False) -> list[Record]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
        rows = list(reader)
    except csv.Error as error:
        raise ReadError(_("not a valid CSV file: %(error)s") % {"error": error}) from error
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    kind = "eurocities" if eurocities_template or eurocities.is_eurocities(header) else "national"
    if kind == "national" and not ({"name", "Naam"} & set(header)):
        raise ReadError(_("the CSV has no column “name”: is it a register download or template?"))
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise ReadError(
                _("row %(number)s has more cells than the header has columns.") % {"number": number}
            )
        values = dict(zip(header, row, strict=False))
        values = {
            versions.titles().get(k.casefold(), k) if k not in versions.known_keys() else k: v
            for k, v in values.items()
        }
        records.append(Record(_("row %(number)s") % {"number": number}, values, kind))
    return records


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_xlsx(data: bytes) -> list[Record]:

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ReadError(_("not a valid XLSX file: %(error)s") % {"error": error}) from error
    keys = versions.known_keys()
    labels = versions.titles()
    records = []
    try:
        for sheet in workbook.worksheets:
            rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            rows = [row for row in rows if any(c.strip() for c in row)]
            if not rows:
                continue
            header = [c.strip() for c in rows[0]]
            if "name" in header and ("organization" in header or "id" in header):
                # Our own download: a header row of keys, one row per entry.
                for number, row in enumerate(rows[1:], start=2):
                    values = dict(zip(header, row, strict=False))
                    records.append(
                        Record(
                            _("sheet %(sheet)s, row %(number)s")
                            % {"sheet": sheet.title, "number": number},
                            values,
                        )
                    )
                continue
            # The national download: transposed, field titles in the first column.
            fields = []
            for row in rows:
                label = row[0].strip() if row else ""
                fields.append(label if label in keys else labels.get(label.casefold(), label))
            width = max(len(row) for row in rows)
            version = versions.normalise_version(sheet.title)
            for column in range(1, width):
                values = {
                    key: (row[column] if column < len(row) else "")
                    for key, row in zip(fields, rows, strict=True)
                    if key
                }
                if not any(v.strip() for v in values.values()):
                    continue
                if version and not values.get("standard_version"):
                    values["standard_version"] = version
                records.append(
                    Record(
                        _("sheet %(sheet)s, column %(column)s")
                        % {"sheet": sheet.title, "column": get_column_letter(column + 1)},
                        values,
                    )
                )
    finally:
        workbook.close()
    return records
