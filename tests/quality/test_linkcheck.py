"""The link checker against a local HTTP server: answers, limits, and what it never fetches."""

import socket
import sys
import time

import pytest
from django.utils import translation

from wagtail_algoregister.quality.linkcheck import HostThrottle, LinkChecker

from .link_server import HUGE, LinkServer, Listener


# The local server is on 127.0.0.1, which the checker refuses by default (see the
# test of that below); these options let it through, and keep the test quick.
LOCAL = {"ALLOW_PRIVATE_ADDRESSES": True, "MIN_INTERVAL": 0, "TIMEOUT": 0.5, "DEADLINE": 5}

_audit = {"on": False, "events": []}


def _hook(event, args):
    if _audit["on"] and event in ("socket.connect", "open", "urllib.Request", "subprocess.Popen"):
        _audit["events"].append((event, args))


sys.addaudithook(_hook)


@pytest.fixture
def audit():
    """Every connection made and file opened while the test runs."""
    _audit["events"].clear()
    _audit["on"] = True
    yield _audit["events"]
    _audit["on"] = False


@pytest.fixture
def server():
    with LinkServer(slow_seconds=3) as server:
        yield server


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def check(url, **options):
    with LinkChecker({**LOCAL, **options}) as checker:
        return checker.check(url)


@pytest.mark.parametrize(
    ("path", "outcome", "status"),
    [
        ("/ok", "ok", 200),
        ("/temporary", "ok", 200),  # a temporary redirect is how the site wants to be reached
        ("/missing", "not_found", 404),
        ("/error", "server_error", 500),
        ("/forbidden", "refused", 403),
    ],
)
def test_answers(server, path, outcome, status):
    result = check(server.url(path))
    assert (result.outcome, result.status) == (outcome, status)
    assert result.is_broken is (outcome == "not_found")


def test_a_permanent_redirect_suggests_the_new_address(server):
    result = check(server.url("/moved"))
    assert result.outcome == "moved"
    assert result.status == 200
    assert result.suggestion == server.url("/ok")
    assert server.url("/ok") in result.message
    assert server.paths() == ["/moved", "/ok"]


def test_every_request_names_the_checker(server):
    check(server.url("/ok"))
    headers = server.requests[0][1]
    assert headers["User-Agent"].startswith("wagtail-algoregister-linkcheck/")
    assert "Cookie" not in headers and "Authorization" not in headers


def test_a_slow_site_times_out(server):
    started = time.monotonic()
    result = check(server.url("/slow"), TIMEOUT=0.5)
    assert result.outcome == "timeout"
    assert time.monotonic() - started < server.slow_seconds
    assert "niet op tijd" in result.message


def test_a_huge_body_is_not_read(server):
    result = check(server.url("/huge"), MAX_BYTES=64 * 1024)
    assert result.outcome == "ok"
    # The checker hung up after 64 KiB; what the server got out is what fits in the
    # socket buffers, a tiny part of the 200 MiB it offered.
    time.sleep(0.5)
    assert server.huge_sent < HUGE / 10


def test_redirects_are_limited(server):
    # /chain/N redirects N + 1 times before it reaches /ok.
    assert check(server.url("/chain/2"), MAX_REDIRECTS=3).outcome == "ok"
    result = check(server.url("/chain/3"), MAX_REDIRECTS=3)
    assert result.outcome == "too_many_redirects"
    assert check(server.url("/loop")).outcome == "too_many_redirects"
    assert len([p for p in server.paths() if p == "/loop"]) == 4  # the first and 3 redirects


def test_an_unknown_host_is_unreachable():
    def resolve(host, port, **kwargs):  # a name that does not exist, without asking DNS
        raise socket.gaierror(-2, "Name or service not known")

    with LinkChecker({"MIN_INTERVAL": 0}, resolve=resolve) as checker:
        result = checker.check("https://register.invalid/algoritme")
    assert result.outcome == "unreachable"
    assert result.is_broken


