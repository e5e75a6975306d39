"""Small parts every exporter's sync shares: outcomes, the backoff schedule, payload
hashes, and finding the page of an entry."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from wagtail.models import Locale

from wagtail_algoregister.models import AlgorithmPage


MAX_ATTEMPTS = 8
# seconds: 1 min, 5 min, 30 min, 2 h, 12 h, then daily
BACKOFF = [60, 300, 1800, 7200, 43200, 86400]
COUNTED = ("created", "updated", "unchanged", "withdrawn", "failed")


@dataclass
class Outcome:
    """What one sync of one entry did."""

    action: str  # created, updated, unchanged, withdrawn, skipped, superseded, failed
    message: str = ""
    transient: bool = False
    entry: str = ""


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait before attempt ``attempts + 1``."""
    return datetime.timedelta(seconds=BACKOFF[min(attempts, len(BACKOFF)) - 1] if attempts else 0)


def canonical_hash(*parts) -> str:
    """A stable hash of JSON-able parts (key order and whitespace do not matter)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_page(key):
    """The page of an entry in the default locale (the version every target gets), or None.

    Translations share the key; a translation without a default-locale version is not
    sent anywhere (one remote entry per entry, in the site's own language).
    """
    return (
        AlgorithmPage.objects.filter(translation_key=key, locale=Locale.get_default())
        .select_related("locale")
        .first()
    )


def is_current(page) -> bool:
    """Whether ``page`` (read earlier) is still live/unpublished, published and placed alike.

    A page read before the row lock (a full run reads them all first) may have been
    published, unpublished or moved since, and synced by a task: read it again then.
    """
    return AlgorithmPage.objects.filter(
        pk=page.pk, live=page.live, last_published_at=page.last_published_at, path=page.path
    ).exists()
