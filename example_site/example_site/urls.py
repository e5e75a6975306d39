import datetime

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from .api import api_router
from .sitemaps import SiteSitemap


def robots_txt(request):
    """Everything may be crawled but the admin; the sitemap lists every public page."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": SiteSitemap}}),
    path("robots.txt", robots_txt),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public pages in Dutch at /..., in English at /en/... . Without a prefix the page is
# Dutch whatever the browser asks for: a Dutch municipality's site speaks Dutch first,
# and every page links to its English version (the language switch).
urlpatterns += i18n_patterns(
    path(
        "toegankelijkheid/",
        TemplateView.as_view(
            template_name="wagtail_algoregister/accessibility_statement.html",
            extra_context={
                "base_template": "base.html",
                "organisation": "Gemeente Noorderhaaks",
                "contact_email": "toegankelijkheid@noorderhaaks.nl",
                "complaint_url": "https://www.noorderhaaks.nl/klacht",
                "statement_date": datetime.date(2026, 11, 23),
            },
        ),
        name="accessibility_statement",
    ),
    # The register's files (export.csv, catalog.ttl, feed.atom) before Wagtail's pages.
    path("", include("wagtail_algoregister.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
