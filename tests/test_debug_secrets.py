"""The example site runs with DEBUG off and a generated secret key, and error reports
never show credentials or usernames (issue 13, item 9)."""

import os
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import RequestFactory
from django.views.debug import technical_500_response

from national_export.auth import TokenProvider
from wagtail_algoregister.sync.registry import get_exporter


ROOT = Path(__file__).resolve().parent.parent
USERNAME = "redacteur@gemeente.example"
PASSWORD = "geheim-wachtwoord-93"
CKAN_TOKEN = "ckan-token-5f1c0e"
DB_PASSWORD = "db-wachtwoord-71"
SECRETS = (USERNAME, quote(USERNAME, safe=""), PASSWORD, CKAN_TOKEN, DB_PASSWORD)


def example_settings(tmp_path, **env):
    """DEBUG and SECRET_KEY of the example site, imported in a fresh process with ``env``."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY_FILE")
    }
    environment.update(DJANGO_SECRET_KEY_FILE=str(tmp_path / "secret"), **env)
    code = "import example_site.settings as s; print(s.DEBUG); print(s.SECRET_KEY)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "example_site",
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    debug, key = result.stdout.split()
    return debug == "True", key


def test_example_site_runs_without_debug_with_a_generated_secret(tmp_path):
    debug, key = example_settings(tmp_path)
    assert debug is False
    assert len(key) >= 50 and "not-secret" not in key
    secret_file = tmp_path / "secret"
    assert secret_file.read_text() == key
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert example_settings(tmp_path) == (False, key)  # kept: sessions survive a restart
    assert example_settings(tmp_path, DJANGO_SECRET_KEY="from-the-environment") == (
        False,
        "from-the-environment",
    )
    assert example_settings(tmp_path, DJANGO_DEBUG="1")[0] is True
    # `make demo` runs with DEBUG on: tests/test_demo.py::test_make_demo_serves_styled_pages
    # runs it (its static files answer only then). The key file is not in git.
    assert "example_site/.secret_key" in (ROOT / ".gitignore").read_text().splitlines()


class BrokenSession:
    """A bug deep inside the HTTP library, with the token request's form in its frame."""

    def post(self, url, data=None, **kwargs):
        body = "&".join(f"{k}={v}" for k, v in data.items())  # noqa: F841 (shown by the page)
        raise RuntimeError("bug in the HTTP library")


@pytest.fixture
def credentials(settings, monkeypatch):
    monkeypatch.setenv("NATIONAL_REGISTER_USERNAME", USERNAME)
    monkeypatch.setenv("NATIONAL_REGISTER_PASSWORD", PASSWORD)
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "EXPORTERS": {
            "national": {
                "BACKEND": "national_export.exporter.NationalExporter",
                "URL": "https://register.example/api",
                "TOKEN_URL": "https://login.example/token",
                "USERNAME_ENV": "NATIONAL_REGISTER_USERNAME",
                "PASSWORD_ENV": "NATIONAL_REGISTER_PASSWORD",
            },
            "donl": {
                "BACKEND": "ckan_export.exporter.CkanExporter",
                "URL": "https://data.example",
                "ORGANIZATION": "o",
                "TOKEN": CKAN_TOKEN,
            },
        },
    }


def test_the_debug_page_shows_no_credentials_or_usernames(settings, credentials):
    settings.DEBUG = True
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER.endswith("SecretsExceptionReporterFilter")
    # Under runserver or gunicorn the process environment is part of request.META.
    request = RequestFactory().get(
        "/algoritmeregister/",
        NATIONAL_REGISTER_USERNAME=USERNAME,
        NATIONAL_REGISTER_PASSWORD=PASSWORD,
        DATABASE_URL=f"postgres://algoregister:{DB_PASSWORD}@db.example/algoregister",
    )
    try:
        TokenProvider(get_exporter("national").config, session=BrokenSession()).token()
    except RuntimeError:
        response = technical_500_response(request, *sys.exc_info())
    html = response.content.decode()
    assert "bug in the HTTP library" in html and "BrokenSession" in html  # a real report
    assert "NATIONAL_REGISTER_USERNAME" in html  # the variable is listed, its value is not
    for secret in SECRETS:
        assert secret not in html, secret
