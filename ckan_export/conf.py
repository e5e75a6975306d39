"""Target portals, from ``WAGTAIL_ALGOREGISTER["CKAN_PORTALS"]``.

Example::

    WAGTAIL_ALGOREGISTER = {
        "CKAN_PORTALS": {
            "donl": {
                "URL": "https://data.overheid.nl/data",
                "ORGANIZATION": "gemeente-noorderhaaks",   # owner_org
                "PROFILE": "donl",                        # or "ckan"
                "TOKEN_ENV": "CKAN_DONL_TOKEN",           # name of the environment variable
                "WITHDRAW": "delete",                     # delete (soft, default) | private | purge
                "TIMEOUT": 30,                            # seconds per request
                "RATE_LIMIT": 1.0,                        # requests per second (0: no limit)
                "REGISTERS": None,                        # None: all registers; else page ids or url paths
                "AUTHORITY_URI": None,                    # DONL authority/publisher URI (default from the code)
                "LICENSE_ID": None,                       # default: CC0 (profile's choice)
                "DATASET_TYPE": None,                     # CKAN dataset type, e.g. for ckanext-scheming
                "NAME_PREFIX": None,                      # prefix of dataset names (default: organisation code)
            }
        }
    }

The API token itself is never stored in settings files, the database, page
content, logs or the admin: only the name of the environment variable that
holds it (or, for tests, ``TOKEN`` directly in settings).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

from wagtail_algoregister.conf import algoregister_settings, require_https


WITHDRAW_POLICIES = ("delete", "private", "purge")
PROFILES = ("donl", "ckan")


@dataclass(frozen=True)
class Portal:
    name: str
    url: str
    organization: str
    profile: str = "donl"
    token_env: str = ""
    token_setting: str = field(default="", repr=False)
    withdraw: str = "delete"
    timeout: float = 30.0
    rate_limit: float = 1.0
    registers: tuple | None = None
    authority_uri: str | None = None
    license_id: str | None = None
    dataset_type: str | None = None
    name_prefix: str | None = None

    @property
    def token(self) -> str:
        """The API token, read when needed; never logged or shown."""
        if self.token_setting:
            return self.token_setting
        return os.environ.get(self.token_env, "") if self.token_env else ""

    def __str__(self):
        return self.name


def _portal(name, spec):
    missing = [key for key in ("URL", "ORGANIZATION") if not spec.get(key)]
    if missing:
        raise ImproperlyConfigured(f"CKAN portal {name!r}: missing {', '.join(missing)}")
    profile = spec.get("PROFILE", "donl")
    if profile not in PROFILES:
        raise ImproperlyConfigured(
            f"CKAN portal {name!r}: PROFILE must be one of {PROFILES}, not {profile!r}"
        )
    withdraw = spec.get("WITHDRAW", "delete")
    if withdraw not in WITHDRAW_POLICIES:
        raise ImproperlyConfigured(
            f"CKAN portal {name!r}: WITHDRAW must be one of {WITHDRAW_POLICIES}, not {withdraw!r}"
        )
    registers = spec.get("REGISTERS")
    return Portal(
        name=name,
        url=require_https(spec["URL"], f"CKAN portal {name!r}: URL").rstrip("/"),
        organization=spec["ORGANIZATION"],
        profile=profile,
        token_env=spec.get("TOKEN_ENV", ""),
        token_setting=spec.get("TOKEN", ""),
        withdraw=withdraw,
        timeout=float(spec.get("TIMEOUT", 30)),
        rate_limit=float(spec.get("RATE_LIMIT", 1.0)),
        registers=tuple(registers) if registers is not None else None,
        authority_uri=spec.get("AUTHORITY_URI"),
        license_id=spec.get("LICENSE_ID"),
        dataset_type=spec.get("DATASET_TYPE"),
        name_prefix=spec.get("NAME_PREFIX"),
    )


def portals() -> dict[str, Portal]:
    return {
        name: _portal(name, spec)
        for name, spec in (algoregister_settings.CKAN_PORTALS or {}).items()
    }


def get_portal(name: str) -> Portal:
    try:
        return portals()[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No CKAN portal named {name!r} in WAGTAIL_ALGOREGISTER['CKAN_PORTALS']"
        ) from None
