"""A local stand-in for the national register's upload API v1.0 and its Keycloak.

A real HTTP server (``http.server`` in a thread, on a free port) that implements the
paths of the published OpenAPI (``data/aanleverapi_v1_0_openapi.json``) the exporter
uses, with the documented status codes and bodies, and follows the register's code
(github.com/MinBZK/Algoritmeregister ``backend/app/routers/v1_0/algoritme.py`` and
``controllers/action.py``) where the OpenAPI is silent:

- every API request needs ``Authorization: Bearer <token>``; tokens come from a
  Keycloak-style token endpoint (``/realms/algreg/protocol/openid-connect/token``,
  password grant, client ``authentication-client``) as JWT-shaped strings with an
  ``exp`` claim and ``expires_in``; unknown or expired tokens get 401 ``{"detail": …}``;
- request bodies are validated with ``jsonschema`` against the OpenAPI's component
  schemas (``$ref`` resolved; FastAPI's ``"type"`` hints next to ``$ref``/``anyOf``,
  such as ``"type": "enum"``, are dropped, as pydantic ignores them) and against the
  register's own ``max_length_without_html`` limits; failures give 422 with FastAPI's
  ``{"detail": [{"loc": ["body", field], "msg": …, "type": …}]}``;
- POST answers ``{"lars_code": "<8 digits with the LARS check digit>"}``; PUT saves a
  new version in STATE_1; release moves the latest version STATE_1 → STATE_2 and
  answers 400 "INVALID ORIGIN_STATE, CURRENT STATE: …" from any other state (the
  register's code; the OpenAPI also lists 409); :meth:`ContractServer.publish` is the
  register team's STATE_2 → PUBLISHED; retract expires the published versions and
  puts the latest back in STATE_1;
- 25 requests per minute per client address (slowapi's ``25/minute``), 429 beyond;
- fault hooks (:meth:`ContractServer.fail`): an HTTP status instead of the answer, a
  dropped connection after the request was processed, a slow answer; and
  :meth:`ContractServer.expire_tokens`.
"""

from __future__ import annotations

import base64
import collections
import copy
import datetime
import json
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema

from wagtail_algoregister.standard.validation import lars_check_digit


OPENAPI_FILE = Path(__file__).parent / "data" / "aanleverapi_v1_0_openapi.json"
API_PREFIX = "/aanleverapi/v1_0"
TOKEN_PATH = "/realms/algreg/protocol/openid-connect/token"
CLIENT_ID = "authentication-client"
TAG = re.compile(r"<[^>]*>")


def _sanitise(schema):
    """FastAPI's schema hints that are not JSON Schema, removed (see the module docstring)."""
    if isinstance(schema, dict):
        schema = {k: _sanitise(v) for k, v in schema.items()}
        if "type" in schema and ("$ref" in schema or "anyOf" in schema):
            del schema["type"]
        return schema
    if isinstance(schema, list):
        return [_sanitise(v) for v in schema]
    return schema


def load_openapi() -> dict:
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


def text_length(html: str) -> int:
    """Length without HTML, as the register counts it (text nodes joined by a space)."""
    return len(" ".join(part for part in TAG.split(html) if part))


@dataclass
class Fault:
    method: str
    pattern: re.Pattern
    kind: str  # "status", "drop" (after processing), "slow"
    value: float = 0
    times: int = 1


@dataclass
class Algorithm:
    lars: str
    organisation: str
    versions: list = field(default_factory=list)  # [{"body", "state", "by", "at"}]

    @property
    def latest(self):
        return self.versions[-1]

    @property
    def published(self):
        return any(v["state"] == "PUBLISHED" for v in self.versions)


