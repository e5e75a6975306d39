"""Spreadsheet-safe CSV cells: what a spreadsheet would run as a formula is made text.

A spreadsheet program opening a CSV file reads a cell that begins with ``=``, ``+``,
``-`` or ``@`` as a formula (``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``), and some
also after a leading tab or carriage return. As the OWASP page "CSV Injection"
describes, such a cell is written with a single quote in front (``'=HYPERLINK(…)``),
which spreadsheets show as text; every field is quoted already (:mod:`.downloads`).

To keep the round trip lossless, a cell that begins with quotes followed by one of
those characters gets one more quote too, so that :func:`unescape_cell` (the
importer's CSV reader) can always remove exactly the one quote :func:`escape_cell`
added: ``'=x`` → ``''=x`` → ``'=x``.
"""

from __future__ import annotations

import re


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_NEEDS_QUOTE = re.compile(r"^'*[=+\-@\t\r]")


def escape_cell(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text, never runs."""
    return "'" + text if text and _NEEDS_QUOTE.match(text) else text


def unescape_cell(text: str) -> str:
    """The inverse of :func:`escape_cell`."""
    return text[1:] if text and _ESCAPED.match(text) else text
