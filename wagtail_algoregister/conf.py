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
    # Open-data portals that published entries are pushed to (see ckan_export.conf).
    "CKAN_PORTALS": {},
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