class ContractServer:
    def __init__(
        self,
        *,
        users=None,
        rate_limit=25,
        rate_window=60.0,
        token_lifetime=300,
        clock=time.monotonic,
    ):
        self.openapi = load_openapi()
        components = _sanitise(self.openapi["components"])
        self._validators = {
            name: jsonschema.Draft202012Validator(
                {"$ref": f"#/components/schemas/{name}", "components": components}
            )
            for name in ("AlgorithmIn", "ArchiveVersionRequest")
        }
        self._limits = {
            key: spec["max_length_without_html"]
            for key, spec in self.openapi["components"]["schemas"]["AlgorithmIn"][
                "properties"
            ].items()
            if "max_length_without_html" in spec
        }
        # username -> (password, organisations)
        self.users = users or {"redacteur@gemeente.example": ("geheim-wachtwoord", {"gm0344"})}
        self.rate_limit, self.rate_window, self.clock = rate_limit, rate_window, clock
        self.token_lifetime = token_lifetime
        self.tokens: dict[str, tuple[str, float]] = {}  # token -> (username, expires at, wall)
        self.algorithms: dict[str, Algorithm] = {}
        self.faults: list[Fault] = []
        self.log: list[tuple[str, str, int]] = []  # (method, path, status) of API requests
        self.token_requests = 0
        self.bodies: list[dict] = []  # valid request bodies received
        self._hits: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self._next = 1000000
        self.lock = threading.RLock()
        self.httpd = None

    # -- lifecycle ------------------------------------------------------------------

    def start(self):
        server = self

        class Handler(_Handler):
            contract = server

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def api_url(self):
        return self.url + API_PREFIX

    @property
    def token_url(self):
        return self.url + TOKEN_PATH

    # -- hooks for tests --------------------------------------------------------------

    def fail(self, method, path_regex, kind="status", value=500, times=1):
        """Make the next ``times`` matching API requests fail (see the module docstring)."""
        self.faults.append(Fault(method.upper(), re.compile(path_regex), kind, value, times))

    def expire_tokens(self):
        with self.lock:
            self.tokens = {t: (u, 0.0) for t, (u, _) in self.tokens.items()}

    def publish(self, lars):
        """The register team (or the approver) publishes the released version."""
        with self.lock:
            algorithm = self.algorithms[lars]
            assert algorithm.latest["state"] == "STATE_2", algorithm.latest["state"]
            for version in algorithm.versions:
                if version["state"] == "PUBLISHED":
                    version["state"] = "EXPIRED"
            algorithm.latest["state"] = "PUBLISHED"

    def writes(self):
        return [(m, p) for m, p, s in self.log if m != "GET" and s == 200]

    def reset_log(self):
        self.log.clear()

    # -- the API ------------------------------------------------------------------------

    def new_lars(self):
        self._next += 7
        first = f"{self._next:07d}"[-7:]
        return first + str(lars_check_digit(first))

    def issue_token(self, form):
        self.token_requests += 1
        if form.get("grant_type") != "password":
            return 400, {"error": "unsupported_grant_type"}
        if form.get("client_id") != CLIENT_ID:
            return 401, {"error": "invalid_client", "error_description": "Invalid client"}
        user = self.users.get(form.get("username", ""))
        if user is None or user[0] != form.get("password"):
            return 401, {"error": "invalid_grant", "error_description": "Invalid user credentials"}
        now = time.time()
        claims = {
            "exp": int(now + self.token_lifetime),
            "iat": int(now),
            "preferred_username": form["username"],
            "jti": secrets.token_hex(8),
        }

        def b64(data):
            return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

        token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}.{secrets.token_hex(16)}"
        with self.lock:
            self.tokens[token] = (form["username"], now + self.token_lifetime)
        return 200, {
            "access_token": token,
            "expires_in": self.token_lifetime,
            "refresh_expires_in": 1800,
            "refresh_token": secrets.token_hex(16),
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": "profile email",
        }

    def _rate_limited(self, client) -> bool:
        if not self.rate_limit:
            return False
        now = self.clock()
        hits = self._hits[client]
        while hits and hits[0] <= now - self.rate_window:
            hits.popleft()
        if len(hits) >= self.rate_limit:
            return True
        hits.append(now)
        return False

    def validate(self, schema, body):
        """FastAPI-style 422 details, or []."""
        if not isinstance(body, dict):
            return [
                {
                    "type": "model_attributes_type",
                    "loc": ["body"],
                    "msg": "Input should be a valid dictionary",
                }
            ]
        errors = []
        for error in self._validators[schema].iter_errors(body):
            loc = ["body", *error.absolute_path]
            if error.validator == "required":
                missing = re.search(r"'([^']+)' is a required property", error.message)
                loc.append(missing.group(1) if missing else "?")
                errors.append({"type": "missing", "loc": loc, "msg": "Field required"})
            else:
                errors.append({"type": error.validator, "loc": loc, "msg": error.message[:200]})
        if schema == "AlgorithmIn":
            for key, limit in self._limits.items():
                value = body.get(key)
                if isinstance(value, str) and text_length(value) > limit:
                    errors.append(
                        {
                            "type": "string_too_long",
                            "loc": ["body", key],
                            "msg": f"String should have at most {limit} characters (without HTML)",
                        }
                    )
        return errors

    def handle(self, method, path, headers, body, client):
        """(status, JSON body) of one API request; ``path`` without the API prefix."""
        auth = headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        with self.lock:
            user, expires = self.tokens.get(token, (None, 0))
        if user is None:
            return 401, {"detail": "Not authenticated"}
        if expires <= time.time():
            return 401, {"detail": "Token has expired"}
        if self._rate_limited(client):
            return 429, {"error": f"Rate limit exceeded: {self.rate_limit} per 1 minute"}
        match = re.fullmatch(
            r"/organizations/([^/]+)/(algorithms|published-algorithms)(?:/([^/]+))?(?:/([a-z_]+))?",
            path,
        )
        if not match:
            return 404, {"detail": "Not Found"}
        organisation, collection, lars, action = match.groups()
        if organisation not in self.users[user][1]:
            return 401, {"detail": "User is not a member of this organisation"}
        route = (method, collection, bool(lars), action)
        with self.lock:
            if route == ("GET", "algorithms", False, None):
                return 200, [
                    self.summary(a)
                    for a in self.algorithms.values()
                    if a.organisation == organisation
                ]
            if route == ("POST", "algorithms", False, None):
                errors = self.validate("AlgorithmIn", body)
                if errors:
                    return 422, {"detail": errors}
                self.bodies.append(body)
                lars = self.new_lars()
                algorithm = Algorithm(lars, organisation)
                algorithm.versions.append(self._version(body, user))
                self.algorithms[lars] = algorithm
                return 200, {"lars_code": lars}
            algorithm = self.algorithms.get(lars or "")
            if algorithm is None or algorithm.organisation != organisation:
                return 404, {"detail": f"Algorithm {lars} not found"}
            if route == ("GET", "algorithms", True, None):
                return 200, self.full(algorithm, algorithm.latest)
            if route == ("PUT", "algorithms", True, None):
                errors = self.validate("AlgorithmIn", body)
                if errors:
                    return 422, {"detail": errors}
                self.bodies.append(body)
                for version in algorithm.versions:
                    if version["state"] in ("STATE_1", "STATE_2"):
                        version["state"] = "EXPIRED"
                algorithm.versions.append(self._version(body, user))
                return 200, None
            if route == ("GET", "published-algorithms", True, None):
                published = [v for v in algorithm.versions if v["state"] == "PUBLISHED"]
                if not published:
                    return 404, {"detail": "No published version"}
                return 200, self.full(algorithm, published[-1])
            if route == ("GET", "algorithms", True, "preview"):
                return 200, {"url": f"https://algoritmes.example/nl/algoritme/preview/C{lars}"}
            if route == ("PUT", "algorithms", True, "release"):
                state = algorithm.latest["state"]
                if state != "STATE_1":
                    return 400, {"detail": f"INVALID ORIGIN_STATE, CURRENT STATE: {state}"}
                algorithm.latest["state"] = "STATE_2"
                return 200, None
            if route == ("DELETE", "published-algorithms", True, "retract"):
                for version in algorithm.versions:
                    if version["state"] == "PUBLISHED":
                        version["state"] = "EXPIRED"
                algorithm.latest["state"] = "STATE_1"
                return 200, None
            if route[0] == "PUT" and action in ("archive_version", "unarchive_version"):
                errors = self.validate("ArchiveVersionRequest", body)
                return (422, {"detail": errors}) if errors else (200, None)
        return 405, {"detail": "Method Not Allowed"}

    @staticmethod
    def _version(body, user):
        return {
            "body": copy.deepcopy(body),
            "state": "STATE_1",
            "by": user,
            "at": datetime.datetime.now(datetime.UTC).isoformat(),
        }

    @staticmethod
    def summary(algorithm):
        latest = algorithm.latest
        return {
            "name": latest["body"].get("name"),
            "schema_version": "1.0",
            "last_update_dt": latest["at"],
            "lars": algorithm.lars,
            "source_id": latest["body"].get("source_id"),
            "published": algorithm.published,
            "current_version_released": latest["state"] == "STATE_2",
            "current_version_published": latest["state"] == "PUBLISHED",
            "last_update_by": latest["by"],
        }

    @staticmethod
    def full(algorithm, version):
        return {
            **version["body"],
            "lars": algorithm.lars,
            "state": version["state"],
            "language": "NLD",
            "create_dt": version["at"],
        }

    def take_fault(self, method, path):
        with self.lock:
            for fault in self.faults:
                if fault.method == method and fault.pattern.search(path) and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None


class _Handler(BaseHTTPRequestHandler):
    contract: ContractServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _dispatch(self, method):
        server = self.contract
        raw = self._read()
        parsed = urllib.parse.urlsplit(self.path)
        if method == "POST" and parsed.path == TOKEN_PATH:
            form = dict(urllib.parse.parse_qsl(raw.decode()))
            status, body = server.issue_token(form)
            return self._send(status, body)
        if not parsed.path.startswith(API_PREFIX):
            return self._send(404, {"detail": "Not Found"})
        path = parsed.path[len(API_PREFIX) :]
        fault = server.take_fault(method, path)
        if fault and fault.kind == "status":
            server.log.append((method, path, int(fault.value)))
            return self._send(int(fault.value), {"detail": "Internal Server Error"})
        if fault and fault.kind == "slow":
            time.sleep(fault.value)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            server.log.append((method, path, 422))
            return self._send(
                422,
                {"detail": [{"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error"}]},
            )
        status, answer = server.handle(method, path, self.headers, body, self.client_address[0])
        server.log.append((method, path, status))
        if fault and fault.kind == "drop":
            # Processed, but the answer never arrives.
            self.close_connection = True
            return
        self._send(status, answer)

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")
