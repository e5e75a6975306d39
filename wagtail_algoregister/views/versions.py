"""The public version history of an entry: ``versions/`` and ``versions/<number>/``.

Reached through the entry's routes, so Wagtail has already served the live page and
checked its view restrictions (a private entry's history is as private as the entry).
Only published versions are read (:mod:`wagtail_algoregister.history.versions`).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.cache import patch_cache_control

from wagtail_algoregister.history.versions import versions_of


def _render(request, entry, template, context):
    response = entry.render(
        request, template=f"wagtail_algoregister/{template}", context_overrides=context
    )
    patch_cache_control(response, public=True, no_cache=True)
    return response


def entry_versions(request, entry):
    """Every published version, newest first, with its date, note and changed parts."""
    versions = versions_of(entry)
    return _render(
        request,
        entry,
        "entry_versions.html",
        {"versions": list(reversed(versions)), "version_count": len(versions)},
    )


def entry_version(request, entry, number):
    """One version as it was published, and what changed since the version before it."""
    versions = versions_of(entry)
    if not 1 <= number <= len(versions):
        raise Http404
    version = versions[number - 1]
    current = next((v for v in reversed(versions) if v.is_current), versions[-1])
    return _render(
        request,
        entry,
        "entry_version.html",
        {
            "version": version,
            "version_count": len(versions),
            "current_version": current,
            "next_version": versions[number] if number < len(versions) else None,
        },
    )
