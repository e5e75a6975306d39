"""URLs for the register's files (``export.csv``, ``catalog.ttl``, ``feed.atom``, ...).

Wagtail's own page URLs have no dots, so these file-like URLs need one pattern of
their own, placed before Wagtail's in the site's urls.py::

    urlpatterns += [
        path("", include("wagtail_algoregister.urls")),
        path("", include(wagtail_urls)),
    ]

The request is then served by Wagtail as usual (privacy, site and locale
handling included) and routed by the page to its view.
"""

from django.urls import re_path
from wagtail import views as wagtail_views


FILES = r"export\.(?:csv|xlsx|json)|catalog\.(?:ttl|jsonld|rdf)|feed\.atom"


def serve_file(request, path, filename):
    # The page's routes end in a slash, like every other Wagtail page route.
    return wagtail_views.serve(request, f"{path}{filename}/")


urlpatterns = [
    re_path(
        rf"^(?P<path>(?:[\w\-]+/)*)(?P<filename>{FILES})$",
        serve_file,
        name="wagtail_algoregister_file",
    ),
]
