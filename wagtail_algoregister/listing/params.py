"""The GET parameters of a listing: search term, facet values, sorting, page; and the
readers of query-string values that every public view uses.

Every public URL answers a malformed query string with 400 (or, for a page beyond
the last, 404), never with an error of the server: numbers are ASCII digits only
(``"²".isdigit()`` is true in Python, ``int("²")`` fails), no larger than the largest
id a database stores (a 5,000-digit number cannot even be converted, a 20-digit one
overflows the database's integers), and text loses the control characters no
database or XML writer takes (see :mod:`wagtail_algoregister.standard.text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from wagtail_algoregister.listing.facets import facets
from wagtail_algoregister.standard.text import remove_control_characters


QUERY_PARAM = "q"
SORT_PARAM = "sort"
PAGE_PARAM = "page"
MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_FACET = 50
MAX_SEARCH_WORDS = 20

RELEVANCE, NAME, CHANGED = "relevance", "name", "changed"

# The largest id any supported database stores (a signed 64-bit integer).
MAX_INTEGER = 2**63 - 1

_DIGITS = re.compile(r"[0-9]{1,19}")


@dataclass
class Params:
    """The cleaned GET parameters of a listing."""

    query: str = ""
    selected: dict[str, list[str]] = field(default_factory=dict)
    sort: str = ""  # as asked for; empty for the default
    page: str = "1"

    @property
    def effective_sort(self):
        if self.sort == RELEVANCE and not self.query:
            return NAME
        if self.sort in (NAME, CHANGED, RELEVANCE):
            return self.sort
        return RELEVANCE if self.query else NAME

    @property
    def active(self):
        """``{facet key: values}`` of the facets with a selection."""
        return {key: values for key, values in self.selected.items() if values}

    def items(self, *, without=None, sort=True, page=None):
        """The parameters as ``(name, value)`` pairs, optionally without one of them.

        ``without`` is ``(key, value)`` to drop one facet value, ``(key, None)``
        to drop a whole parameter.
        """
        drop_key, drop_value = without or (None, None)
        pairs = []
        if self.query and drop_key != QUERY_PARAM:
            pairs.append((QUERY_PARAM, self.query))
        for key, values in self.active.items():
            for value in values:
                if key == drop_key and drop_value in (None, value):
                    continue
                pairs.append((key, value))
        if sort and self.sort and drop_key != SORT_PARAM:
            pairs.append((SORT_PARAM, self.sort))
        if page and page != 1:
            pairs.append((PAGE_PARAM, str(page)))
        return pairs

    def url(self, path, **kwargs):
        pairs = self.items(**kwargs)
        return f"{path}?{urlencode(pairs)}" if pairs else path


def parse_params(querydict):
    """Clean the GET parameters: unknown facet values are dropped, not errors."""
    query = " ".join(text(querydict, QUERY_PARAM).split())[:MAX_QUERY_LENGTH]
    selected = {}
    for facet in facets():
        values = texts(querydict, facet.key, max_count=MAX_VALUES_PER_FACET)
        selected[facet.key] = facet.clean(values)
    sort = querydict.get(SORT_PARAM) or ""
    if sort not in (RELEVANCE, NAME, CHANGED):
        sort = ""
    # The HTML page is lenient: Paginator.get_page shows the first or last page instead.
    return Params(query=query, selected=selected, sort=sort, page=querydict.get(PAGE_PARAM) or "1")


# -- query-string values of any public view ------------------------------------


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
