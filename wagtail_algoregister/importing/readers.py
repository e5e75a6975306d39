"""Readers: files of every supported format as a list of :class:`Record` (raw dicts).

Formats (``--format``; ``auto`` picks by file name and content):

- ``json``: the national JSON format, one object or a list of objects (the upload
  API's body, the register's JSON downloads, vendor templates, and our own JSON
  download, whose extra keys ``id``, ``publication_dt`` and ``public_url`` are ignored).
- ``csv``: the national CSV download (UTF-8 with BOM, comma separated, the API keys
  as columns with ``lars`` renamed ``algorithm_id``, HTML stripped, lists flattened as
  ``stringify`` does) and our own CSV download (the same keys, ``lars``, link
  groupings as JSON text). Semicolon-separated files are read too. A cell our
  download made spreadsheet-safe (``'=…``, :mod:`wagtail_algoregister.formats.csv_safety`)
  is read back as it was.
- ``xlsx``: the national Excel download, which has one sheet per standard version,
  transposed: no header row, the first column holds the Dutch field titles (or the
  keys, in the English download) and every further column is one algorithm
  (``file_download.py`` of ``MinBZK/Algoritmeregister``); and our own XLSX download
  (one sheet, a header row of keys, one row per entry). The layout is recognised per
  sheet.
- ``eurocities-csv``: the Eurocities 0.3.1 template (see :mod:`.eurocities`); ``auto``
  recognises it by its header.

Readers only parse; mapping and validation come after. A file that cannot be parsed,
that is beyond the limits of the settings (:mod:`.limits`: its size, the number of
entries, an XLSX's declared and unpacked size, the depth of JSON), or that is in an
encoding the import does not read raises :class:`ReadError` with a message for the
user (the import puts the file's name in front). What a reader has to say about a
file it did read (the encoding it found) is in :attr:`Records.messages`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from zipfile import BadZipFile, ZipFile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from wagtail_algoregister.formats.csv_safety import unescape_cell
from wagtail_algoregister.importing import eurocities
from wagtail_algoregister.importing.limits import (
    EncodingError,
    LimitExceeded,
    Limits,
    check_entries,
    check_file_size,
    check_json_depth,
    decode,
    encoding_message,
    json_depth_message,
    megabytes,
)
from wagtail_algoregister.standard import versions


FORMATS = ("auto", "json", "csv", "xlsx", "eurocities-csv")


class ReadError(Exception):
    """The file cannot be read; the message says why."""


@dataclass
class Record:
    """One entry as found in the file, before mapping."""

    label: str  # "entry 3", "row 4", "sheet 1.0, column C"
    data: dict
    kind: str = "national"  # or "eurocities"


class Records(list):
    """The records of a file (a list), and what the reader has to say about the file."""

    def __init__(self, records=(), messages=()):
        super().__init__(records)
        self.messages = [m for m in messages if m]

    @property
    def records(self) -> list[Record]:
        return list(self)


def is_xlsx(path: Path, data: bytes) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm") or data[:2] == b"PK"


def detect_format(path: Path, text: str) -> str:
    """``json`` or ``csv`` for a text file (an XLSX is recognised by :func:`is_xlsx`)."""
    if path.suffix.lower() == ".json" or text.lstrip("\ufeff \r\n\t")[:1] in ("[", "{"):
        return "json"
    return "csv"


def read(path, fmt: str = "auto", *, limits: Limits | None = None) -> Records:
    """The records of the file at ``path`` (``-`` is not supported: imports need a file)."""
    path = Path(path)
    limits = limits or Limits.from_settings()
    try:
        check_file_size(path.stat().st_size, limits)
        data = path.read_bytes()
    except LimitExceeded as error:
        raise ReadError(str(error)) from error
    except OSError as error:
        raise ReadError(_("cannot read the file: %(error)s") % {"error": error.strerror}) from error
    return read_bytes(data, fmt, name=path.name, limits=limits)


def read_bytes(
    data: bytes, fmt: str = "auto", *, name: str = "", limits: Limits | None = None
) -> Records:
    """The records of a file's bytes (``name``: its file name, for the format)."""
    limits = limits or Limits.from_settings()
    if fmt not in FORMATS:
        raise ReadError(_("unknown format “%(format)s”.") % {"format": fmt})
    path = Path(name or "file")
    try:
        check_file_size(len(data), limits)
        if fmt == "xlsx" or (fmt == "auto" and is_xlsx(path, data)):
            return Records(read_xlsx(data, limits))
        text, encoding = decode(data)
        if fmt == "auto":
            fmt = detect_format(path, text)
        if fmt == "json":
            records = read_json(text, limits)
        else:
            records = read_csv(text, eurocities_template=fmt == "eurocities-csv", limits=limits)
    except (LimitExceeded, EncodingError) as error:
        raise ReadError(str(error)) from error
    return Records(records, [encoding_message(encoding)])


