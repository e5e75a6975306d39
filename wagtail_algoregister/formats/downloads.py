"""Writers for the downloads of a register: CSV, XLSX and JSON, all streaming.

Pure functions over entries (``AlgorithmPage`` objects, usually a queryset): the
download views, and later the import/export command, use the same writers.

Every format has the same fields, in the same order (:func:`columns`):

- ``id``: the entry's stable id (its Wagtail translation key, a UUID; it survives
  renames and moves, and is the last part of the entry's identifier URI
  ``<register URL>id/<id>/``). Not called ``algorithm_id``: in the national register's
  CSV that column holds the national LARS code, which this id is not;
- ``lars``: the entry's id in the national register (its LARS code), when known, under
  the national register's own JSON key, so that an export imports again with it
  (``manage.py algoregister_import``);
- every input key of Publicatiestandaard 1.0, in the standard's order
  (``url`` and ``source_id`` get the defaults of :func:`national.entry_to_national`);
- ``publication_dt``: when the entry was last published (ISO 8601, UTC), the
  standard's own system key, as in the national register's downloads;
- ``public_url``: the entry's page on this site.

With ``history``, each JSON object also holds ``history``: every published version of
the entry, oldest first (:func:`version_record`: its number, ``published_at``, the
editors' ``change_note``, the keys ``changed`` since the version before, and the
``entry`` as it was then, in the same format), read from Wagtail's page history
(:mod:`wagtail_algoregister.history`), never from drafts.

JSON (:func:`national_json_records`, :func:`stream_json`) keeps the national format:
rich text as the standard's HTML, themes and link groupings as lists. Each object
is loadable by the national upload API's ``AlgorithmIn`` schema (it allows the
four extra keys).

CSV and XLSX (:func:`flat_record`) follow the national register's CSV: rich text
with its HTML stripped (text nodes joined by a space, whitespace collapsed), line
breaks in plain text replaced by spaces, and lists flattened into one cell:

- ``category`` (themes): the values joined by ``", "``, as the national CSV does;
  reversible because no value of the vocabulary contains ``", "``;
- the three link groupings: the JSON text of the list, e.g.
  ``[{"title": "Wet …", "link": "https://…"}]``. The national CSV writes
  ``1: title, link. 2: …``, which cannot be split back when a title holds a comma;
  JSON text always can (:func:`value_from_cell`), holds no line break, and is the
  same structure as in the JSON download and the upload API.

CSV is UTF-8 with a byte order mark (so Excel detects the encoding), comma
separated, every field quoted, lines ended by CRLF (RFC 4180). A cell that a
spreadsheet program would read as a formula (it begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a single quote in front, as OWASP describes
(:mod:`.csv_safety`); the importer removes it again, so the round trip stays lossless.
The XLSX writer marks such cells as text instead.

Streaming: entries are read with ``QuerySet.iterator(chunk_size=CHUNK_SIZE)``, only
the columns a download needs (:func:`prepare`), and the link groupings of each chunk
in one query per grouping, so the number of queries grows with the number of chunks,
not of entries, and memory stays constant. XLSX is written with openpyxl's
write-only workbook into a temporary file (:func:`xlsx_file`), which the view then
streams.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from urllib.parse import quote
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter
from wagtail.models import Page

from wagtail_algoregister import standard
from wagtail_algoregister.formats.csv_safety import escape_cell, unescape_cell
from wagtail_algoregister.formats.national import entry_to_national
from wagtail_algoregister.history.versions import versions_by_page
from wagtail_algoregister.models import AlgorithmPage
from wagtail_algoregister.standard.validation import strip_html


CHUNK_SIZE = 500
"""Entries per database round trip (and per query for the link groupings)."""

BUFFER_SIZE = 64 * 1024
"""Bytes collected before a streaming writer yields."""

ID_KEY = "id"
LARS_KEY = "lars"
EXTRA_KEYS = ("publication_dt", "public_url")
BOM = "\ufeff".encode()

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}

LIST_SEPARATOR = ", "
SHEET_TITLE = "algoritmes"

# What Django's reverse() leaves unquoted in a path (RFC 3986 sub-delimiters and more).
_URL_SAFE = "!$&'()*+,;=/~:@"

# Characters XML 1.0 (and so XLSX) cannot hold (openpyxl refuses them).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def columns() -> list[str]:
    """The fields of every download, in order: id, lars, the standard's input keys, extras."""
    return [ID_KEY, LARS_KEY, *standard.input_fields(), *EXTRA_KEYS]


