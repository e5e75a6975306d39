"""Search, facets, sorting and pagination of a register's public entries.

Everything here works on a queryset of published, public entries and on the
request's GET parameters, so that the register page, the API and any other
listing filter in the same way. The parameters are plain and shareable:

``q``
    full-text search (Wagtail search; PostgreSQL stems Dutch with
    ``SEARCH_CONFIG = "dutch"``)
``status``, ``publication_category``, ``category``, ``impact_assessment``, ``department``
    facets; a parameter may repeat (values of one facet are combined with OR,
    facets with AND)
``sort``
    ``relevance`` (default when searching), ``name`` (default otherwise) or ``changed``
``page``
    page number

The number of database queries does not depend on the number of entries:
facet counts are conditional aggregates (one query per distinct combination of
"the other active filters"), the search runs once, and the cards' impact
assessments are prefetched.

Those aggregates, the search and the sorting read every matching entry: at 20,000
entries they take most of a second. So the register page keeps their results (the
counts and the ordered ids of the matches, never page content) in Django's cache,
keyed on :func:`version_stamp`, which changes whenever Wagtail publishes, unpublishes,
moves, deletes, copies or restricts a page anywhere in the site (its page history),
and whenever the register gains or loses a child. A request then reads the stamp (one
small query), the cached numbers, and the entries of its page of results by id, still
through the live, public queryset: a draft or a private entry can never show. The
register page's template caches its rendered filters and results too, under the same
key (:attr:`Listing.cache_version`) with the host, the full path and the language; the
entries are then not read at all.
Searches are kept for at most :data:`SEARCH_CACHE_TIMEOUT` seconds besides, since the
search index is updated by a background task after publishing, without a page
history entry of its own.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from . import querystring, standard
from .fields import ChoiceListField


QUERY_PARAM = "q"
SORT_PARAM = "sort"
PAGE_PARAM = "page"
MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_FACET = 50
MAX_SEARCH_WORDS = 20

RELEVANCE, NAME, CHANGED = "relevance", "name", "changed"

# Related rows the entry card shows; prefetched for the whole page of results.
CARD_PREFETCH = ("impacttoetsen_grouping",)

CACHE_TIMEOUT = 60 * 60  # seconds; the version stamp invalidates earlier
SEARCH_CACHE_TIMEOUT = 60  # seconds: the search index follows publishing in the background


# -- impact assessments -------------------------------------------------------
#
# The national register filters on "DPIA", "IAMA", "Overig" (other) and "Geen"
# (none), derived from the titles in impacttoetsen_grouping. Titles are free
# text with a list of recommended values, so they are matched by pattern:
# "Pre-scan DPIA" is a scan that decides whether a DPIA is needed, not a DPIA,
# and counts as "other"; FRAIA is the English name of the IAMA
# (government.nl: "FRAIA is the English translation of Impact Assessment
# Mensenrechten en Algoritmes").

DPIA_Q = (
    Q(title__icontains="data protection impact assessment")
    | Q(title__icontains="gegevensbeschermingseffectbeoordeling")
    | Q(title__icontains="(dpia)")
    | Q(title__istartswith="dpia")
)
IAMA_Q = (
    Q(title__icontains="iama")
    | Q(title__icontains="fraia")
    | Q(title__icontains="mensenrechten en algoritme")
    | Q(title__icontains="fundamentele rechten en algoritme")
    | Q(title__icontains="fundamental rights and algorithm")
)


def assessment_kind(title):
    """The facet value ("dpia", "iama" or "other") of one impact assessment title."""
    text = (title or "").lower()
    if (
        "data protection impact assessment" in text
        or "gegevensbeschermingseffectbeoordeling" in text
        or "(dpia)" in text
        or text.startswith("dpia")
    ):
        return "dpia"
    if any(
        pattern in text
        for pattern in (
            "iama",
            "fraia",
            "mensenrechten en algoritme",
            "fundamentele rechten en algoritme",
            "fundamental rights and algorithm",
        )
    ):
        return "iama"
    return "other"


def _assessments(condition=None):
    from .models import ImpactAssessment

    rows = ImpactAssessment.objects.filter(page=OuterRef("pk"))
    return Exists(rows.filter(condition) if condition is not None else rows)


# -- facets -------------------------------------------------------------------


class Facet:
    """One facet: a URL parameter, its label, its values and how to filter on them."""

    key = ""
    dynamic = False  # values come from the data, not from a vocabulary

    @property
    def label(self):
        raise NotImplementedError

    def choices(self):
        """``[(value, label)]`` of a vocabulary facet."""
        return []

    def value_q(self, value):
        raise NotImplementedError

    def clean(self, values):
        """The known, distinct values among ``values``, in vocabulary order."""
        wanted = set(values)
        return [value for value, _label in self.choices() if value in wanted]

    def q(self, values):
        result = Q()
        for value in values:
            result |= self.value_q(value)
        return result


class ChoiceFacet(Facet):
    """A key of the standard with one value per entry (status, publication category)."""

    def __init__(self, key, *, alphabetical=False):
        self.key = key
        # Status and publication category have a natural order; themes are easier to scan A to Z.
        self.alphabetical = alphabetical

    @property
    def definition(self):
        return standard.get(self.key)

    @property
    def label(self):
        return self.definition.label

    def choices(self):
        choices = self.definition.choices
        if self.alphabetical:
            choices = sorted(choices, key=lambda choice: str(choice[1]).lower())
        return choices

    def value_q(self, value):
        return Q(**{self.definition.attribute: value})


class ChoiceListFacet(ChoiceFacet):
    """A key of the standard with a list of values per entry (themes)."""

    def value_q(self, value):
        return ChoiceListField.contains_q(self.definition.attribute, value)


class ImpactAssessmentFacet(Facet):
    key = "impact_assessment"

    @property
    def label(self):
        return standard.get("impacttoetsen_grouping").label

    def choices(self):
        return [
            ("dpia", _("DPIA")),
            ("iama", _("IAMA")),
            ("other", _("Other assessment")),
            ("none", _("No assessment listed")),
        ]

    def value_q(self, value):
        if value == "dpia":
            return Q(_assessments(DPIA_Q))
        if value == "iama":
            return Q(_assessments(IAMA_Q))
        if value == "other":
            return Q(_assessments(~DPIA_Q & ~IAMA_Q))
        if value == "none":
            return ~Q(_assessments())
        return Q(pk__in=[])


class DepartmentFacet(Facet):
    """The local field "responsible department": free text, values from the data."""

    key = "department"
    dynamic = True

    @property
    def label(self):
        return _("Responsible department")

    def clean(self, values):
        seen = []
        for value in values:
            value = value.strip()[:200]
            if value and value not in seen:
                seen.append(value)
        return seen

    def value_q(self, value):
        return Q(department=value)


def facets():
    """The register's facets, in the order the page shows them."""
    return [
        ChoiceFacet("status"),
        ChoiceFacet("publication_category"),
        ChoiceListFacet("category", alphabetical=True),
        ImpactAssessmentFacet(),
        DepartmentFacet(),
    ]


