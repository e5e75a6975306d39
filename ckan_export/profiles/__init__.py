"""Mappings from an entry to a CKAN dataset, one per kind of portal (the ``PROFILE``
option of a CKAN exporter): each a :class:`~ckan_export.profiles.base.Profile`, listed
once, here."""

from __future__ import annotations

from . import ckan, donl
from .base import Profile


PROFILES: dict[str, Profile] = {profile.name: profile for profile in (donl.PROFILE, ckan.PROFILE)}


def get_profile(name: str) -> Profile:
    return PROFILES[name]
