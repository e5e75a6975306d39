"""The options of the national register upload (one exporter), as the client reads them.

Example::

    WAGTAIL_ALGOREGISTER = {
        "EXPORTERS": {
            "national": {
                "BACKEND": "national_export.exporter.NationalExporter",
                "URL": "https://algoritmes.overheid.nl/aanleverapi/v1_0",
                "TOKEN_URL": "https://<keycloak>/realms/<realm>/protocol/openid-connect/token",
                "CLIENT_ID": "authentication-client",      # Keycloak client of the password grant
                "USERNAME_ENV": "NATIONAL_REGISTER_USERNAME",  # names of environment variables,
                "PASSWORD_ENV": "NATIONAL_REGISTER_PASSWORD",  # never the values themselves
                "TOKEN_ENV": "",                 # or: a variable holding a ready bearer token
                "ORGANISATION_ID": None,         # default: each register's organisation code
                "RATE_LIMIT": 25,                # requests per RATE_WINDOW seconds (0: no limit)
                "RATE_WINDOW": 60,
                "RATE_LIMIT_CACHE": None,        # a cache alias to share the limit between processes
                "TIMEOUT": 30,                   # seconds per request
                "RELEASE": True,                 # release ("vrijgeven") every saved version
                "REGISTERS": None,               # None: all registers; else page ids or url paths
            },
        }
    }

``URL`` and ``TOKEN_URL`` must be https (plain http only with
``WAGTAIL_ALGOREGISTER["ALLOW_HTTP"]``, for tests). Credentials are read from the environment when needed; they are never stored in the
database, page content, logs or the admin. (Tests may put ``USERNAME``, ``PASSWORD`` or
``TOKEN`` directly in the options; those are not shown either.)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


DEFAULT_CLIENT_ID = "authentication-client"


@dataclass(frozen=True)
class NationalRegister:
    url: str
    token_url: str = ""
    client_id: str = DEFAULT_CLIENT_ID
    username_env: str = "NATIONAL_REGISTER_USERNAME"
    password_env: str = "NATIONAL_REGISTER_PASSWORD"  # noqa: S105 (a variable name)
    token_env: str = ""
    organisation_id: str | None = None
    rate_limit: int = 25
    rate_window: float = 60.0
    rate_limit_cache: str | None = None
    timeout: float = 30.0
    release: bool = True
    registers: tuple | None = None
    # Only for tests: secrets directly in the settings. Never shown (repr=False).
    username_setting: str = field(default="", repr=False)
    password_setting: str = field(default="", repr=False)
    token_setting: str = field(default="", repr=False)

    @property
    def username(self) -> str:
        return self.username_setting or os.environ.get(self.username_env, "")

    @property
    def password(self) -> str:
        return self.password_setting or os.environ.get(self.password_env, "")

    @property
    def static_token(self) -> str:
        """A ready bearer token, when configured instead of a username and password."""
        if self.token_setting:
            return self.token_setting
        return os.environ.get(self.token_env, "") if self.token_env else ""

    @property
    def has_credentials(self) -> bool:
        return bool(self.static_token or (self.token_url and self.username and self.password))

    def public_settings(self) -> dict:
        """The settings without any secret (for hashes, logs and the admin)."""
        return {
            "url": self.url,
            "token_url": self.token_url,
            "client_id": self.client_id,
            "organisation_id": self.organisation_id,
            "release": self.release,
            "registers": self.registers,
        }

    def __str__(self):
        return self.url


def register_from_options(options: dict) -> NationalRegister:
    """The configuration of an exporter's options (checked by the exporter first)."""
    registers = options.get("REGISTERS")
    return NationalRegister(
        url=options["URL"].rstrip("/"),
        token_url=options.get("TOKEN_URL") or "",
        client_id=options.get("CLIENT_ID") or DEFAULT_CLIENT_ID,
        username_env=options.get("USERNAME_ENV", "NATIONAL_REGISTER_USERNAME"),
        password_env=options.get("PASSWORD_ENV", "NATIONAL_REGISTER_PASSWORD"),
        token_env=options.get("TOKEN_ENV") or "",
        organisation_id=options.get("ORGANISATION_ID") or None,
        rate_limit=int(options.get("RATE_LIMIT", 25)),
        rate_window=float(options.get("RATE_WINDOW", 60)),
        rate_limit_cache=options.get("RATE_LIMIT_CACHE") or None,
        timeout=float(options.get("TIMEOUT", 30)),
        release=bool(options.get("RELEASE", True)),
        registers=tuple(registers) if registers is not None else None,
        username_setting=options.get("USERNAME") or "",
        password_setting=options.get("PASSWORD") or "",
        token_setting=options.get("TOKEN") or "",
    )