# -- reading entries -------------------------------------------------------------


# Page fields the writers read besides the standard's columns (see national_record).
PAGE_FIELDS = ("slug", "url_path", "translation_key", "last_published_at", "lars")


def prepare(queryset):
    """The queryset as the writers read it: only the columns a download needs.

    Reading any other field of such a page costs a query per entry (the query-count
    tests catch that).
    """
    scalar = [definition.attribute for definition in standard.scalar_fields()]
    return queryset.only(*dict.fromkeys([*scalar, *PAGE_FIELDS]))


class _WithLinks:
    """A page whose link groupings were read in bulk for its chunk.

    :func:`national.entry_to_national` asks it for ``standard_value(key)`` like it asks
    a page; everything else is the page's own.
    """

    __slots__ = ("_attributes", "_links", "_page")

    def __init__(self, page, links, attributes):
        self._page = page
        self._links = links
        self._attributes = attributes

    def standard_value(self, key):
        # What AlgorithmPage.standard_value returns, without its per-call lookups.
        if key in self._links:
            return self._links[key]
        return getattr(self._page, self._attributes[key])

    def __getattr__(self, name):
        return getattr(self._page, name)


def _grouping_relations():
    """(key, item keys, related model, foreign key attname) per link grouping."""

    relations = []
    for definition in standard.grouping_fields():
        relation = AlgorithmPage._meta.get_field(definition.attribute)
        relations.append(
            (
                definition.key,
                tuple(definition.items),
                relation.related_model,
                relation.field.attname,
            )
        )
    return relations


def _with_links(pages: list) -> list:
    """``pages`` with their groupings: one query per grouping for the whole chunk."""
    links = link_rows([page.pk for page in pages])
    attributes = {d.key: d.attribute for d in standard.scalar_fields()}
    return [_WithLinks(page, links[page.pk], attributes) for page in pages]


def link_rows(ids) -> dict[int, dict[str, list[dict]]]:
    """``{page id: {grouping key: [row dicts]}}``: what ``AlgorithmPage.standard_value``
    gives for each link grouping of these pages, in one query per grouping."""
    links = {pk: {} for pk in ids}
    for key, items, model, fk in _grouping_relations():
        for pk in ids:
            links[pk][key] = []
        rows = (
            model._default_manager.filter(**{f"{fk}__in": ids})
            .order_by(fk, "sort_order", "pk")
            .values_list(fk, *items)
        )
        for pk, *values in rows:
            links[pk][key].append(dict(zip(items, values, strict=True)))
    return links


def iter_entries(entries, *, chunk_size: int = CHUNK_SIZE) -> Iterator:
    """Entries one by one, read in chunks, with each chunk's link groupings read in bulk.

    ``entries`` is a queryset of ``AlgorithmPage`` (read with ``iterator()``, so in
    constant memory) or any iterable of pages.
    """
    if hasattr(entries, "iterator") and hasattr(entries, "only"):
        entries = prepare(entries).iterator(chunk_size=chunk_size)
    entries = iter(entries)
    while chunk := list(islice(entries, chunk_size)):
        yield from _with_links(chunk)


def _publication_dt(page) -> str:
    return _utc(page.last_published_at)


def _utc(moment) -> str:
    if not moment:
        return ""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class PublicUrls:
    """Public URLs of pages: Wagtail's own ``get_full_url`` once per parent page.

    Siblings share their URL up to the slug; the shortcut is used only when the first
    sibling's URL has exactly that form (and so never for custom URL schemes).
    ``model`` is the pages' class when they are not model instances (rows of values
    with ``url_path`` and ``slug``: then ``full_url`` gives Wagtail's URL of the row).
    """

    def __init__(self, request=None, *, model=None):
        self.request = request
        self.model = model
        self.by_parent = {}

    @staticmethod
    def _slug(page):
        return quote(page.slug, safe=_URL_SAFE)

    def __call__(self, page, full_url=None) -> str:

        page = getattr(page, "_page", page)
        parent = (
            page.url_path[: -len(page.slug) - 1]
            if page.url_path.endswith(f"{page.slug}/")
            else None
        )
        known = self.by_parent.get(parent) if parent else None
        if known:
            prefix, suffix = known
            return f"{prefix}{self._slug(page)}{suffix}"
        url = (full_url() if full_url else page.get_full_url(self.request)) or ""
        if parent and (self.model or type(page)).get_url_parts is Page.get_url_parts:
            slug = self._slug(page)
            for suffix in ("/", ""):
                prefix = url[: len(url) - len(slug + suffix)]
                if url.endswith(slug + suffix) and prefix.endswith("/"):
                    self.by_parent[parent] = (prefix, suffix)
                    break
        return url


