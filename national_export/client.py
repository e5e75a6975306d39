"""A thin client for the upload API v1.0: bearer token, rate limit, timeouts, error classes.

Every call goes through the rate limiter (:mod:`wagtail_algoregister.sync.ratelimit`, on
:class:`~wagtail_algoregister.sync.http.HttpClient`), carries a bearer token
(:mod:`.auth`; on a 401 the token is fetched again once and the call repeated) and
sorts failures into transient ones (retry later: timeouts, refused or dropped
connections, 429, 5xx) and permanent ones (show the editor: 422 validation errors,
naming the field, 401/403 after a fresh token, 404).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_algoregister.sync.errors import (
    NotAuthorised,
    NotFound,
    PermanentError,
    SyncError,
    TransientError,
)
from wagtail_algoregister.sync.http import HttpClient
from wagtail_algoregister.sync.ratelimit import get_limiter

from .auth import TokenProvider
from .conf import NationalRegister


__all__ = [
    "InvalidState",
    "NationalClient",
    "NotAuthorised",
    "NotFound",
    "PermanentError",
    "SyncError",
    "TransientError",
    "describe_validation",
]

WRITES = frozenset({"create", "update", "release", "retract"})


class InvalidState(PermanentError):
    """The algorithm is not in the state the action starts from (e.g. already released)."""


def describe_validation(detail) -> str:
    """FastAPI's 422 body (``detail: [{loc, msg, type}]``) as one plain sentence per field."""
    if isinstance(detail, str):
        return detail
    parts = []
    for error in detail if isinstance(detail, list) else []:
        if not isinstance(error, dict):
            continue
        loc = [str(p) for p in error.get("loc") or [] if p != "body"]
        field = ".".join(loc) or "body"
        parts.append(f"{field}: {error.get('msg', '')}")
    return " | ".join(parts) or _("validation failed")


class NationalClient(HttpClient):
    """One API account. ``calls`` lists the operations sent (for tests and dry runs)."""

    timeout_message = gettext_lazy(
        "The national register did not answer within %(seconds)s seconds; will try again."
    )
    connection_message = gettext_lazy(
        "Could not connect to the national register, or the connection broke; will try again."
    )
    network_message = gettext_lazy("Network error (%(error)s); will try again.")

    def __init__(self, config: NationalRegister, *, session=None, tokens=None, limiter=None):
        super().__init__(
            timeout=config.timeout,
            # The register counts requests per client address, not per account: one
            # limit for every account of the site.
            limiter=limiter
            or get_limiter(
                config.url, config.rate_limit, config.rate_window, config.rate_limit_cache
            ),
            session=session,
        )
        self.config = config
        self.tokens = tokens or TokenProvider(config, session=self.session)

    # -- the API's operations ---------------------------------------------------

    def list_algorithms(self, organisation_id: str) -> list[dict]:
        return self.request("list", "GET", f"/organizations/{organisation_id}/algorithms") or []

    def create(self, organisation_id: str, body: dict) -> str:
        result = self.request(
            "create", "POST", f"/organizations/{organisation_id}/algorithms", json=body
        )
        try:
            return str(result["lars_code"])
        except (TypeError, KeyError):
            raise PermanentError(
                _("The national register did not return an id for the new algorithm.")
            ) from None

    def update(self, organisation_id: str, lars: str, body: dict):
        return self.request(
            "update", "PUT", f"/organizations/{organisation_id}/algorithms/{lars}", json=body
        )

    def get(self, organisation_id: str, lars: str):
        return self.request("get", "GET", f"/organizations/{organisation_id}/algorithms/{lars}")

    def release(self, organisation_id: str, lars: str):
        return self.request(
            "release", "PUT", f"/organizations/{organisation_id}/algorithms/{lars}/release"
        )

    def retract(self, organisation_id: str, lars: str):
        return self.request(
            "retract",
            "DELETE",
            f"/organizations/{organisation_id}/published-algorithms/{lars}/retract",
        )

    # -- transport ----------------------------------------------------------------

    def request(self, operation: str, method: str, path: str, *, json=None):
        token = self.tokens.token()
        for attempt in range(2):
            response = self._send(operation, method, path, token, json)
            if response.status_code == 401 and attempt == 0 and self.tokens.can_refresh:
                # Expired or revoked: one fresh token, one more try.
                self.tokens.invalidate(token)
                token = self.tokens.token(refresh=True)
                continue
            return self._result(operation, response)
        raise AssertionError("unreachable")

    def _send(self, operation, method, path, token, json):
        return self.send(
            operation,
            method,
            self.config.url + path,
            json=json,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )

    def _result(self, operation, response):
        status = response.status_code
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        detail = body.get("detail") if isinstance(body, dict) else None
        if 200 <= status < 300:
            return body
        if status == 429 or status >= 500:
            raise TransientError(
                _("The national register answered with HTTP %(status)s; will try again.")
                % {"status": status},
                status=status,
                detail=detail,
            )
        if status == 422:
            raise PermanentError(
                _("The national register refused the data: %(errors)s")
                % {"errors": describe_validation(detail)},
                status=status,
                detail=detail,
            )
        if status in (401, 403):
            raise NotAuthorised(
                _(
                    "The national register refused access (HTTP %(status)s): check that the account "
                    "may edit the algorithms of organisation “%(organisation)s”."
                )
                % {"status": status, "organisation": _organisation(response.url)},
                status=status,
                detail=detail,
            )
        if status == 404:
            raise NotFound(
                _("Not found in the national register (%(operation)s).") % {"operation": operation},
                status=status,
                detail=detail,
            )
        if status in (400, 409) and "STATE" in str(detail or "").upper():
            # The register's answer when the latest version is not in the action's
            # starting state, e.g. "INVALID ORIGIN_STATE, CURRENT STATE: STATE_2".
            raise InvalidState(str(detail), status=status, detail=detail)
        raise PermanentError(
            _("The national register answered with HTTP %(status)s to %(operation)s: %(detail)s")
            % {"status": status, "operation": operation, "detail": str(detail or "")[:300]},
            status=status,
            detail=detail,
        )


def _organisation(url: str) -> str:
    """The organisation id in a request's URL (``…/organizations/<id>/…``)."""
    parts = (url or "").split("/organizations/", 1)
    return parts[1].split("/", 1)[0] if len(parts) == 2 else "?"
