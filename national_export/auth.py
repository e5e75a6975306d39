"""Bearer tokens for the upload API: Keycloak's password grant, cached per process.

The national register's API accepts Keycloak (OpenID Connect) access tokens. Accounts
are personal (an e-mail address and a password issued by the register team); the
register's own tooling (MinBZK/amt ``algoritmeregister/auth.py``) obtains tokens with
the resource-owner password grant on the client ``authentication-client`` and an
empty ``totp``, and so do we. A token is reused until shortly before it expires
(``expires_in`` of the answer, else the JWT's ``exp``) and fetched again once when the
API answers 401. A ready bearer token can be configured instead (``TOKEN_ENV``); it
cannot be refreshed.

Nothing here logs or stores a credential or a token, and the token request follows no
redirect: the password goes to ``TOKEN_URL`` (https) and nowhere else.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext as _

from wagtail_algoregister.sync.errors import NotAuthorised, PermanentError, TransientError

from .conf import NationalRegister


# Fetch a new token this many seconds before the old one expires.
EXPIRY_MARGIN = 30.0
DEFAULT_LIFETIME = 300.0

_cache: dict[tuple, tuple[str, float]] = {}
_lock = threading.Lock()


def clear_cache():
    with _lock:
        _cache.clear()


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim of a JWT (seconds since the epoch), without checking the signature."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        return float(json.loads(base64.urlsafe_b64decode(payload))["exp"])
    except (IndexError, KeyError, TypeError, ValueError):
        return None


class TokenProvider:
    """Gives a valid bearer token for one account; ``clock`` is the wall clock (for tests)."""

    def __init__(self, config: NationalRegister, *, session=None, clock=time.time):
        self.config = config
        self.session = session or requests.Session()
        self.clock = clock
        self.key = (config.token_url, config.client_id, config.username)
        self.requests = 0  # token requests made, for tests

    def token(self, *, refresh: bool = False) -> str:
        static = self.config.static_token
        if static:
            return static
        with _lock:
            cached = _cache.get(self.key)
            if cached and not refresh and cached[1] - EXPIRY_MARGIN > self.clock():
                return cached[0]
            token, expires_at = self._fetch()
            _cache[self.key] = (token, expires_at)
            return token

    def invalidate(self, token: str):
        with _lock:
            if _cache.get(self.key, ("",))[0] == token:
                del _cache[self.key]

    @property
    def can_refresh(self) -> bool:
        return not self.config.static_token

    def _fetch(self) -> tuple[str, float]:
        config = self.config
        if not config.token_url:
            raise NotAuthorised(_("No token URL is configured for the national register."))
        if not (config.username and config.password):
            raise NotAuthorised(
                _(
                    "No credentials for the national register: set the environment variables "
                    "%(username)s and %(password)s."
                )
                % {"username": config.username_env, "password": config.password_env}
            )
        self.requests += 1
        try:
            response = self.session.post(
                config.token_url,
                data={
                    "grant_type": "password",
                    "client_id": config.client_id,
                    "username": config.username,
                    "password": config.password,
                    "totp": "",
                },
                headers={"Accept": "application/json"},
                timeout=config.timeout,
                # A redirect would send the password on to wherever it points.
                allow_redirects=False,
            )
        except requests.Timeout:
            raise TransientError(
                _("The national register's login service did not answer; will try again.")
            ) from None
        except requests.RequestException:
            raise TransientError(
                _("Could not reach the national register's login service; will try again.")
            ) from None
        if response.is_redirect:
            location = urlsplit(response.headers.get("Location", ""))
            raise NotAuthorised(
                _(
                    "The national register's login service answered with a redirect (HTTP "
                    "%(status)s, to %(host)s); the credentials were not sent on. Set TOKEN_URL "
                    "to the address of the token endpoint itself."
                )
                % {"status": response.status_code, "host": location.netloc or "?"},
                status=response.status_code,
            )
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientError(
                _("The national register's login service answered %(status)s; will try again.")
                % {"status": response.status_code},
                status=response.status_code,
            )
        if response.status_code != 200:
            raise NotAuthorised(
                _(
                    "The national register's login service refused the credentials (HTTP "
                    "%(status)s): check the account in %(username)s / %(password)s and the client "
                    "id “%(client)s”."
                )
                % {
                    "status": response.status_code,
                    "username": config.username_env,
                    "password": config.password_env,
                    "client": config.client_id,
                },
                status=response.status_code,
            )
        try:
            body = response.json()
            token = body["access_token"]
        except (ValueError, KeyError, TypeError):
            raise PermanentError(
                _("The national register's login service gave no access token.")
            ) from None
        now = self.clock()
        try:
            expires_at = now + float(body["expires_in"])
        except (KeyError, TypeError, ValueError):
            expires_at = jwt_expiry(token) or now + DEFAULT_LIFETIME
        return token, expires_at
