"""Error reports (Django's debug page and the e-mails to ADMINS) without the exporters'
credentials.

Django's :class:`~django.views.debug.SafeExceptionReporterFilter` hides settings and
``request.META`` keys that look secret (``PASS``, ``TOKEN``, ``KEY``...), but not the
national register's username (an e-mail address, ``NATIONAL_REGISTER_USERNAME``), a
``DATABASE_URL`` with its password, nor the variables of the frames of a traceback
while ``DEBUG`` is on (a token request's form holds the username and password). This
filter also hides keys naming a username, login or database URL, and every value,
anywhere in the report, that contains one of the configured credentials. Use it with::

    DEFAULT_EXCEPTION_REPORTER_FILTER = "wagtail_algoregister.debug.SecretsExceptionReporterFilter"
"""

from __future__ import annotations

import os
import pprint
import re
from urllib.parse import quote, quote_plus

from django.conf import settings
from django.views.debug import SafeExceptionReporterFilter


# Django's own pattern, and names of usernames, logins and URLs with credentials in them.
HIDDEN = (
    "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE"
    "|USERNAME|LOGIN|CREDENTIAL|DATABASE_URL|DSN"
)
MIN_SECRET_LENGTH = 4  # shorter values would hide half the report


def configured_secrets() -> set[str]:
    """The exporters' credentials as configured now: the values of the environment
    variables their settings name (``*_ENV``) and any value given directly (tests)."""
    config = getattr(settings, "WAGTAIL_ALGOREGISTER", None) or {}
    exporters = config.get("EXPORTERS")
    specs = list(exporters.values()) if isinstance(exporters, dict) else []
    # The keys of older versions (named by ``manage.py check``), in case a site still has them.
    specs.append(config.get("NATIONAL_REGISTER") or {})
    old_portals = config.get("CKAN_PORTALS")
    specs += list(old_portals.values()) if isinstance(old_portals, dict) else []
    values = set()
    for spec in specs:
        if not isinstance(spec, dict):
            continue
        # Read without importing the exporters: an error report must not fail on them.
        for key, value in spec.items():
            if key.endswith("_ENV") and isinstance(value, str) and value:
                values.add(os.environ.get(value, ""))
            elif re.search(r"USERNAME|PASSWORD|TOKEN|SECRET|KEY", key) and isinstance(value, str):
                values.add(value)
    return {value for value in values if isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH}


def _forms(secret):
    # As typed, and as it appears in a form body or a URL.
    return {secret, quote_plus(secret), quote(secret, safe="")}


class SecretsExceptionReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(HIDDEN, flags=re.I)

    def is_active(self, request):
        # Also with DEBUG on: the debug page of a demo or a test site is seen by people too.
        return True

    def _secrets(self):
        if not hasattr(self, "_cached_secrets"):
            self._cached_secrets = {form for s in configured_secrets() for form in _forms(s)}
        return self._cached_secrets

    def mentions_secret(self, value) -> bool:
        secrets = self._secrets()
        if not secrets:
            return False
        try:
            if isinstance(value, bytes):
                text = value.decode("utf-8", "replace")
            elif isinstance(value, str):
                text = value
            else:
                text = pprint.pformat(value)
        except Exception:  # a repr that fails shows nothing of itself either
            return False
        return any(secret in text for secret in secrets)

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, (str, bytes)) and self.mentions_secret(cleansed):
            return self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self.cleansed_substitute if self.mentions_secret(value) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]
