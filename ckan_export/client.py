"""A thin client for one portal: timeouts, a rate limit and clear error classes.

ckanapi has no default timeout and reports HTTP failures as one generic
exception; this wrapper sets the timeout on every call and sorts failures into
transient ones (retry later) and permanent ones (show the editor, do not retry).
"""

from __future__ import annotations

import re
import threading
import time

import ckanapi
import requests
from django.utils.translation import gettext as _

import wagtail_algoregister

from .conf import Portal


USER_AGENT = f"wagtail-algoregister/{wagtail_algoregister.__version__} (+https://pypi.org/project/wagtail-algoregister/)"
# Actions that change a portal (everything else the engine calls only reads).
WRITE_ACTIONS = frozenset(
    {
        "package_create",
        "package_update",
        "package_revise",
        "package_patch",
        "package_delete",
        "dataset_purge",
    }
)
STATUS = re.compile(r"(?<![0-9])(\d{3})(?![0-9])")


class SyncError(Exception):
    """A failure talking to the portal. ``message`` is for editors (no secrets)."""

    transient = False

    def __init__(self, message, *, action="", error_dict=None):
        super().__init__(message)
        self.message = message
        self.action = action
        self.error_dict = error_dict or {}


class TransientError(SyncError):
    """Timeouts, refused connections, 429 and 5xx: worth trying again later."""

    transient = True


class PermanentError(SyncError):
    """Validation errors, refused authorisation, a wrong URL: retrying will not help."""


class NotFound(PermanentError):
    pass


class NotAuthorised(PermanentError):
    pass


def describe_validation(error_dict) -> str:
    """CKAN's validation errors as one plain sentence per field."""
    parts = []
    for field, messages in sorted((error_dict or {}).items()):
        if field == "__type":
            continue
        if isinstance(messages, dict):
            messages = [describe_validation(messages)]
        elif not isinstance(messages, list):
            messages = [messages]
        parts.append(f"{field}: {'; '.join(str(m) for m in messages)}")
    return " | ".join(parts) or "validation failed"


class PortalClient:
    def __init__(self, portal: Portal, *, session: requests.Session | None = None):
        self.portal = portal
        self.session = session or requests.Session()
        self.remote = ckanapi.RemoteCKAN(
            portal.url, apikey=portal.token or None, user_agent=USER_AGENT, session=self.session
        )
        self._interval = 1.0 / portal.rate_limit if portal.rate_limit > 0 else 0.0
        self._last_call = 0.0
        self._lock = threading.Lock()
        self.calls: list[str] = []  # action names, for tests, dry runs and benchmarks

    def _throttle(self):
        if not self._interval:
            return
        with self._lock:
            wait = self._last_call + self._interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last_call = time.monotonic()

    def call(self, action: str, **data):
        self._throttle()
        self.calls.append(action)
        try:
            return self.remote.call_action(
                action, data, requests_kwargs={"timeout": self.portal.timeout}
            )
        except ckanapi.ValidationError as e:
            error_dict = e.error_dict if isinstance(e.error_dict, dict) else {"error": e.error_dict}
            raise PermanentError(
                _("The portal refused the data: %(errors)s")
                % {"errors": describe_validation(error_dict)},
                action=action,
                error_dict=error_dict,
            ) from None
        except ckanapi.NotAuthorized:
            raise NotAuthorised(
                _(
                    "The portal refused access: check that the API token is valid and belongs to an editor "
                    "of the organisation “%(organisation)s”."
                )
                % {"organisation": self.portal.organization},
                action=action,
            ) from None
        except ckanapi.NotFound:
            raise NotFound(
                _("Not found on the portal (%(action)s).") % {"action": action}, action=action
            ) from None
        except ckanapi.SearchIndexError:
            raise TransientError(
                _("The portal's search index failed; will try again."), action=action
            ) from None
        except ckanapi.ServerIncompatibleError:
            raise PermanentError(
                _("%(url)s does not answer like a CKAN portal; check the portal URL.")
                % {"url": self.portal.url},
                action=action,
            ) from None
        except ckanapi.CKANAPIError as e:
            status = _status(str(e))
            if status is None or status == 429 or status >= 500:
                raise TransientError(
                    _("The portal answered with an error (%(status)s); will try again.")
                    % {"status": status or "?"},
                    action=action,
                ) from None
            raise PermanentError(
                _("The portal answered with HTTP %(status)s to %(action)s.")
                % {"status": status, "action": action},
                action=action,
            ) from None
        except requests.Timeout:
            raise TransientError(
                _("The portal did not answer within %(seconds)s seconds; will try again.")
                % {"seconds": f"{self.portal.timeout:g}"},
                action=action,
            ) from None
        except requests.ConnectionError:
            raise TransientError(
                _("Could not connect to the portal; will try again."), action=action
            ) from None
        except requests.RequestException as e:
            raise TransientError(
                _("Network error (%(error)s); will try again.") % {"error": type(e).__name__},
                action=action,
            ) from None


def _status(text):
    # ckanapi puts [url, status, body] in the message of a non-JSON answer.
    match = re.search(r"',\s*(\d{3})\s*,", text) or STATUS.search(text)
    return int(match.group(1)) if match else None
