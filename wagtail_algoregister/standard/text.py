"""Characters that no text of the register may hold, wherever it comes from.

Control characters (U+0000 to U+001F except tab and newline, U+007F to U+009F) and the
noncharacters U+FFFE and U+FFFF cannot be written in XML (the Atom feed, RDF/XML,
XLSX), PostgreSQL refuses U+0000 in text, and none of them means anything on a page.
Carriage returns become newlines (``\\r\\n`` from a browser's text area, a lone ``\\r``
from old Mac files), so line breaks are kept. Used for stored values (the validation)
and for query-string values (:mod:`wagtail_algoregister.listing.params`) alike.
"""

from __future__ import annotations

import re


_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# Lone surrogates can only come from bytes decoded with ``surrogateescape``.
_SURROGATES = re.compile("[\ud800-\udfff]")


def forbidden_characters(value: str) -> list[str]:
    """The distinct forbidden characters in ``value`` (before newlines are normalised)."""
    value = value.replace("\r", "")
    found = _FORBIDDEN.findall(value) + _SURROGATES.findall(value)
    return list(dict.fromkeys(found))


def describe(characters) -> str:
    """``U+000B, U+001B``: characters named by their code point, for messages."""
    return ", ".join(f"U+{ord(character):04X}" for character in characters)


def remove_control_characters(value: str) -> str:
    """``value`` without forbidden characters; carriage returns become newlines."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _FORBIDDEN.sub("", value)
    return _SURROGATES.sub("", value)
