"""A site's URLs as the README's install section has them: no language prefixes, no set_language."""

from django.urls import include, path
from wagtail import urls as wagtail_urls


urlpatterns = [
    path("", include("wagtail_algoregister.urls")),
    path("", include(wagtail_urls)),
]
