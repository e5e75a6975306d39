"""Settings of wagtail-algoregister, read from the ``WAGTAIL_ALGOREGISTER`` dict.

Usage: ``from wagtail_algoregister.conf import algoregister_settings`` and then
``algoregister_settings.BASE_TEMPLATE``. Values are re-read when the setting
changes (``override_settings`` in tests).
"""

from django.conf import settings
from django.core.signals import setting_changed


DEFAULTS = {
    # Template that the public register pages extend. The packaged default is a
    # complete, accessible page; sites point this at their own base template.
    "BASE_TEMPLATE": "wagtail_algoregister/base.html",
    # Number of entries per page on the public register page.
    "PAGE_SIZE": 20,
    # Entries per page of the DCAT catalogue (catalog.ttl, ...); harvesters follow the pages.
    "CATALOG_PAGE_SIZE": 100,
    # Where an entry's national page lives: ``{base}/{language}/algoritme/{slug}/{lars}``.
    "NATIONAL_REGISTER_URL": "https://algoritmes.overheid.nl",
    # Open-data portals that published entries are pushed to (see ckan_export.conf).
    "CKAN_PORTALS": {},
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
