"""The versions of the standard: their keys and titles, and recognising a record's version.

Which keys a version has is read from the national register's own definitions of
each version (``data/publicatiestandaard_v0_*.json``, copied from
``MinBZK/Algoritmeregister:backend/app/schemas/config/``, EUPL-1.2); the current
version is this package's own definition. How a record of one version becomes a
record of the next is :mod:`.upgrades`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from wagtail_algoregister.standard import VERSION, all_fields


# Every version the national register published, oldest first; the last is current.
VERSIONS = ("0.1", "0.2.3", "0.3.1", "0.4", VERSION)


@cache
def definitions(version: str) -> dict:
    """The national register's field definitions of one version (``properties``)."""
    if version == VERSION:
        return {key: {"title": f.title_nl} for key, f in all_fields().items()}
    name = f"publicatiestandaard_v{version.replace('.', '_')}.json"
    text = resources.files(__package__).joinpath("data", name).read_text("utf-8")
    return json.loads(text)["properties"]


@cache
def known_keys() -> frozenset[str]:
    """Every key of every version."""
    keys = set()
    for version in VERSIONS:
        keys.update(definitions(version))
    return frozenset(keys)


@cache
def titles() -> dict[str, str]:
    """Dutch title (case-folded) → key, over every version (newest wins).

    The national XLSX download labels its rows with these titles.
    """
    mapping = {}
    for version in VERSIONS:
        for key, spec in definitions(version).items():
            mapping[(spec.get("title") or key).casefold()] = key
    return mapping


@cache
def titles_by_key() -> dict[str, str]:
    """Key → Dutch title, over every version (newest wins)."""
    mapping = {}
    for version in VERSIONS:
        for key, spec in definitions(version).items():
            mapping[key] = spec.get("title") or key
    return mapping


def title(key: str, version: str) -> str:
    """The Dutch title of ``key`` in ``version`` (else its newest title, else the key)."""
    return definitions(version).get(key, {}).get("title") or titles_by_key().get(key, key)


@cache
def last_version(key: str) -> str:
    """The newest version that has ``key`` (``""`` for a key of no version)."""
    for version in reversed(VERSIONS):
        if key in definitions(version):
            return version
    return ""


def normalise_version(value) -> str:
    """``"1.0.0"``, ``"v1_0"``, ``"0.4.0"`` … as one of :data:`VERSIONS`, or ``""``."""
    text = str(value or "").strip().lower().lstrip("v").replace("_", ".")
    for version in sorted(VERSIONS, key=len, reverse=True):
        if text == version or text.startswith(version + ".") or text == version + ".0":
            return version
    return ""


def detect_version(record: dict) -> str:
    """The record's version: its ``standard_version`` if known, else guessed from its keys."""
    version = normalise_version(record.get("standard_version"))
    if version:
        return version
    keys = {key for key, value in record.items() if value not in (None, "", [])}
    new_in_current = set(definitions(VERSION)) - set(definitions("0.4"))
    if keys & new_in_current - {"process_index_url"}:
        return VERSION
    if keys & {"begin_date", "end_date", "lawful_basis_link", "source_data_link"} or isinstance(
        record.get("category"), list
    ):
        return "0.4"
    if keys & {"provider", "process_index_url", "source_id", "tags"}:
        return "0.3.1"
    return "0.2.3"
