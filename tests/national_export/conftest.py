import pytest
from django.utils import translation

from national_export import auth
from wagtail_algoregister.sync import ratelimit

from .contract_server import ContractServer


USERNAME = "redacteur@gemeente.example"
PASSWORD = "geheim-wachtwoord"


@pytest.fixture(autouse=True)
def english_messages():
    """Messages stored for editors follow the active language; these tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_process_state():
    """Tokens and rate limiters are per process; every test starts without them."""
    auth.clear_cache()
    ratelimit.reset_limiters()
    yield
    auth.clear_cache()
    ratelimit.reset_limiters()


@pytest.fixture
def server():
    contract = ContractServer().start()
    yield contract
    contract.stop()


def national_settings(server, **overrides):
    spec = {
        "BACKEND": "national_export.exporter.NationalExporter",
        "URL": server.api_url,
        "TOKEN_URL": server.token_url,
        "USERNAME_ENV": "TEST_NATIONAL_USERNAME",
        "PASSWORD_ENV": "TEST_NATIONAL_PASSWORD",
        "TIMEOUT": 5,
        **overrides,
    }
    return spec


@pytest.fixture
def national(server, settings, monkeypatch):
    """The export configured against the contract server; credentials in the environment."""
    monkeypatch.setenv("TEST_NATIONAL_USERNAME", USERNAME)
    monkeypatch.setenv("TEST_NATIONAL_PASSWORD", PASSWORD)
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {"national": national_settings(server)},
    }
    return server
