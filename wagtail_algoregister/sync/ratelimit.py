"""At most N requests in any window of W seconds, per target, for every exporter.

Two implementations with one method, ``acquire()``, which waits until a request may go:

- :class:`LocalRateLimiter` (default): a sliding log of the last N request times,
  shared by all threads of the process (one limiter per target, see
  :func:`get_limiter`). Every process (web server, each worker) has its own, so with
  several worker processes give the exporter a ``RATE_LIMIT_CACHE``.
- :class:`CacheRateLimiter` (``RATE_LIMIT_CACHE = "<cache alias>"``): N slots in a Django
  cache shared by all processes (Redis, Memcached, database cache). A request takes a
  free slot with ``cache.add`` (atomic: only one process gets it), and the slot frees
  itself when its key expires after W seconds (plus a margin, rounded up to whole
  seconds, plus one, since cache timeouts are whole seconds). So no more than N
  requests start within any W seconds across all processes sharing the cache. A
  local-memory cache makes it per-process again.

A limit below one or with a fraction (CKAN's ``RATE_LIMIT`` is requests per second,
such as 0.5 or 2.5) is taken as one request per ``W / limit`` seconds: even spacing.
"""

from __future__ import annotations

import collections
import hashlib
import math
import threading
import time

from django.core.cache import caches


# The server sees a request a little after we let it go, and network delays vary: a
# window 2% longer than the server's keeps its count under the limit (61.2 s for 60 s).
MARGIN = 0.02


def slots(limit: float, window: float) -> tuple[int, float]:
    """(requests, seconds) for a limit of ``limit`` requests per ``window`` seconds."""
    if limit <= 0:
        return 0, window
    if float(limit).is_integer():
        return int(limit), window
    return 1, window / limit


class LocalRateLimiter:
    def __init__(self, limit: int, window: float, *, clock=time.monotonic, sleep=time.sleep):
        self.limit, self.window = limit, window * (1 + MARGIN)
        self.clock, self.sleep = clock, sleep
        self.sent = collections.deque()
        self.lock = threading.Lock()

    def acquire(self):
        if self.limit <= 0:
            return
        with self.lock:
            while True:
                now = self.clock()
                while self.sent and self.sent[0] <= now - self.window:
                    self.sent.popleft()
                if len(self.sent) < self.limit:
                    self.sent.append(now)
                    return
                self.sleep(self.sent[0] + self.window - now)


class CacheRateLimiter:
    def __init__(self, limit: int, window: float, *, alias: str, prefix: str, sleep=time.sleep):
        self.limit, self.window = limit, window * (1 + MARGIN)
        self.cache = caches[alias]
        self.prefix = prefix
        self.sleep = sleep
        self.timeout = math.ceil(window) + 1

    def acquire(self):
        if self.limit <= 0:
            return
        while True:
            for slot in range(self.limit):
                if self.cache.add(f"{self.prefix}:{slot}", 1, timeout=self.timeout):
                    return
            self.sleep(min(1.0, self.window / self.limit))


_limiters: dict[tuple, LocalRateLimiter] = {}
_limiters_lock = threading.Lock()


def get_limiter(target: str, limit: float, window: float = 1.0, cache: str | None = None):
    """The limiter of one target (an API's address): one per process, or per shared cache.

    Keyed by the target, not by the account or the exporter's name: servers count
    requests per client address, so every exporter of a site that talks to the same
    API shares one limit.
    """
    count, seconds = slots(limit, window)
    key = (target, count, seconds)
    if cache:
        digest = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
        return CacheRateLimiter(count, seconds, alias=cache, prefix=f"algoregister-rate:{digest}")
    with _limiters_lock:
        if key not in _limiters:
            _limiters[key] = LocalRateLimiter(count, seconds)
        return _limiters[key]


def reset_limiters():
    """Forget the per-process limiters (tests start each without any)."""
    with _limiters_lock:
        _limiters.clear()
