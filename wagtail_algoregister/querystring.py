"""Query-string values of public URLs, read in one way by every view.

Every public URL answers a malformed query string with 400 (or, for a page beyond
the last, 404), never with an error of the server: numbers are ASCII digits only
(``"²".isdigit()`` is true in Python, ``int("²")`` fails), no longer than the largest
id a database stores (a 5,000-digit number cannot even be converted, a 20-digit one
overflows the database's integers), and text loses the control characters no
database or XML writer takes (see :mod:`wagtail_algoregister.standard.text`).
"""

from __future__ import annotations

import re

from .standard.text import remove_control_characters


# The largest id any supported database stores (a signed 64-bit integer).
MAX_INTEGER = 2**63 - 1

_DIGITS = re.compile(r"[0-9]{1,19}")


class BadParameter(ValueError):
    """A query-string value that cannot be used; ``str()`` says which and why."""

    def __init__(self, name, message):
        self.name = name
        super().__init__(message)


def whole_number(querydict, name, *, default=None, minimum=0, maximum=MAX_INTEGER):
    """The value of ``name`` as an int from ``minimum`` to ``maximum``, or ``default``
    when absent. When it repeats, the last value counts (as ``QueryDict.get``).

    Raises :class:`BadParameter` for anything else (signs, spaces, other digits).
    """
    value = querydict.get(name)
    if value is None:
        return default
    if _DIGITS.fullmatch(value):
        number = int(value)
        if minimum <= number <= maximum:
            return number
    if maximum == MAX_INTEGER:
        rule = f"a whole number of at least {minimum}"
    else:
        rule = f"a whole number from {minimum} to {maximum}"
    raise BadParameter(name, f"{name} must be {rule}")


def page_number(querydict, name="page"):
    """A page number (1 when absent); :class:`BadParameter` when it is not one."""
    return whole_number(querydict, name, default=1, minimum=1)


def text(querydict, name, *, max_length=None, default=""):
    """The value of ``name`` without control characters, cut to ``max_length``."""
    value = querydict.get(name)
    if value is None:
        return default
    value = remove_control_characters(value)
    return value[:max_length] if max_length else value


def texts(querydict, name, *, max_count=None, max_length=None):
    """Every value of a repeated parameter, without control characters, empty ones left out."""
    values = [remove_control_characters(value) for value in querydict.getlist(name)]
    values = [value[:max_length] if max_length else value for value in values if value]
    return values[:max_count] if max_count else values
