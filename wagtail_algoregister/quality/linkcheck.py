"""Fetching links to find broken ones, safely.

The addresses are typed by editors and imported from files, and the server fetches
them, so the checker is strict about what it fetches:

- only ``http`` and ``https`` (never ``file:``, ``ftp:``, ``javascript:``, ``data:``
  or anything else), also after every redirect, and no user name or password in
  the address;
- only hosts on the public internet: an address that resolves to a loopback,
  private, link-local or otherwise non-global network is refused (a link must not
  make the server probe its own network). The check resolves the host just before
  each request; ``ALLOW_PRIVATE_ADDRESSES`` turns it off (tests, intranet sites);
- at most ``MAX_REDIRECTS`` redirects, each checked like the first address;
- a connect and read ``TIMEOUT`` and a deadline for the whole address, and at most
  ``MAX_BYTES`` of the body are read (streamed; reading stops there);
- a clear ``User-Agent`` naming the checker, and at least ``MIN_INTERVAL`` seconds
  between two requests to the same host (per worker process);
- no proxies, ``.netrc`` credentials or cookies from the environment.

Settings: ``WAGTAIL_ALGOREGISTER["LINK_CHECK"]``, see :data:`DEFAULTS`.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.utils.translation import gettext

from .. import __version__
from ..conf import algoregister_settings
from .links import WEB_SCHEMES, scheme


DEFAULTS = {
    "TIMEOUT": 10,  # seconds to connect, and between two reads
    "DEADLINE": 30,  # seconds for one address, redirects included
    "MAX_BYTES": 64 * 1024,  # of a body; the status is known long before
    "MAX_REDIRECTS": 3,
    "MIN_INTERVAL": 1.0,  # seconds between two requests to one host
    "USER_AGENT": "",  # default: wagtail-algoregister-linkcheck/<version>
    "ALLOW_PRIVATE_ADDRESSES": False,
    # Queue a check of an entry's links when it is published (with a task worker).
    "ON_PUBLISH": True,
}

REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
# Statuses with which sites turn away automated checks: the link may well work.
REFUSALS = (401, 403, 405, 406, 429)
# Outcomes an editor must fix; the others may be passing trouble or advice.
BROKEN = ("not_found", "client_error", "unreachable", "too_many_redirects")


def settings() -> dict:
    return {**DEFAULTS, **(algoregister_settings.LINK_CHECK or {})}


@dataclass(frozen=True)
class LinkResult:
    """What fetching one address found."""

    url: str
    outcome: str  # ok, moved, not_found, client_error, refused, server_error, timeout,
    # unreachable, too_many_redirects, not_checked, blocked
    status: int | None = None
    final_url: str = ""
    detail: str = ""  # for developers (logs, the report's title text)

    @property
    def is_broken(self) -> bool:
        return self.outcome in BROKEN

    @property
    def is_ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def suggestion(self) -> str:
        return self.final_url if self.outcome == "moved" else ""

    @property
    def message(self) -> str:
        values = {
            "status": self.status,
            "final": self.final_url,
            "limit": settings()["MAX_REDIRECTS"],
        }
        messages = {
            "ok": gettext("The link works."),
            "moved": gettext("The link has moved to %(final)s. Replace it with the new address."),
            "not_found": gettext("The page does not exist (any more) (error %(status)s)."),
            "client_error": gettext("The website returns an error (error %(status)s)."),
            "refused": gettext(
                "The website does not let the checker in (code %(status)s). Open the link yourself to check it."
            ),
            "server_error": gettext(
                "The website has a problem (error %(status)s). This may pass; it is checked again later."
            ),
            "timeout": gettext("The website did not answer in time. It is checked again later."),
            "unreachable": gettext("The website cannot be reached. Is the address right?"),
            "too_many_redirects": gettext(
                "The link sends visitors on more than %(limit)s times, or in a circle."
            ),
            "not_checked": gettext("Only web addresses (https:// or http://) are checked."),
            "blocked": gettext(
                "This address is not on the public internet (or has a user name or password in it), so it is not checked."
            ),
        }
        return messages[self.outcome] % values


class HostThrottle:
    """At least ``interval`` seconds between two requests to one host (thread-safe)."""

    def __init__(self, clock=time.monotonic, sleep=time.sleep):
        self.clock, self.sleep = clock, sleep
        self.lock = threading.Lock()
        self.next_at: dict[str, float] = {}

    def wait(self, host: str, interval: float):
        with self.lock:
            now = self.clock()
            at = max(now, self.next_at.get(host, now))
            self.next_at[host] = at + interval
        if at > now:
            self.sleep(at - now)


# One per process, shared by the tasks a worker runs.
throttle = HostThrottle()


def _public_addresses_only(host: str, port: int, resolve=socket.getaddrinfo) -> str:
    """``""`` when every address of ``host`` is global, else why not."""
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _Unreachable(str(error)) from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:
            address = mapped
        if not address.is_global or address.is_multicast:
            return f"{host} resolves to {address}"
    return ""


class _Unreachable(Exception):
    pass


class LinkChecker:
    """Checks addresses one by one; create one per run (it remembers results)."""

    def __init__(
        self, options=None, *, throttle=throttle, clock=time.monotonic, resolve=socket.getaddrinfo
    ):
        self.options = {**settings(), **(options or {})}
        self.throttle = throttle
        self.clock = clock
        self.resolve = resolve  # for the public-address check (tests give their own)
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or .netrc credentials from the environment
        user_agent = self.options["USER_AGENT"] or (
            f"wagtail-algoregister-linkcheck/{__version__} (checks links of an algorithm register)"
        )
        self.session.headers.update({"User-Agent": user_agent, "Accept": "*/*"})
        self.results: dict[str, LinkResult] = {}

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def check(self, url: str) -> LinkResult:
        url = url.strip()
        if url not in self.results:
            self.results[url] = self._check(url)
        return self.results[url]

    def _refusal(self, url: str) -> str | None:
        """Why ``url`` must not be fetched (an outcome), or None."""
        if scheme(url) not in WEB_SCHEMES:
            return "not_checked"
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 (raises ValueError for a port out of range)
        except ValueError:
            return "not_checked"
        if not parts.hostname:
            return "not_checked"
        if parts.username is not None or parts.password is not None:
            return "blocked"
        return None

    def _check(self, url: str) -> LinkResult:
        options = self.options
        deadline = self.clock() + options["DEADLINE"]
        current, moved_permanently = url, True
        for _hop in range(options["MAX_REDIRECTS"] + 1):
            if self.clock() > deadline:
                return LinkResult(url, "timeout", final_url=current if current != url else "")
            refusal = self._refusal(current)
            if refusal:
                return LinkResult(url, refusal, final_url=current if current != url else "")
            parts = urlsplit(current)
            try:
                if not options["ALLOW_PRIVATE_ADDRESSES"]:
                    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
                    why = _public_addresses_only(parts.hostname, port, self.resolve)
                    if why:
                        return LinkResult(url, "blocked", detail=why)
                self.throttle.wait(parts.hostname.lower(), options["MIN_INTERVAL"])
                response = self.session.get(
                    current,
                    stream=True,
                    allow_redirects=False,
                    timeout=(options["TIMEOUT"], options["TIMEOUT"]),
                )
            except _Unreachable as error:
                return LinkResult(url, "unreachable", detail=str(error))
            except requests.Timeout as error:
                return LinkResult(url, "timeout", detail=type(error).__name__)
            except (requests.ConnectionError, requests.RequestException, ValueError) as error:
                return LinkResult(url, "unreachable", detail=f"{type(error).__name__}: {error}")
            with response:
                status = response.status_code
                location = response.headers.get("Location")
                if status in REDIRECTS and location:
                    moved_permanently = moved_permanently and status in PERMANENT
                    current = urljoin(current, location.strip())
                    continue
                outcome = self._read(response, deadline)
            if outcome:
                return LinkResult(url, outcome, status, final_url=current)
            final = current if current != url else ""
            return LinkResult(url, _classify(status, final, moved_permanently), status, final)
        return LinkResult(url, "too_many_redirects", final_url=current)

    def _read(self, response, deadline):
        """Read at most MAX_BYTES of the body, before the deadline; an outcome on failure."""
        read = 0
        try:
            for chunk in response.iter_content(8192):
                read += len(chunk)
                if read >= self.options["MAX_BYTES"] or self.clock() > deadline:
                    break
        except requests.Timeout:
            return "timeout"
        except requests.RequestException:
            # A body cut off after a good status still proves the page exists.
            return None
        return None


def _classify(status, final_url, moved_permanently):
    if 200 <= status < 300:
        # Only permanent moves are worth an edit; temporary ones (logins, language
        # choice) are how the site wants to be reached.
        return "moved" if final_url and moved_permanently else "ok"
    if status in (404, 410):
        return "not_found"
    if status in REFUSALS:
        return "refused"
    if 400 <= status < 500:
        return "client_error"
    if status >= 500:
        return "server_error"
    return "ok"
