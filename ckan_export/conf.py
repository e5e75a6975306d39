"""The options of one CKAN portal (one exporter), as the profiles and names read them.

Example::

    WAGTAIL_ALGOREGISTER = {
        "EXPORTERS": {
            "donl": {
                "BACKEND": "ckan_export.exporter.CkanExporter",
                "URL": "https://data.overheid.nl/data",
                "ORGANIZATION": "gemeente-noorderhaaks",   # owner_org
                "PROFILE": "donl",                        # or "ckan"
                "TOKEN_ENV": "CKAN_DONL_TOKEN",           # name of the environment variable
                "WITHDRAW": "delete",                     # delete (soft, default) | private | purge
                "TIMEOUT": 30,                            # seconds per request
                "RATE_LIMIT": 1.0,                        # requests per RATE_WINDOW (0: no limit)
                "RATE_WINDOW": 1,                         # seconds
                "RATE_LIMIT_CACHE": None,                 # a cache alias to share the limit
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


WITHDRAW_POLICIES = ("delete", "private", "purge")


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
    rate_window: float = 1.0
    rate_limit_cache: str | None = None
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


def portal_from_options(name: str, options: dict) -> Portal:
    """The portal of an exporter's options (checked by the exporter first)."""
    registers = options.get("REGISTERS")
    return Portal(
        name=name,
        url=options["URL"].rstrip("/"),
        organization=options["ORGANIZATION"],
        profile=options.get("PROFILE") or "donl",
        token_env=options.get("TOKEN_ENV") or "",
        token_setting=options.get("TOKEN") or "",
        withdraw=options.get("WITHDRAW") or "delete",
        timeout=float(options.get("TIMEOUT", 30)),
        rate_limit=float(options.get("RATE_LIMIT", 1.0)),
        rate_window=float(options.get("RATE_WINDOW", 1.0)),
        rate_limit_cache=options.get("RATE_LIMIT_CACHE") or None,
        registers=tuple(registers) if registers is not None else None,
        authority_uri=options.get("AUTHORITY_URI"),
        license_id=options.get("LICENSE_ID"),
        dataset_type=options.get("DATASET_TYPE"),
        name_prefix=options.get("NAME_PREFIX"),
    )
