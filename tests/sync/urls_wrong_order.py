"""A URL configuration with the register's files after Wagtail's pages (wrong)."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("", include(wagtail_urls)),
    path("", include("wagtail_algoregister.urls")),
]
