"""The register in Wagtail's API v2: read-only, published and public entries only.

Register the endpoints in your site's API router::

    from wagtail.api.v2.router import WagtailAPIRouter
    from wagtail_algoregister.api import AlgorithmPagesAPIViewSet, RegisterPagesAPIViewSet

    api_router = WagtailAPIRouter("wagtailapi")
    api_router.register_endpoint("algorithms", AlgorithmPagesAPIViewSet)
    api_router.register_endpoint("pages", RegisterPagesAPIViewSet)

``/api/v2/algorithms/`` lists the entries of every register of the site with
the filters of the register page: ``status``, ``publication_category``,
``category`` (theme), ``impact_assessment`` (``dpia``, ``iama``, ``other``,
``none``) and ``department``; a filter may repeat (OR within a filter, AND
across filters). Wagtail's own ``search``, ``order``, ``child_of`` (one
register), ``fields``, ``limit`` and ``offset`` work as usual.

``RegisterPagesAPIViewSet`` is Wagtail's pages endpoint with the same facet
filters for ``?type=wagtail_algoregister.AlgorithmPage`` (Wagtail's plain field
filter cannot filter the theme list).

The entries' ``api_fields`` are defined on the model (``models.AlgorithmPage``).
"""

from django.http import Http404
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from wagtail_algoregister import standard
from wagtail_algoregister.listing import CARD_PREFETCH, facet_keys, facets, filter_entries
from wagtail_algoregister.listing.params import (
    MAX_INTEGER,
    MAX_QUERY_LENGTH,
    BadParameter,
    text,
    texts,
    whole_number,
)
from wagtail_algoregister.models import AlgorithmPage


# -- filtering ----------------------------------------------------------------


class AlgorithmFacetFilter(BaseFilterBackend):
    """The register page's facets as API filters (``?category=Verkeer&category=Wonen``).

    Unknown vocabulary values are refused with HTTP 400 and the allowed values.
    """

    def filter_queryset(self, request, queryset, view):
        if not issubclass(queryset.model, AlgorithmPage):
            return queryset
        active = {}
        for facet in facets():
            values = texts(request.GET, facet.key)
            if not values:
                continue
            cleaned = facet.clean(values)
            unknown = [value for value in values if value not in cleaned]
            if unknown and not facet.dynamic:
                allowed = ", ".join(value for value, _label in facet.choices())
                raise BadRequestError(
                    f"{facet.key} filter error: {', '.join(unknown)!s} is not one of: {allowed}"
                )
            active[facet.key] = cleaned
        return filter_entries(queryset, active)


class _WithoutFacetFields:
    """A view proxy for Wagtail's FieldsFilter that leaves the facets to AlgorithmFacetFilter."""

    def __init__(self, view):
        self.view = view

    def get_available_fields(self, model, db_fields_only=False):
        keys = set(facet_keys())
        return [
            name
            for name in self.view.get_available_fields(model, db_fields_only=db_fields_only)
            if name not in keys
        ]


class PlainFieldsFilter(FieldsFilter):
    """Wagtail's field filter (``?slug=...``) for every field except the facets."""

    def filter_queryset(self, request, queryset, view):
        return super().filter_queryset(request, queryset, _WithoutFacetFields(view))


class _WithQuery:
    """The request as a filter sees it, with other GET parameters."""

    def __init__(self, request, query):
        self._request = request
        self.GET = query

    def __getattr__(self, name):
        return getattr(self._request, name)


class CleanSearchFilter(SearchFilter):
    """Wagtail's search filter, given a search it can run: without control characters
    (SQLite's full-text search stops at U+0000, PostgreSQL refuses it), at most
    ``MAX_QUERY_LENGTH`` characters (as the register page), and ``search_operator``
    ``and`` or ``or`` only (anything else is 400, not an error in the search backend)."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        operator = request.GET.get("search_operator")
        if operator is not None and operator not in ("and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")
        query = request.GET.copy()
        query["search"] = text(request.GET, "search", max_length=MAX_QUERY_LENGTH)
        return super().filter_queryset(_WithQuery(request, query), queryset, view)


def _filter_backends():
    backends = list(PagesAPIViewSet.filter_backends)
    # Facets go before the search filter, which has to come last.
    backends[backends.index(FieldsFilter)] = PlainFieldsFilter
    backends.insert(backends.index(PlainFieldsFilter) + 1, AlgorithmFacetFilter)
    backends[backends.index(SearchFilter)] = CleanSearchFilter
    return backends


class Pagination(WagtailPagination):
    """Wagtail's ``offset``/``limit`` paging, with the numbers read by
    :func:`wagtail_algoregister.listing.params.whole_number`: an offset past any database's
    integers is 400, not an overflow in the database."""

    def paginate_queryset(self, queryset, request, view=None):
        try:
            whole_number(request.GET, "offset", default=0)
            whole_number(request.GET, "limit", default=0)
        except BadParameter as error:
            raise BadRequestError(str(error)) from None
        return super().paginate_queryset(queryset, request, view)


# -- endpoints ----------------------------------------------------------------


class RegisterPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint, with the facet filters for algorithm pages."""

    filter_backends = _filter_backends()
    pagination_class = Pagination

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(facet_keys())

    def get_object(self):
        # The URL's <int:pk> may be any length; past the database's integers nothing exists.
        if int(self.kwargs.get(self.lookup_field, 0)) > MAX_INTEGER:
            raise Http404("not found")
        return super().get_object()

    def find_object(self, queryset, request):
        query = request.GET.copy()
        if "id" in query:
            try:
                query["id"] = str(whole_number(query, "id"))
            except BadParameter as error:
                raise BadRequestError(str(error)) from None
        if "html_path" in query:
            query["html_path"] = text(query, "html_path")
        return super().find_object(queryset, _WithQuery(request, query))


class AlgorithmPagesAPIViewSet(RegisterPagesAPIViewSet):
    """Published, public entries of the site's registers (``/api/v2/algorithms/``)."""

    name = "algorithms"

    model = AlgorithmPage

    # One model: ``type`` would not narrow anything.
    known_query_parameters = RegisterPagesAPIViewSet.known_query_parameters - {"type"}

    @classmethod
    def get_listing_default_fields(cls, model):
        # What the register's cards show.
        return super().get_listing_default_fields(model) + [
            "description_short",
            "status",
            "publication_category",
            "category",
            "last_published_at",
        ]

    def get_queryset(self):
        # Live pages of this site that the request may see (Wagtail's rules), and
        # never an entry in a private section, whoever asks: the same entries as
        # the public register page.
        model = self.model
        groupings = [d.attribute for d in standard.grouping_fields()]
        prefetch = list(dict.fromkeys([*CARD_PREFETCH, *groupings]))
        return (
            model.objects.live()
            .public()
            .filter(pk__in=self.get_base_queryset().values("pk"))
            .select_related("locale")
            .prefetch_related(*prefetch)
            .order_by("id")
        )
