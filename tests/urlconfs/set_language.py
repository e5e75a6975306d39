"""As plain.py, with Django's set_language view (django.conf.urls.i18n)."""

from django.urls import include, path

from .plain import urlpatterns as plain


urlpatterns = [path("i18n/", include("django.conf.urls.i18n")), *plain]
