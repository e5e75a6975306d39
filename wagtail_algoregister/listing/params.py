"""The GET parameters of a listing: search term, facet values, sorting, page."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from wagtail_algoregister.listing.facets import facets


QUERY_PARAM = "q"
SORT_PARAM = "sort"
PAGE_PARAM = "page"
MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_FACET = 50
MAX_SEARCH_WORDS = 20

RELEVANCE, NAME, CHANGED = "relevance", "name", "changed"


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
    query = " ".join((querydict.get(QUERY_PARAM) or "").split())[:MAX_QUERY_LENGTH]
    selected = {}
    for facet in facets():
        values = [v for v in querydict.getlist(facet.key) if v][:MAX_VALUES_PER_FACET]
        selected[facet.key] = facet.clean(values)
    sort = querydict.get(SORT_PARAM) or ""
    if sort not in (RELEVANCE, NAME, CHANGED):
        sort = ""
    return Params(query=query, selected=selected, sort=sort, page=querydict.get(PAGE_PARAM) or "1")
