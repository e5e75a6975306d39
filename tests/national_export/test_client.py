"""Token, rate limit and error classes of the client, against the contract server."""

import time

import pytest
from django.core.cache import caches

from national_export.auth import TokenProvider, jwt_expiry
from national_export.client import NationalClient, NotAuthorised, TransientError
from wagtail_algoregister.sync import get_exporter
from wagtail_algoregister.sync.ratelimit import CacheRateLimiter, LocalRateLimiter

from .conftest import PASSWORD, national_settings


pytestmark = pytest.mark.django_db


class FakeClock:
    def __init__(self, now=1000.0):
        self.now = now
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def configure(settings, server, **overrides):
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {"national": national_settings(server, **overrides)},
    }
    return get_exporter("national").config


def test_password_grant_token_is_cached_and_refreshed_before_expiry(national):
    clock = FakeClock(time.time())
    tokens = TokenProvider(get_exporter("national").config, clock=clock)
    first = tokens.token()
    assert national.token_requests == 1
    assert jwt_expiry(first) == pytest.approx(time.time() + 300, abs=5)
    assert tokens.token() == first  # cached
    clock.now += 280  # within 30 seconds of expiry: a new one
    second = tokens.token()
    assert second != first and national.token_requests == 2


def test_expired_token_is_refreshed_once_on_401(entry, national):
    assert get_exporter("national").sync_key(entry.translation_key).action == "created"
    assert national.token_requests == 1
    national.expire_tokens()
    client = NationalClient(get_exporter("national").config)
    assert len(client.list_algorithms("gm0344")) == 1
    assert national.token_requests == 2
    assert [status for _, _, status in national.log[-2:]] == [401, 200]


def test_wrong_password_is_permanent_and_names_no_secret(entry, national, monkeypatch):
    monkeypatch.setenv("TEST_NATIONAL_PASSWORD", "wrong-password-123")
    outcome = get_exporter("national").sync_key(entry.translation_key)
    assert outcome.action == "failed" and not outcome.transient
    assert "TEST_NATIONAL_PASSWORD" in outcome.message
    assert "wrong-password-123" not in outcome.message
    assert national.log == []


def test_wrong_client_id_is_refused(national, settings):
    config = configure(settings, national, CLIENT_ID="other-client")
    with pytest.raises(NotAuthorised):
        NationalClient(config).list_algorithms("gm0344")


def test_missing_credentials_are_reported(national, settings, monkeypatch):
    monkeypatch.delenv("TEST_NATIONAL_PASSWORD")
    with pytest.raises(NotAuthorised, match="TEST_NATIONAL_USERNAME and TEST_NATIONAL_PASSWORD"):
        NationalClient(get_exporter("national").config).list_algorithms("gm0344")


def test_ready_bearer_token_from_the_environment(national, settings, monkeypatch):
    token = national.issue_token(
        {
            "grant_type": "password",
            "client_id": "authentication-client",
            "username": "redacteur@gemeente.example",
            "password": PASSWORD,
        }
    )[1]["access_token"]
    monkeypatch.setenv("TEST_NATIONAL_TOKEN", token)
    config = configure(settings, national, TOKEN_ENV="TEST_NATIONAL_TOKEN", TOKEN_URL="")
    assert NationalClient(config).list_algorithms("gm0344") == []
    national.expire_tokens()
    # A ready token cannot be refreshed: the 401 stands.
    with pytest.raises(NotAuthorised):
        NationalClient(config).list_algorithms("gm0344")


def test_server_errors_and_429_are_transient(national):
    client = NationalClient(get_exporter("national").config)
    national.fail("GET", r"/algorithms$", value=502)
    with pytest.raises(TransientError):
        client.list_algorithms("gm0344")
    national.fail("GET", r"/algorithms$", value=429)
    with pytest.raises(TransientError):
        client.list_algorithms("gm0344")
    assert client.list_algorithms("gm0344") == []


def test_local_rate_limiter_keeps_25_in_any_60_seconds():
    clock = FakeClock()
    limiter = LocalRateLimiter(25, 60, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(60):
        limiter.acquire()
        times.append(clock.now)
    # 60 seconds and a 2% margin (the server sees each request a little later).
    assert times[24] == 1000 and times[25] == pytest.approx(1061.2)
    assert times[50] == pytest.approx(1122.4)
    for i in range(len(times)):
        assert sum(1 for t in times if times[i] <= t < times[i] + 60) <= 25
    assert clock.sleeps[0] == pytest.approx(61.2)


def test_client_respects_the_servers_rate_limit(national, settings):
    """A low limit (5 per second) on both sides: no 429, and the client waited."""
    national.rate_limit, national.rate_window = 5, 1.0
    config = configure(settings, national, RATE_LIMIT=5, RATE_WINDOW=1.0)
    client = NationalClient(config)
    start = time.monotonic()
    for _ in range(12):
        client.list_algorithms("gm0344")
    assert time.monotonic() - start >= 2.0
    assert all(status == 200 for _, _, status in national.log)


def test_without_a_limit_the_server_answers_429(national, settings):
    national.rate_limit, national.rate_window = 5, 60.0
    config = configure(settings, national, RATE_LIMIT=0)
    client = NationalClient(config)
    for _ in range(5):
        client.list_algorithms("gm0344")
    with pytest.raises(TransientError, match="429"):
        client.list_algorithms("gm0344")


def test_cache_rate_limiter_is_shared_between_processes():
    """Two limiters on one cache (as two worker processes on Redis or the database cache)."""
    cache = caches["default"]
    cache.clear()
    first, second = (
        CacheRateLimiter(3, 60, alias="default", prefix="test-limit") for _ in range(2)
    )
    first.acquire()
    second.acquire()
    first.acquire()
    # The fourth request within the window has to wait (here: until a slot is freed, as
    # its key's expiry would after 60 seconds).
    calls = []

    def sleep(seconds):
        calls.append(seconds)
        cache.delete("test-limit:0")

    second.sleep = sleep
    second.acquire()
    assert calls, "the fourth request went without waiting"
    cache.clear()


def test_settings_never_show_secrets(settings, national):
    config = configure(settings, national, USERNAME="someone", PASSWORD="pw-in-settings-42")
    assert config.password == "pw-in-settings-42"
    assert "pw-in-settings-42" not in repr(config)
    assert "pw-in-settings-42" not in str(config.public_settings())
