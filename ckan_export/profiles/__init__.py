"""Mappings from an entry to a CKAN dataset, one per target profile.

A profile is a pure mapping: ``build(context, portal)`` gives the dataset dict
(without ``name``, which the sync engine derives once and freezes), and
``validate(payload)`` checks it locally before anything is sent. Resources in
a built payload carry a ``"_key"`` (such as ``"page"`` or ``"json"``) that the
sync engine uses to keep each resource's CKAN id stable; it is removed before
sending.
"""

from __future__ import annotations

from . import ckan, donl


def get_profile(name: str):
    profiles = {"donl": donl.PROFILE, "ckan": ckan.PROFILE}
    return profiles[name]
