"""The base of an exporter's HTTP client: one session with our User-Agent, a timeout on
every request, the target's rate limit, and network failures as
:class:`~wagtail_algoregister.sync.errors.TransientError` with a message for editors.

A client subclasses :class:`HttpClient`, sets the three messages in its own words (they
name the target: "the portal", "the national register") and sends each request with
:meth:`HttpClient.send`, or wraps a library's call (ckanapi) in :meth:`HttpClient.transport`
after :meth:`HttpClient.before_request`. It sorts the answers itself: only it knows which
statuses and bodies of its API are worth a retry.
"""

from __future__ import annotations

import contextlib

import requests
from django.utils.translation import gettext_lazy as _

import wagtail_algoregister

from .errors import TransientError


USER_AGENT = (
    f"wagtail-algoregister/{wagtail_algoregister.__version__} "
    "(+https://pypi.org/project/wagtail-algoregister/)"
)


class HttpClient:
    #: With ``%(seconds)s``: the target did not answer in time.
    timeout_message = _("The server did not answer within %(seconds)s seconds; will try again.")
    #: The connection was refused or broke.
    connection_message = _("Could not connect to the server; will try again.")
    #: With ``%(error)s`` (the exception's class name): any other network failure.
    network_message = _("Network error (%(error)s); will try again.")

    def __init__(self, *, timeout: float, limiter, session: requests.Session | None = None):
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.timeout = timeout
        self.limiter = limiter
        self.calls: list[str] = []  # operations sent, for tests, dry runs and benchmarks

    def before_request(self, action: str):
        """Wait for the rate limit, then note the operation."""
        self.limiter.acquire()
        self.calls.append(action)

    @contextlib.contextmanager
    def transport(self, action: str = ""):
        """Network failures inside the block as transient errors (no URL, no body)."""
        try:
            yield
        except requests.Timeout:
            raise TransientError(
                self.timeout_message % {"seconds": f"{self.timeout:g}"}, action=action
            ) from None
        except requests.ConnectionError:
            raise TransientError(str(self.connection_message), action=action) from None
        except requests.RequestException as e:
            raise TransientError(
                self.network_message % {"error": type(e).__name__}, action=action
            ) from None

    def send(self, action: str, method: str, url: str, **kwargs) -> requests.Response:
        """One request, rate-limited, with the timeout; the answer is the caller's to sort."""
        self.before_request(action)
        with self.transport(action):
            return self.session.request(method, url, timeout=self.timeout, **kwargs)
