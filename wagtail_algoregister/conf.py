"""Settings of wagtail-algoregister, read from the ``WAGTAIL_ALGOREGISTER`` dict.

Usage: ``from wagtail_algoregister.conf import algoregister_settings`` and then
``algoregister_settings.BASE_TEMPLATE``. Values are re-read when the setting
changes (``override_settings`` in tests).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed


DEFAULTS = {
    # Template that the public register pages extend. The packaged default is a
    # complete, accessible page; sites point this at their own base template.
    "BASE_TEMPLATE": "wagtail_algoregister/base.html",
    # Load the package's stylesheet (wagtail_algoregister/css/register.css) on its public
    # pages. It follows NL Design System token names, so a site's theme restyles it;
    # False leaves all styling to the site.
    "STYLESHEET": True,
    # Number of entries per page on the public register page.
    "PAGE_SIZE": 20,
    # Entries per page of the DCAT catalogue (catalog.ttl, ...); harvesters follow the pages.
    "CATALOG_PAGE_SIZE": 100,
    # Where an entry's national page lives: ``{base}/{language}/algoritme/{slug}/{lars}``.
    "NATIONAL_REGISTER_URL": "https://algoritmes.overheid.nl",
    # Where published entries are sent: {name: {"BACKEND": dotted path, ...options}}, one
    # per target (see wagtail_algoregister.sync.base.BaseExporter and docs/architecture.md).
    "EXPORTERS": {},
    # Exporters send tokens and passwords: their URLs must be https. True lets them use
    # plain http too (a portal on 127.0.0.1 in tests or a local demo; never in production).
    "ALLOW_HTTP": False,
    # Limits of an import (``algoregister_import``, an upload): a file beyond one is
    # refused before it is read further (see wagtail_algoregister.importing.limits).
    "IMPORT_MAX_FILE_SIZE": 50 * 1024 * 1024,  # bytes of the file
    "IMPORT_MAX_UNCOMPRESSED_SIZE": 200 * 1024 * 1024,  # bytes an XLSX unpacks to
    "IMPORT_MAX_ENTRIES": 20_000,  # entries (rows, or columns of the national XLSX)
    "IMPORT_MAX_CELLS": 2_000_000,  # cells of an XLSX sheet (as it declares or holds)
    "IMPORT_MAX_JSON_DEPTH": 20,  # levels of nested lists and objects in JSON
    # An import in the admin of a file with more entries than this (or of more than
    # 1 MB) is checked and written by a task worker, with progress, not in the request
    # (see wagtail_algoregister.importing.jobs).
    "IMPORT_BACKGROUND_ENTRIES": 100,
    # The link checker's limits (see wagtail_algoregister.quality.linkcheck.DEFAULTS).
    "LINK_CHECK": {},
    # Residents' messages about an entry (``<entry URL>feedback/``), see wagtail_algoregister.feedback:
    # a form sent sooner than this many seconds after it was shown is taken for a robot;
    "FEEDBACK_MIN_SECONDS": 3,
    # a form older than this many seconds is shown again to be sent anew;
    "FEEDBACK_MAX_AGE": 24 * 60 * 60,
    # at most this many sendings per client (IP address) per period in seconds (Django's cache);
    "FEEDBACK_RATE_LIMIT": (10, 60 * 60),
    # names, e-mail addresses and texts of messages are removed this many days after
    # they came in (``manage.py algoregister_feedback_retention``, run it daily).
    "FEEDBACK_RETENTION_DAYS": 365,
}


class AlgoregisterSettings:
    def __init__(self, defaults):
        self.defaults = defaults
        self._cache = None

    @property
    def user_settings(self):
        if self._cache is None:
            self._cache = getattr(settings, "WAGTAIL_ALGOREGISTER", {}) or {}
        return self._cache

    def __getattr__(self, name):
        if name not in self.defaults:
            raise AttributeError(f"Unknown WAGTAIL_ALGOREGISTER setting: {name!r}")
        return self.user_settings.get(name, self.defaults[name])

    def reload(self):
        self._cache = None


algoregister_settings = AlgoregisterSettings(DEFAULTS)


def _reload(*, setting, **kwargs):
    if setting == "WAGTAIL_ALGOREGISTER":
        algoregister_settings.reload()


setting_changed.connect(_reload)


def require_https(url: str, setting: str) -> str:
    """``url`` when it is an https URL (or http with ``ALLOW_HTTP``); else
    ``ImproperlyConfigured`` naming ``setting``. Exporters check every address they send
    credentials to, so that no token or password ever travels unencrypted."""
    scheme = urlsplit(url).scheme.lower()
    allowed = ("https", "http") if algoregister_settings.ALLOW_HTTP else ("https",)
    if scheme not in allowed or not urlsplit(url).hostname:
        hint = (
            "" if scheme != "http" else " (plain http only with WAGTAIL_ALGOREGISTER['ALLOW_HTTP'])"
        )
        raise ImproperlyConfigured(f"{setting} must be an https URL{hint}, not {url!r}")
    return url


def https_problem(url, setting: str) -> str:
    """What :func:`require_https` would refuse about ``url``, or ``""``."""
    try:
        require_https(str(url), setting)
    except ImproperlyConfigured as error:
        return str(error)
    return ""
