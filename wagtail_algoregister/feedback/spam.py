"""Keeping robots out of the feedback form, without JavaScript or outside services."""

from __future__ import annotations

import time

from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from wagtail_algoregister.conf import algoregister_settings


SALT = "wagtail_algoregister.feedback"

TOO_FAST = "too_fast"
EXPIRED = "expired"


def form_token(page_pk: int, *, now: float | None = None) -> str:
    """A signed value holding when the form was shown, for this entry only."""
    shown = int(time.time() if now is None else now)
    return signing.dumps({"p": page_pk, "t": shown}, salt=SALT)


def token_problem(token: str, page_pk: int, *, now: float | None = None) -> str | None:
    """``None`` when the form was shown long enough ago, else why not.

    A token that is not ours, was made for another entry, or is too old counts as
    expired: the form is shown again with a new one.
    """
    try:
        data = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return EXPIRED
    if not isinstance(data, dict) or data.get("p") != page_pk or not isinstance(data.get("t"), int):
        return EXPIRED
    elapsed = (time.time() if now is None else now) - data["t"]
    if elapsed < algoregister_settings.FEEDBACK_MIN_SECONDS:
        return TOO_FAST
    if elapsed > algoregister_settings.FEEDBACK_MAX_AGE:
        return EXPIRED
    return None


def _client_key(request) -> str:
    # A keyed hash: the cache never holds the address itself.
    address = request.META.get("REMOTE_ADDR", "")
    return "wagtail_algoregister:feedback:" + salted_hmac(SALT, address).hexdigest()[:32]


def over_rate_limit(request) -> bool:
    """Count this sending for the client; ``True`` when it is one too many.

    A fixed window that starts with the client's first sending. The client is its
    IP address (``REMOTE_ADDR``): behind a proxy, the site must set that to the
    visitor's address, or all visitors share one limit.
    """
    limit, period = algoregister_settings.FEEDBACK_RATE_LIMIT
    key = _client_key(request)
    if cache.add(key, 1, timeout=period):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=period)
            count = 1
    return count > limit