def national_record(page, *, request=None, public_url=None) -> dict:
    """One entry in the national format, with ``id``, ``lars``, ``publication_dt`` and ``public_url``."""
    if public_url is None:
        public_url = page.get_full_url(request) or ""
    data = entry_to_national(page, public_url=public_url)
    # The download is in standard 1.0 whatever an old row says.
    data["standard_version"] = standard.VERSION
    return {
        ID_KEY: str(page.translation_key),
        LARS_KEY: page.lars or "",
        **data,
        "publication_dt": _publication_dt(page),
        "public_url": public_url,
    }


def version_record(version, *, public_url: str) -> dict:
    """One published version of an entry: when, the editors' note, what changed, and the entry then."""
    entry = None
    if version.is_available:
        entry = national_record(version.page, public_url=public_url)
        entry["publication_dt"] = _utc(version.published_at)
    changes = version.changes
    return {
        "version": version.number,
        "published_at": _utc(version.published_at),
        "change_note": version.note,
        "changed": None if changes is None else [change.part.key for change in changes],
        "entry": entry,
    }


def national_json_records(
    entries, *, request=None, chunk_size: int = CHUNK_SIZE, history: bool = False
) -> Iterator[dict]:
    """Entries as dicts in the national format (v1.0 keys in order, plus the extras).

    With ``history``, each also holds its published versions (three queries per chunk).
    """
    public_url = PublicUrls(request)
    pages = iter_entries(entries, chunk_size=chunk_size)
    while chunk := list(islice(pages, chunk_size)):
        versions = versions_by_page([page.pk for page in chunk]) if history else {}
        for page in chunk:
            url = public_url(page)
            record = national_record(page, public_url=url)
            if history:
                record["history"] = [
                    version_record(version, public_url=url) for version in versions.get(page.pk, [])
                ]
            yield record


# -- flattening for spreadsheets -------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.splitlines()) if text else ""


def html_to_text(value: str) -> str:
    """Rich text as one line of text: :func:`validation.strip_html`, whitespace collapsed
    (whitespace in HTML is not significant, so collapsing it loses nothing)."""
    return " ".join(strip_html(value).split()) if value else ""


def _converter(key):
    definition = standard.input_fields().get(key)
    if definition is None:
        return lambda value: "" if value is None else _one_line(str(value))
    if definition.is_grouping:
        return lambda value: json.dumps(list(value), ensure_ascii=False) if value else ""
    if definition.is_multiple_choice:
        return lambda value: LIST_SEPARATOR.join(value) if value else ""
    if definition.is_rich_text:
        return html_to_text
    return lambda value: "" if value is None else _one_line(str(value))


def cell_value(key: str, value) -> str:
    """One value of a national record as the text of a CSV/XLSX cell."""
    return _converter(key)(value)


def value_from_cell(key: str, text: str):
    """The inverse of :func:`cell_value` (rich text comes back as plain text)."""
    definition = standard.input_fields().get(key)
    text = text or ""
    if definition is None:
        return text
    if definition.is_grouping:
        return json.loads(text) if text.strip() else []
    if definition.is_multiple_choice:
        return text.split(LIST_SEPARATOR) if text else []
    return text


def flat_record(record: dict) -> dict[str, str]:
    """A national record with every value as one line of text (CSV and XLSX)."""
    return {key: convert(record.get(key)) for key, convert in _converters()}


def _converters():
    return [(key, _converter(key)) for key in columns()]


def record_from_row(row: dict) -> dict:
    """A CSV/XLSX row (by column name) back in the national format."""
    return {key: value_from_cell(key, row.get(key) or "") for key in columns() if key in row}