def facet_keys():
    return [facet.key for facet in facets()]


# -- parameters ---------------------------------------------------------------


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
    query = " ".join(querystring.text(querydict, QUERY_PARAM).split())[:MAX_QUERY_LENGTH]
    selected = {}
    for facet in facets():
        values = querystring.texts(querydict, facet.key, max_count=MAX_VALUES_PER_FACET)
        selected[facet.key] = facet.clean(values)
    sort = querydict.get(SORT_PARAM) or ""
    if sort not in (RELEVANCE, NAME, CHANGED):
        sort = ""
    # The HTML page is lenient: Paginator.get_page shows the first or last page instead.
    return Params(query=query, selected=selected, sort=sort, page=querydict.get(PAGE_PARAM) or "1")


# -- filtering and search -----------------------------------------------------


def filter_q(active, *, facet_list=None):
    """One Q for the active facet filters: OR within a facet, AND across facets."""
    result = Q()
    for facet in facet_list or facets():
        values = active.get(facet.key)
        if values:
            result &= facet.q(values)
    return result


def filter_entries(queryset, active):
    """``queryset`` restricted by ``{facet key: values}``.

    The facets become one ``id IN (subquery)`` condition, so the result can still
    be searched with Wagtail search (``id`` is indexed as a filter field).
    """
    q = filter_q(active)
    if not q:
        return queryset
    from .models import AlgorithmPage

    return queryset.filter(id__in=AlgorithmPage.objects.filter(q).values("pk"))


def search_words(query):
    """The words of a search, without punctuation.

    Residents type what they type; quotes, brackets and operators would be query
    syntax to some backends (SQLite FTS5 fails on an unbalanced quote). Every
    word must match (``operator="and"``), as in most search engines.
    """
    return " ".join(re.findall(r"\w+", query)[:MAX_SEARCH_WORDS])


def _search(queryset, query, order_by_relevance):
    return queryset.search(
        search_words(query), operator="and", order_by_relevance=order_by_relevance
    )


def search_q(queryset, query):
    """A Q that keeps the entries of ``queryset`` matching the full-text ``query``.

    With Wagtail's database backends the match is a subquery (one SQL
    statement, whatever the number of matches); other backends give a list of ids.
    """
    if not search_words(query):
        return Q(pk__in=[])
    results = _search(queryset, query, order_by_relevance=False)
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        return Q(pk__in=get_queryset().values("pk"))
    return Q(pk__in=[entry.pk for entry in results])


def ranked_ids(queryset, query):
    """Ids of the entries matching ``query``, best match first."""
    if not search_words(query):
        return []
    results = _search(queryset, query, order_by_relevance=True)
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        return list(get_queryset().values_list("pk", flat=True))
    return [entry.pk for entry in results]


ORDERINGS = {
    NAME: (Lower("title"), "pk"),
    CHANGED: (F("last_published_at").desc(nulls_last=True), Lower("title"), "pk"),
}


