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

from wagtail_algoregister.listing.cache import CACHE_TIMEOUT, version_stamp
from wagtail_algoregister.listing.counts import facet_counts
from wagtail_algoregister.listing.facets import (
    ImpactAssessmentFacet,
    assessment_kind,
    facet_keys,
    facets,
    filter_entries,
)
from wagtail_algoregister.listing.params import parse_params
from wagtail_algoregister.listing.results import CARD_PREFETCH, Listing, build_listing, warm_listing


__all__ = [
    "CACHE_TIMEOUT",
    "CARD_PREFETCH",
    "ImpactAssessmentFacet",
    "Listing",
    "assessment_kind",
    "build_listing",
    "facet_counts",
    "facet_keys",
    "facets",
    "filter_entries",
    "parse_params",
    "version_stamp",
    "warm_listing",
]