def csv_rows(entries, *, request=None, chunk_size: int = CHUNK_SIZE) -> Iterator[list[str]]:
    """The header, then one row per entry, as lists of strings."""
    converters = _converters()
    yield [key for key, _convert in converters]
    for record in national_json_records(entries, request=request, chunk_size=chunk_size):
        yield [convert(record.get(key)) for key, convert in converters]


# -- byte streams ----------------------------------------------------------------


def csv_line(row: list[str]) -> str:
    """One CSV record, every field quoted (quotes doubled), ended by CRLF.

    Exactly what ``csv.writer(quoting=csv.QUOTE_ALL, lineterminator="\\r\\n")`` writes
    for strings, about three times faster for long texts.
    """
    return ",".join(['"' + value.replace('"', '""') + '"' for value in row]) + "\r\n"


def stream_csv(entries, *, request=None, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The CSV file as bytes: BOM, header and rows, every field quoted, CRLF line ends,
    cells spreadsheet-safe (:func:`.csv_safety.escape_cell`)."""
    yield BOM
    lines, size = [], 0
    for row in csv_rows(entries, request=request, chunk_size=chunk_size):
        line = csv_line([escape_cell(text) for text in row])
        lines.append(line)
        size += len(line)
        if size >= BUFFER_SIZE:
            yield "".join(lines).encode("utf-8")
            lines, size = [], 0
    if lines:
        yield "".join(lines).encode("utf-8")


def stream_json(
    entries,
    *,
    request=None,
    chunk_size: int = CHUNK_SIZE,
    single: bool = False,
    history: bool = False,
) -> Iterator[bytes]:
    """The JSON download as bytes: a list of objects, or one object when ``single``."""
    records = national_json_records(
        entries, request=request, chunk_size=chunk_size, history=history
    )
    if single:
        for record in records:
            yield json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
            return
        return
    parts, size, first = [b"["], 1, True
    for record in records:
        text = json.dumps(record, ensure_ascii=False).encode("utf-8")
        parts.append(b"\n" if first else b",\n")
        parts.append(text)
        size += len(text) + 2
        first = False
        if size >= BUFFER_SIZE:
            yield b"".join(parts)
            parts, size = [], 0
    parts.append(b"\n]\n" if not first else b"]\n")
    yield b"".join(parts)


def write_xlsx(entries, fileobj, *, request=None, chunk_size: int = CHUNK_SIZE) -> None:
    """Write the XLSX download (one sheet, the CSV's columns and cells) into ``fileobj``."""

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    keys = columns()
    for number, key in enumerate(keys, start=1):
        definition = standard.input_fields().get(key)
        wide = definition is not None and (definition.is_rich_text or definition.is_grouping)
        sheet.column_dimensions[get_column_letter(number)].width = 60 if wide else 24
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for key in keys:
        cell = WriteOnlyCell(sheet, value=key)
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    def as_text_cell(text):
        # openpyxl would store "=..." as a formula; data stays text.
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell

    rows = csv_rows(entries, request=request, chunk_size=chunk_size)
    next(rows)  # the header, written above in bold
    for row in rows:
        if _ILLEGAL_XML.search("".join(row)):
            # A control character XML cannot hold (openpyxl would refuse the row).
            row = [_ILLEGAL_XML.sub(" ", text) for text in row]
        sheet.append(
            [(as_text_cell(text) if text[0] == "=" else text) if text else None for text in row]
        )
    # What Workbook.save does, with faster compression (the sheet is most of the file).
    workbook.properties.modified = datetime.now(UTC).replace(tzinfo=None)
    with ZipFile(fileobj, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
        ExcelWriter(workbook, archive).save()


def xlsx_file(entries, *, request=None, chunk_size: int = CHUNK_SIZE):
    """The XLSX download in an anonymous temporary file, positioned at its start.

    The file disappears when closed (a streaming response closes it when done).
    """
    fileobj = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        write_xlsx(entries, fileobj, request=request, chunk_size=chunk_size)
        fileobj.seek(0)
    except BaseException:
        fileobj.close()
        raise
    return fileobj


def read_csv(data: bytes | str) -> list[dict[str, str]]:
    """Rows of a CSV download as dicts, cells as they were before :func:`stream_csv`
    made them spreadsheet-safe."""
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig")
    return [
        {key: unescape_cell(value) for key, value in row.items()}
        for row in csv.DictReader(io.StringIO(data, newline=""))
    ]