# -- facet counts -------------------------------------------------------------


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    id: str = ""


@dataclass
class FacetResult:
    key: str
    label: str
    options: list[Option]

    @property
    def selected(self):
        return [option for option in self.options if option.selected]


def facet_counts(queryset, params, restriction=None):
    """Counts per facet value under the *other* active filters (standard faceting).

    Facets that share the same set of other filters are counted together in one
    aggregate query; the department facet (values from the data) is one
    ``GROUP BY`` query per distinct filter set.
    """
    return facet_results(count_facet_values(queryset, params, restriction), params)


def count_facet_values(queryset, params, restriction=None):
    """``{facet key: {value: count}}``: the numbers behind :func:`facet_counts`."""
    facet_list = facets()
    active = params.active
    if restriction is not None:
        queryset = queryset.filter(restriction)
    groups = defaultdict(list)
    for facet in facet_list:
        others = tuple(sorted((k, tuple(v)) for k, v in active.items() if k != facet.key))
        groups[others].append(facet)

    counts = {}
    for others, members in groups.items():
        scoped = queryset.filter(filter_q(dict(others), facet_list=facet_list)).order_by()
        aggregates, names = {}, {}
        for number, facet in enumerate(members):
            if facet.dynamic:
                rows = (
                    scoped.exclude(**{facet.key: ""})
                    .values_list(facet.key)
                    .annotate(n=Count("pk"))
                    .order_by(facet.key)
                )
                counts[facet.key] = dict(rows)
                continue
            for index, (value, _label) in enumerate(facet.choices()):
                name = f"f{number}_{index}"
                aggregates[name] = Count("pk", filter=facet.value_q(value))
                names[name] = (facet.key, value)
        if aggregates:
            for name, count in scoped.aggregate(**aggregates).items():
                key, value = names[name]
                counts.setdefault(key, {})[value] = count
    return counts


def facet_results(counts, params):
    """The facets with their options, labels and counts, from :func:`count_facet_values`."""
    facet_list = facets()
    results = []
    for facet in facet_list:
        chosen = set(params.selected.get(facet.key, ()))
        values = counts.get(facet.key, {})
        if facet.dynamic:
            choices = [(value, value) for value in sorted(set(values) | chosen, key=str.lower)]
        else:
            choices = facet.choices()
        options = [
            Option(value=value, label=label, count=values.get(value, 0), selected=value in chosen)
            for value, label in choices
        ]
        # Options that would give no results are left out, unless chosen (so they can be unticked).
        options = [option for option in options if option.count or option.selected]
        for number, option in enumerate(options, start=1):
            option.id = f"ar-{facet.key.replace('_', '-')}-{number}"
        results.append(FacetResult(key=facet.key, label=facet.label, options=options))
    return results


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


def version_stamp(register):
    """A value that changes whenever the register's published, public entries may change.

    Wagtail writes a page history entry (``PageLogEntry``) when it publishes (also on
    schedule), unpublishes (also on expiry), moves, deletes, copies or converts an
    alias, and when an editor changes a view restriction; the register's ``numchild``
    changes when entries are added, moved away or deleted in any other way, and the
    count of view restrictions when one is made or removed in code. One query on small
    or indexed tables, however many entries there are. (Live content changed by
    ``save()`` alone, without a revision, bypasses Wagtail's history: the cache keeps
    such a change hidden until the next history entry or :data:`CACHE_TIMEOUT`.)
    """
    from django.db import connection
    from wagtail.models import PageLogEntry, PageViewRestriction

    name = connection.ops.quote_name
    history = name(PageLogEntry._meta.db_table)
    restrictions = name(PageViewRestriction._meta.db_table)
    # Quoted table names of the models, no input:
    sql = (
        f"SELECT (SELECT MAX(id) FROM {history}), (SELECT MAX(timestamp) FROM {history}), "  # noqa: S608
        f"(SELECT COUNT(*) FROM {restrictions}), (SELECT MAX(id) FROM {restrictions})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        values = cursor.fetchone()
    return f"{register.pk}.{register.path}.{register.numchild}.{register.live}." + ".".join(
        str(value) for value in values
    )


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


def _cache_key(stamp, params):
    what = repr((params.query, sorted(params.active.items()), params.effective_sort))
    digest = hashlib.sha256(f"{stamp}|{what}".encode()).hexdigest()[:40]
    return f"wagtail_algoregister:listing:{digest}"


def build_listing(queryset, querydict, *, path, page_size, register=None):
    """The listing of ``queryset`` (published, public entries) for these GET parameters.

    With ``register`` (whose published, public entries ``queryset`` is), the counts
    and the ordered ids of the matches are cached under its :func:`version_stamp`.
    """
    params = parse_params(querydict)
    queryset = queryset.order_by()
    key = _cache_key(version_stamp(register), params) if register is not None else None
    data = cache.get(key) if key else None
    timeout = SEARCH_CACHE_TIMEOUT if params.query else CACHE_TIMEOUT
    if data is None:
        data = _matches(queryset, params)
        if key:
            cache.set(key, data, timeout)

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
