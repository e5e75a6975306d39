"""A thin client for one portal: timeouts, a rate limit and clear error classes.

ckanapi has no default timeout and reports HTTP failures as one generic
exception; this wrapper (on :class:`~wagtail_algoregister.sync.http.HttpClient`) sets
the timeout on every call and sorts failures into transient ones (retry later) and
permanent ones (show the editor, do not retry).
"""

from __future__ import annotations

import re

import ckanapi
import requests
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_algoregister.sync.errors import (
    NotAuthorised,
    NotFound,
    PermanentError,
    SyncError,
    TransientError,
)
from wagtail_algoregister.sync.http import USER_AGENT, HttpClient
from wagtail_algoregister.sync.ratelimit import get_limiter

from .conf import Portal


__all__ = [
    "NotAuthorised",
    "NotFound",
    "PermanentError",
    "PortalClient",
    "SyncError",
    "TransientError",
    "describe_validation",
]
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


class PortalClient(HttpClient):
    timeout_message = gettext_lazy(
        "The portal did not answer within %(seconds)s seconds; will try again."
    )
    connection_message = gettext_lazy("Could not connect to the portal; will try again.")
    network_message = gettext_lazy("Network error (%(error)s); will try again.")

    def __init__(self, portal: Portal, *, session: requests.Session | None = None, limiter=None):
        super().__init__(
            timeout=portal.timeout,
            limiter=limiter
            or get_limiter(
                portal.url, portal.rate_limit, portal.rate_window, portal.rate_limit_cache
            ),
            session=session,
        )
        self.portal = portal
        self.remote = ckanapi.RemoteCKAN(
            portal.url, apikey=portal.token or None, user_agent=USER_AGENT, session=self.session
        )

    def call(self, action: str, **data):
        self.before_request(action)
        try:
            # Network failures become transient errors in transport(); ckanapi's own
            # errors (an answer from the portal) are sorted below.
            with self.transport(action):
                return self.remote.call_action(
                    action, data, requests_kwargs={"timeout": self.timeout}
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


def _status(text):
    # ckanapi puts [url, status, body] in the message of a non-JSON answer.
    match = re.search(r"',\s*(\d{3})\s*,", text) or STATUS.search(text)
    return int(match.group(1)) if match else None