def test_only_http_and_https_are_ever_fetched(server, tmp_path, audit):
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim")
    audit.clear()
    with Listener() as ftp:
        server.redirect_to.update(
            {
                "/to-file": secret.as_uri(),
                "/to-ftp": f"ftp://127.0.0.1:{ftp.port}/x",
                "/to-javascript": "javascript:alert(1)",
                "/to-data": "data:text/html,<b>x</b>",
                "/to-gopher": f"gopher://127.0.0.1:{ftp.port}/",
            }
        )
        direct = [
            secret.as_uri(),
            f"ftp://127.0.0.1:{ftp.port}/x",
            "javascript:alert(1)",
            "data:text/html,<b>x</b>",
            f"gopher://127.0.0.1:{ftp.port}/",
            "Algemene wet bestuursrecht",
            f"//127.0.0.1:{ftp.port}/",
        ]
        with LinkChecker(LOCAL) as checker:
            for url in direct:
                assert checker.check(url).outcome == "not_checked", url
            for path in ("/to-file", "/to-ftp", "/to-javascript", "/to-data", "/to-gopher"):
                result = checker.check(server.url(path))
                assert result.outcome == "not_checked", path
                assert result.final_url == server.redirect_to[path]
        time.sleep(0.3)
        assert ftp.connections == 0
    # Connections went to the HTTP server only, and no file was opened.
    connected = {args[1] for event, args in audit if event == "socket.connect"}
    assert connected == {("127.0.0.1", server.port)}
    assert not [args for event, args in audit if event == "open" and str(secret) in str(args[0])]
    assert not [event for event, args in audit if event == "subprocess.Popen"]


def test_private_addresses_are_refused_by_default(server, audit):
    with LinkChecker({"MIN_INTERVAL": 0}) as checker:
        for url in (
            server.url("/ok"),
            f"http://localhost:{server.port}/ok",
            f"http://2130706433:{server.port}/ok",  # 127.0.0.1 as one number
            f"http://[::ffff:127.0.0.1]:{server.port}/ok",
        ):
            result = checker.check(url)
            assert result.outcome == "blocked", url
    assert server.requests == []
    assert not [args for event, args in audit if event == "socket.connect"]


def test_a_redirect_to_a_private_address_is_refused(server):
    """A public site that redirects into the server's own network gets no further."""
    seen = []

    def resolve(host, port, **kwargs):
        # For the checker's address check only: the local server passes as public,
        # the redirect's target is on a private network.
        seen.append(host)
        address = "93.184.216.34" if host == "localhost" else "10.1.2.3"
        return [(None, None, None, "", (address, port))]

    server.redirect_to["/to-private"] = "http://intranet.test/beheer"
    with LinkChecker({"MIN_INTERVAL": 0, "TIMEOUT": 0.5}, resolve=resolve) as checker:
        result = checker.check(f"http://localhost:{server.port}/to-private")
    assert result.outcome == "blocked"
    assert "10.1.2.3" in result.detail
    assert seen == ["localhost", "intranet.test"]
    assert server.paths() == ["/to-private"]


def test_credentials_in_the_address_are_refused(server):
    result = check(f"http://user:geheim@127.0.0.1:{server.port}/ok")
    assert result.outcome == "blocked"
    assert server.requests == []


def test_each_address_is_fetched_once_per_run(server):
    with LinkChecker(LOCAL) as checker:
        for _ in range(3):
            checker.check(server.url("/ok"))
    assert server.paths() == ["/ok"]


def test_requests_to_one_host_are_spaced():
    now = [100.0]
    slept = []
    throttle = HostThrottle(clock=lambda: now[0], sleep=slept.append)
    throttle.wait("wetten.overheid.nl", 1.0)
    throttle.wait("wetten.overheid.nl", 1.0)
    throttle.wait("www.utrecht.nl", 1.0)  # another host does not wait
    now[0] += 0.5
    throttle.wait("wetten.overheid.nl", 1.0)
    assert slept == [1.0, 1.5]


def test_the_checker_spaces_its_requests_to_a_host(server):
    slept = []
    throttle = HostThrottle(sleep=slept.append)  # records the waits instead of sleeping
    with LinkChecker({**LOCAL, "MIN_INTERVAL": 5}, throttle=throttle) as checker:
        for path in ("/ok", "/missing", "/error"):
            checker.check(server.url(path))
    assert len(slept) == 2
    assert slept[0] == pytest.approx(5, abs=0.5)
    assert slept[1] == pytest.approx(10, abs=0.5)