def read_json(text: str | bytes, limits: Limits | None = None) -> list[Record]:
    limits = limits or Limits.from_settings()
    if isinstance(text, bytes):
        text = decode(text)[0]
    try:
        parsed = json.loads(text)
    except RecursionError as error:
        raise LimitExceeded(json_depth_message(limits)) from error
    except ValueError as error:
        raise ReadError(_("not valid JSON: %(error)s") % {"error": error}) from error
    check_json_depth(parsed, limits)
    if isinstance(parsed, dict):
        for key in ("algorithms", "results", "algoritmes"):
            if isinstance(parsed.get(key), list):
                parsed = parsed[key]
                break
    items = [parsed] if isinstance(parsed, dict) else parsed
    if not isinstance(items, list):
        raise ReadError(_("the JSON must be an object or a list of objects."))
    check_entries(len(items), limits)
    records = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ReadError(_("entry %(number)s is not a JSON object.") % {"number": number})
        records.append(Record(_("entry %(number)s") % {"number": number}, item))
    return records


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_csv(
    text: str | bytes, *, eurocities_template: bool = False, limits: Limits | None = None
) -> list[Record]:
    limits = limits or Limits.from_settings()
    if isinstance(text, bytes):
        text = decode(text)[0]
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    rows = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
        for row in reader:
            rows.append([unescape_cell(cell) for cell in row])
            check_entries(len(rows) - 1, limits)
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


def _check_zip(data: bytes, limits: Limits) -> None:
    """Refuse an XLSX whose parts unpack to more than the limit (a "zip bomb")."""
    try:
        with ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (BadZipFile, ValueError, OSError) as error:
        raise ReadError(_("not a valid XLSX file: %(error)s") % {"error": error}) from error
    size = sum(part.file_size for part in parts)
    if size > limits.max_uncompressed_size or len(parts) > 10_000:
        raise LimitExceeded(
            _(
                "the XLSX file unpacks to %(size)s MB; the limit is %(limit)s MB "
                "(IMPORT_MAX_UNCOMPRESSED_SIZE)."
            )
            % {"size": megabytes(size), "limit": megabytes(limits.max_uncompressed_size)}
        )


def _check_dimensions(sheet, limits: Limits) -> None:
    """Refuse a sheet that declares more rows, columns or cells than the limits allow.

    openpyxl fills every row up to the declared width and height, so a small file
    declaring ``A1:XFD1048576`` would otherwise become billions of empty cells.
    """
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if (
        rows * columns > limits.max_cells
        or rows > limits.max_entries + 1
        or columns > limits.max_entries + 1
    ):
        raise LimitExceeded(
            _(
                "sheet “%(sheet)s” declares %(rows)s rows and %(columns)s columns "
                "(%(range)s), more than the import reads: at most %(entries)s entries and "
                "%(cells)s cells (IMPORT_MAX_ENTRIES, IMPORT_MAX_CELLS)."
            )
            % {
                "sheet": sheet.title,
                "rows": rows,
                "columns": columns,
                "range": sheet.calculate_dimension(),
                "entries": limits.max_entries,
                "cells": limits.max_cells,
            }
        )


def _sheet_rows(sheet, limits: Limits) -> list[list[str]]:
    """The sheet's non-empty rows as text, counting rows and cells as they are read."""
    sheet.reset_dimensions()  # the rows as they are, not padded to a declared size
    rows, cells = [], 0
    for row in sheet.iter_rows(values_only=True):
        cells += len(row)
        if cells > limits.max_cells:
            raise LimitExceeded(
                _("sheet “%(sheet)s” holds more than %(cells)s cells (IMPORT_MAX_CELLS).")
                % {"sheet": sheet.title, "cells": limits.max_cells}
            )
        values = [_cell(v) for v in row]
        while values and not values[-1]:
            values.pop()
        if any(c.strip() for c in values):
            rows.append(values)
            check_entries(len(rows) - 1, limits)
    return rows


def read_xlsx(data: bytes, limits: Limits | None = None) -> list[Record]:
    limits = limits or Limits.from_settings()
    _check_zip(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ReadError(_("not a valid XLSX file: %(error)s") % {"error": error}) from error
    keys = versions.known_keys()
    labels = versions.titles()
    records = []
    try:
        for sheet in workbook.worksheets:
            _check_dimensions(sheet, limits)
            rows = _sheet_rows(sheet, limits)
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
            check_entries(width - 1, limits)
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
    except (LimitExceeded, ReadError):
        raise
    except Exception as error:
        # A part that does not unpack as it declares (a bad CRC), broken XML, …
        raise ReadError(_("not a valid XLSX file: %(error)s") % {"error": error}) from error
    finally:
        workbook.close()
    check_entries(len(records), limits)
    return records
