"""One rate limiter for every exporter: per target, shared by all clients of a process
(or of every process, through a shared cache)."""

import pytest

from ckan_export.client import PortalClient
from ckan_export.conf import portal_from_options
from national_export.client import NationalClient
from national_export.conf import register_from_options
from wagtail_algoregister.sync import ratelimit


@pytest.fixture(autouse=True)
def fresh():
    ratelimit.reset_limiters()
    yield
    ratelimit.reset_limiters()


@pytest.mark.parametrize(
    ("limit", "window", "expected"),
    [
        (1.0, 1, (1, 1)),
        (2.5, 1, (1, 0.4)),
        (0.5, 1, (1, 2.0)),
        (25, 60, (25, 60)),
        (0, 60, (0, 60)),
    ],
)
def test_a_limit_is_requests_per_window_or_even_spacing(limit, window, expected):
    assert ratelimit.slots(limit, window) == pytest.approx(expected)


def test_clients_of_one_target_share_its_limiter():
    options = {"URL": "https://data.example.invalid", "ORGANIZATION": "o", "RATE_LIMIT": 2}
    first = PortalClient(portal_from_options("one", options))
    second = PortalClient(portal_from_options("two", options))
    other = PortalClient(portal_from_options("three", {**options, "URL": "https://b.invalid"}))
    assert first.limiter is second.limiter is not other.limiter
    national = register_from_options({"URL": "https://register.invalid", "RATE_LIMIT": 25})
    assert NationalClient(national).limiter is NationalClient(national).limiter
    assert NationalClient(national).limiter.limit == 25


def test_a_shared_cache_makes_one_limit_for_every_process(settings):
    options = {
        "URL": "https://data.example.invalid",
        "ORGANIZATION": "o",
        "RATE_LIMIT": 3,
        "RATE_WINDOW": 60,
        "RATE_LIMIT_CACHE": "default",
    }
    limiter = PortalClient(portal_from_options("one", options)).limiter
    assert isinstance(limiter, ratelimit.CacheRateLimiter)
    assert (limiter.limit, limiter.cache) == (3, ratelimit.caches["default"])
