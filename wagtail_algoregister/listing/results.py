"""One page of a register's entries with everything the register page shows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from wagtail_algoregister.listing.cache import (
    CACHE_TIMEOUT,
    SEARCH_CACHE_TIMEOUT,
    cache_key,
    version_stamp,
)
from wagtail_algoregister.listing.counts import FacetResult, count_facet_values, facet_results
from wagtail_algoregister.listing.facets import filter_q
from wagtail_algoregister.listing.params import (
    CHANGED,
    NAME,
    QUERY_PARAM,
    RELEVANCE,
    Params,
    parse_params,
)
from wagtail_algoregister.listing.search import ranked_ids, search_q


# Related rows the entry card shows; prefetched for the whole page of results.
CARD_PREFETCH = ("impacttoetsen_grouping",)


ORDERINGS = {
    NAME: (Lower("title"), "pk"),
    CHANGED: (F("last_published_at").desc(nulls_last=True), Lower("title"), "pk"),
}


# -- the listing --------------------------------------------------------------


@dataclass
class ActiveFilter:
    label: str  # the facet, or "search term"
    value: str
    remove_url: str
    is_facet: bool = True


@dataclass
class Listing:
    """One page of a register's entries, with everything the template shows."""

    params: Params
    path: str
    page: object  # django.core.paginator.Page
    entries: list
    facets: list[FacetResult]
    queryset: object = None  # the unfiltered entries (for the empty-result hints)
    # The register page caches its rendered filters and results under this version
    # (empty: not cached), for cache_timeout seconds at most.
    cache_version: str = ""
    cache_timeout: int = 0

    @property
    def query(self):
        return self.params.query

    @property
    def sort(self):
        return self.params.effective_sort

    @property
    def count(self):
        return self.page.paginator.count

    @property
    def is_filtered(self):
        return bool(self.params.query or self.params.active)

    @property
    def has_filters(self):
        return bool(self.params.active)

    @property
    def selected_count(self):
        """How many facet values are chosen (said on the folded filters)."""
        return sum(len(values) for values in self.params.active.values())

    @property
    def sort_options(self):
        options = [(NAME, _("Name (A to Z)")), (CHANGED, _("Last change (newest first)"))]
        if self.params.query:
            options.insert(0, (RELEVANCE, _("Best match")))
        return options

    @cached_property
    def active_filters(self):
        result = []
        if self.params.query:
            result.append(
                ActiveFilter(
                    _("Search term"),
                    self.params.query,
                    self.params.url(self.path, without=(QUERY_PARAM, None)),
                    is_facet=False,
                )
            )
        for facet in self.facets:
            for option in facet.selected:
                result.append(
                    ActiveFilter(
                        facet.label,
                        option.label,
                        self.params.url(self.path, without=(facet.key, option.value)),
                    )
                )
        return result

    @property
    def clear_url(self):
        return self.path

    @property
    def hidden_filter_fields(self):
        """``(name, value)`` of the current search and filters, for the sort form."""
        return self.params.items(sort=False)

    @property
    def hidden_sort(self):
        return self.params.sort

    def page_url(self, number):
        return self.params.url(self.path, page=number)

    @cached_property
    def page_links(self):
        """Page numbers to link to: the first, the last and two either side; None for a gap."""
        current, last = self.page.number, self.page.paginator.num_pages
        wanted = {1, last, *range(current - 2, current + 3)}
        numbers = sorted(n for n in wanted if 1 <= n <= last)
        links, previous = [], 0
        for number in numbers:
            if number - previous > 1:
                links.append(None)
            links.append(
                {"number": number, "url": self.page_url(number), "current": number == current}
            )
            previous = number
        return links

    @property
    def previous_url(self):
        return self.page_url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self):
        return self.page_url(self.page.next_page_number()) if self.page.has_next() else ""

    @cached_property
    def count_without_filters(self):
        """Matches of the search term alone, when filters are active (for the empty-result help)."""
        if not self.params.active or self.queryset is None:
            return None
        queryset = self.queryset
        if self.params.query:
            queryset = queryset.filter(search_q(queryset, self.params.query))
        return queryset.count()

    @property
    def without_filters_url(self):
        """The search term alone, without filters or sorting."""
        if not self.params.query:
            return self.path
        return f"{self.path}?{urlencode([(QUERY_PARAM, self.params.query)])}"


def _matches(queryset, params):
    """Counts and the ordered ids of every match: the part that reads all entries."""
    active = params.active
    restriction = search_q(queryset, params.query) if params.query else None
    counts = count_facet_values(queryset, params, restriction)
    if params.effective_sort == RELEVANCE:
        ids = ranked_ids(queryset, params.query)
        if active:
            keep = set(
                queryset.filter(filter_q(active)).filter(restriction).values_list("pk", flat=True)
            )
            ids = [pk for pk in ids if pk in keep]
    else:
        matches = queryset.filter(filter_q(active))
        if restriction is not None:
            matches = matches.filter(restriction)
        # Sort the ids alone (narrow rows), then fetch one page of entries.
        ids = list(matches.order_by(*ORDERINGS[params.effective_sort]).values_list("pk", flat=True))
    return {"counts": counts, "ids": ids}


def cached_matches(queryset, params, register=None):
    """``(data, key, timeout)``: the counts and ordered ids of the matches (see
    :func:`_matches`), from Django's cache under the register's :func:`version_stamp`
    (``key``), else read and kept there for ``timeout`` seconds. Without ``register``
    nothing is cached (``key`` is None)."""
    key = cache_key(version_stamp(register), params) if register is not None else None
    data = cache.get(key) if key else None
    timeout = SEARCH_CACHE_TIMEOUT if params.query else CACHE_TIMEOUT
    if data is None:
        data = _matches(queryset.order_by(), params)
        if key:
            cache.set(key, data, timeout)
    return data, key, timeout


def warm_listing(queryset, register):
    """Put the numbers of the register page's default listing (no search, no filter, the
    default order) in the cache under the current version stamp, as its first request
    would; nothing to do when they are there."""
    cached_matches(queryset, parse_params(QueryDict()), register)


def build_listing(queryset, querydict, *, path, page_size, register=None):
    """The listing of ``queryset`` (published, public entries) for these GET parameters.

    With ``register`` (whose published, public entries ``queryset`` is), the counts
    and the ordered ids of the matches are cached under its :func:`version_stamp`.
    """
    params = parse_params(querydict)
    queryset = queryset.order_by()
    data, key, timeout = cached_matches(queryset, params, register)

    page = Paginator(data["ids"], page_size).get_page(params.page)
    page_ids = list(page.object_list)

    def fetch():
        # Through the live, public queryset again: what the page shows is never a draft.
        by_id = {
            entry.pk: entry
            for entry in queryset.filter(pk__in=page_ids).prefetch_related(*CARD_PREFETCH)
        }
        return [by_id[pk] for pk in page_ids if pk in by_id]

    return Listing(
        params=params,
        path=path,
        page=page,
        # Read only when shown: not when the page's cached fragment is.
        entries=SimpleLazyObject(fetch),
        facets=facet_results(data["counts"], params),
        queryset=queryset,
        cache_version=key or "",
        cache_timeout=timeout,
    )
