"""Bounds on what an import reads, and the text encodings it recognises.

An import reads files an editor uploads or a script passes on, so a crafted file must
not be able to exhaust the server: a small XLSX that declares a sheet of a million rows
by sixteen thousand columns, a zip whose content unpacks to gigabytes, JSON nested a
hundred thousand levels deep. Every such file is refused before it is read further, in
a second or so and with little memory, with a message that says which limit it exceeds.
The limits are settings (``WAGTAIL_ALGOREGISTER``, read through
:mod:`wagtail_algoregister.conf`):

====================================  =================================================
``IMPORT_MAX_FILE_SIZE``              bytes of the file (default 50 MB)
``IMPORT_MAX_UNCOMPRESSED_SIZE``      bytes the parts of an XLSX unpack to (200 MB), as
                                      the zip declares them (Python's zip reader never
                                      unpacks more than a part declares)
``IMPORT_MAX_ENTRIES``                entries: rows of a CSV or XLSX, objects of a JSON
                                      list, columns of the national (transposed) XLSX
                                      (20,000)
``IMPORT_MAX_CELLS``                  cells of an XLSX sheet, as it declares them
                                      (``<dimension ref="A1:XFD1048576"/>``) and as it
                                      holds them (2,000,000)
``IMPORT_MAX_JSON_DEPTH``             levels of nested lists and objects (20; an entry
                                      needs 4)
====================================  =================================================

Encodings (:func:`decode`): UTF-8 with or without byte order mark, UTF-16 and UTF-32
with a byte order mark, UTF-16 without one (recognised by its zero bytes), and, for a
file that is not UTF-8 at all, Windows-1252 (Latin-1, what Excel on Windows saves as
"CSV"), with a message saying so. A file that is UTF-8 except for a few bytes is
refused (reading it as Latin-1 would garble its accented letters), as is one with zero
bytes in no recognisable pattern (not a text file).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from wagtail_algoregister.conf import algoregister_settings


class LimitExceeded(Exception):
    """The file is beyond one of the limits; the message says which."""


class EncodingError(Exception):
    """The file's text encoding is not one the import reads; the message says which it is."""


@dataclass(frozen=True)
class Limits:
    max_file_size: int
    max_uncompressed_size: int
    max_entries: int
    max_cells: int
    max_json_depth: int

    @classmethod
    def from_settings(cls) -> Limits:
        s = algoregister_settings
        return cls(
            max_file_size=int(s.IMPORT_MAX_FILE_SIZE),
            max_uncompressed_size=int(s.IMPORT_MAX_UNCOMPRESSED_SIZE),
            max_entries=int(s.IMPORT_MAX_ENTRIES),
            max_cells=int(s.IMPORT_MAX_CELLS),
            max_json_depth=int(s.IMPORT_MAX_JSON_DEPTH),
        )


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def check_file_size(size: int, limits: Limits) -> None:
    if size > limits.max_file_size:
        raise LimitExceeded(
            _("the file is %(size)s MB; the limit is %(limit)s MB (IMPORT_MAX_FILE_SIZE).")
            % {"size": megabytes(size), "limit": megabytes(limits.max_file_size)}
        )


def check_entries(count: int, limits: Limits) -> None:
    if count > limits.max_entries:
        raise LimitExceeded(
            _(
                "the file holds more than %(limit)s entries, the limit (IMPORT_MAX_ENTRIES); "
                "split it into smaller files."
            )
            % {"limit": limits.max_entries}
        )


def check_json_depth(value, limits: Limits) -> None:
    """Refuse lists and objects nested deeper than the limit (without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limits.max_json_depth:
            raise LimitExceeded(json_depth_message(limits))
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))


def json_depth_message(limits: Limits) -> str:
    return _(
        "the JSON is nested more than %(limit)s levels deep (IMPORT_MAX_JSON_DEPTH); "
        "an entry of the standard needs 4."
    ) % {"limit": limits.max_json_depth}


# -- encodings ------------------------------------------------------------------------

_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _line(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read in (see the module docstring)."""
    for bom, encoding, name in (
        (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), name
            except UnicodeDecodeError as error:
                raise EncodingError(
                    _(
                        "the file starts as %(encoding)s (it has its byte order mark), but byte "
                        "%(position)s is not %(encoding)s. Save it again as UTF-8."
                    )
                    % {"encoding": name, "position": error.start}
                ) from error
    sample = data[:4096]
    if b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        half = len(sample) // 2
        encoding = (
            "utf-16-le"
            if odd >= half * 0.3 and even == 0
            else "utf-16-be"
            if even >= half * 0.3 and odd == 0
            else ""
        )
        if encoding:
            try:
                return data.decode(encoding), "UTF-16"
            except UnicodeDecodeError:
                pass
        raise EncodingError(
            _(
                "the file holds zero bytes: it is not a text file, or in an encoding other "
                "than UTF-8, UTF-16 or Windows-1252. Save it as UTF-8."
            )
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as error:
        if _UTF8_SEQUENCE.search(data):
            raise EncodingError(
                _(
                    "the file is UTF-8 except for byte %(byte)s on line %(line)s, which is "
                    "not UTF-8: the file was damaged or put together from files in different "
                    "encodings. Save it again as UTF-8."
                )
                % {
                    "byte": f"0x{data[error.start]:02X}",
                    "line": _line(data, error.start),
                }
            ) from error
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise EncodingError(
            _(
                "the file is neither UTF-8, UTF-16 nor Windows-1252 (Latin-1): byte %(byte)s "
                "on line %(line)s is none of these. Save it as UTF-8."
            )
            % {"byte": f"0x{data[error.start]:02X}", "line": _line(data, error.start)}
        ) from error


def encoding_message(name: str) -> str:
    """What to tell the editor about a file read in ``name`` ("" for plain UTF-8)."""
    if name == "Windows-1252":
        return _(
            "The file is not UTF-8; it was read as Windows-1252 (Latin-1), the encoding Excel "
            "on Windows uses. Check that letters such as é and ë came through right."
        )
    if name in ("UTF-16", "UTF-32"):
        return _("The file is in %(encoding)s; it was read as such.") % {"encoding": name}
    return ""
