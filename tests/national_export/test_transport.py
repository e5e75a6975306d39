"""Transport of credentials (issue 13, item 9): the token request follows no redirect,
and every address an exporter sends a secret to is https unless ALLOW_HTTP says otherwise."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from national_export.auth import TokenProvider
from national_export.client import NotAuthorised
from wagtail_algoregister.sync.registry import get_exporter

from .conftest import PASSWORD, national_settings


class Recorder(BaseHTTPRequestHandler):
    """A server at another address: answers every request with ``status`` and a
    ``Location``, and keeps the bodies it was sent."""

    status = 307
    location = ""
    bodies: list

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.bodies.append(self.rfile.read(length).decode())
        self.send_response(self.status)
        if self.location:
            self.send_header("Location", self.location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def serve(**attributes):
    handler = type("Handler", (Recorder,), {"bodies": [], **attributes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_token_request_does_not_follow_a_redirect_with_the_password(national, settings, status):
    elsewhere, catcher = serve(status=200)
    url = f"http://127.0.0.1:{elsewhere.server_port}/token"
    redirector, first = serve(status=status, location=url)
    try:
        settings.WAGTAIL_ALGOREGISTER = {
            **settings.WAGTAIL_ALGOREGISTER,
            "EXPORTERS": {
                "national": national_settings(
                    national, TOKEN_URL=f"http://127.0.0.1:{redirector.server_port}/token"
                )
            },
        }
        with pytest.raises(NotAuthorised, match="redirect") as error:
            TokenProvider(get_exporter("national").config).token()
        assert f"127.0.0.1:{elsewhere.server_port}" in error.value.message
        assert PASSWORD not in error.value.message
        assert len(first.bodies) == 1 and PASSWORD in first.bodies[0]  # asked once, at TOKEN_URL
        assert catcher.bodies == []  # the password went nowhere else
    finally:
        redirector.shutdown()
        elsewhere.shutdown()


NATIONAL = "national_export.exporter.NationalExporter"
CKAN = "ckan_export.exporter.CkanExporter"


def _without_http(settings, **exporters):
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "ALLOW_HTTP": False,
        "EXPORTERS": exporters,
    }


@pytest.mark.parametrize("key", ["URL", "TOKEN_URL"])
def test_national_addresses_must_be_https(settings, key):
    spec = {
        "BACKEND": NATIONAL,
        "URL": "https://register.example/api",
        "TOKEN_URL": "https://login.example/token",
    }
    _without_http(settings, national={**spec, key: "http://register.example/x"})
    with pytest.raises(ImproperlyConfigured, match=f"{key} must be an https URL.*ALLOW_HTTP"):
        get_exporter("national")
    _without_http(settings, national=spec)
    assert get_exporter("national").config.url == "https://register.example/api"
    # The explicit permission (what the tests on 127.0.0.1 use).
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "ALLOW_HTTP": True,
        "EXPORTERS": {"national": {**spec, key: "http://127.0.0.1:9/x"}},
    }
    assert get_exporter("national").config.url.startswith(("http://", "https://"))


@pytest.mark.parametrize("allow_http", [False, True])
@pytest.mark.parametrize("url", ["ftp://portal.example", "javascript:alert(1)", "https://", "//x"])
def test_no_other_schemes_ever(settings, url, allow_http):
    settings.WAGTAIL_ALGOREGISTER = {
        **settings.WAGTAIL_ALGOREGISTER,
        "ALLOW_HTTP": allow_http,
        "EXPORTERS": {
            "national": {"BACKEND": NATIONAL, "URL": url},
            "test": {"BACKEND": CKAN, "URL": url, "ORGANIZATION": "o"},
        },
    }
    with pytest.raises(ImproperlyConfigured, match="'national'.*must be an https URL"):
        get_exporter("national")
    with pytest.raises(ImproperlyConfigured, match="'test'.*must be an https URL"):
        get_exporter("test")


def test_ckan_portal_url_must_be_https(settings):
    portal = {"BACKEND": CKAN, "URL": "http://data.example/data", "ORGANIZATION": "o"}
    _without_http(settings, test=portal)
    with pytest.raises(ImproperlyConfigured, match="'test'.*URL must be an https URL"):
        get_exporter("test")
    _without_http(settings, test={**portal, "URL": "https://data.example/data"})
    assert get_exporter("test").portal.url == "https://data.example/data"


def test_manage_py_check_names_an_insecure_address(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    _without_http(
        settings,
        national={"BACKEND": NATIONAL, "URL": "http://register.example/api"},
        test={"BACKEND": CKAN, "URL": "http://data.example", "ORGANIZATION": "o"},
    )
    with pytest.raises(SystemCheckError) as error:
        call_command("check")
    text = str(error.value)
    assert "wagtail_algoregister.E012" in text
    assert "['EXPORTERS']['national']: URL must be an https URL" in text
    assert "['EXPORTERS']['test']: URL must be an https URL" in text
