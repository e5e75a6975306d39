"""The site's API (Wagtail API v2, read-only).

- /api/v2/algorithms/: the published, public entries of the site's registers, with the
  register page's filters (status, publication_category, category, impact_assessment,
  department; repeat a filter for OR) and Wagtail's search, order, child_of and fields.
- /api/v2/pages/: every public page; algorithm pages (type=wagtail_algoregister.AlgorithmPage)
  take the same filters.
"""

from wagtail.api.v2.router import WagtailAPIRouter

from wagtail_algoregister.api import AlgorithmPagesAPIViewSet, RegisterPagesAPIViewSet


api_router = WagtailAPIRouter("wagtailapi")
# First, so that links to an entry from other endpoints point at /api/v2/algorithms/<id>/.
api_router.register_endpoint("algorithms", AlgorithmPagesAPIViewSet)
api_router.register_endpoint("pages", RegisterPagesAPIViewSet)
