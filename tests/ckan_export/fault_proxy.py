"""A fault-injecting HTTP proxy in front of a real (local) CKAN, for the fault tests.

Loopback only, standard library only. The proxy listens on 127.0.0.1 (a free port) and
forwards every request to the CKAN at ``upstream`` with ``http.client``, unless a fault
is switched on::

    with FaultProxy(ckan.url) as proxy:
        proxy.set("drop_after_send", actions={"package_create"}, count=1)
        ...                      # the next package_create runs on CKAN, its answer is lost
        proxy.clear()            # back to "pass"

Modes (:data:`MODES`):

``pass``             forward and answer.
``refuse``           the client gets a connection error. Without ``actions`` and ``count``
                     the listening socket is closed (connection refused, as when the portal
                     is down) and opened again on the same port by the next :meth:`set`;
                     otherwise the connection is reset (RST) before the request is forwarded.
``error500``         answer ``500`` with an HTML (non-JSON) body; nothing is forwarded.
``slow``             forward (CKAN executes the request), then hold the answer for ``delay``
                     seconds, past the client's timeout.
``drop_after_send``  forward (CKAN executes the request), then close the client's
                     connection without answering: the lost-answer case.

``actions`` limits a fault to some CKAN actions (the last part of ``/api/3/action/<name>``);
``count`` to the first N matching requests, after which the proxy passes again.
:attr:`events` lists ``(action, mode)`` for every request the proxy saw.

Bounded everywhere: socket timeouts on both sides, a maximum request size, a maximum
delay, a maximum lifetime after which the proxy stops itself, and :meth:`stop` (also on
leaving the ``with`` block) wakes every delayed answer and joins the server thread.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


MODES = ("pass", "refuse", "error500", "slow", "drop_after_send")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "host",
        "server",
        "date",
    }
)
MAX_BODY = 20 * 1024 * 1024  # bytes of one request
MAX_DELAY = 60.0  # seconds a slow answer may be held
ERROR_PAGE = (
    b"<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>"
    b"<body><h1>Internal Server Error</h1><p>The proxy broke this on purpose.</p></body></html>"
)


def _reset(sock: socket.socket):
    """Close a socket with an RST instead of a FIN (SO_LINGER with a zero timeout)."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, so a fault never hits a pooled connection
    # that a later request would reuse.
    protocol_version = "HTTP/1.0"
    timeout = 15  # seconds for reading the client's request

    @property
    def proxy(self) -> FaultProxy:
        return self.server.proxy

    def log_message(self, format, *args):
        pass  # quiet: the proxy keeps its own events

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def _handle(self):
        self.close_connection = True
        action = urlsplit(self.path).path.rstrip("/").rsplit("/", 1)[-1]
        mode, delay = self.proxy._decide(action)
        if mode == "refuse":
            # Reset before reading the body: the client sees a connection error.
            self._hang_up(reset=True)
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            self.send_error(413)
            return
        body = self.rfile.read(length) if length else b""
        if mode == "error500":
            self._answer(500, [("Content-Type", "text/html; charset=utf-8")], ERROR_PAGE)
            return
        try:
            status, headers, answer = self.proxy._forward(
                self.command, self.path, self.headers, body
            )
        except (OSError, http.client.HTTPException):
            self._answer(502, [("Content-Type", "text/plain")], b"upstream unreachable")
            return
        if mode == "drop_after_send":
            # CKAN has executed the request; the client never hears about it.
            self._hang_up(reset=False)
            return
        if mode == "slow" and self.proxy._stopping.wait(delay):
            return  # stopping: do not answer at all
        self._answer(status, headers, answer)

    def _hang_up(self, *, reset: bool):
        """Close the client's connection now, without an answer (RST or FIN)."""
        self.rfile.close()
        self.wfile.close()
        # BaseHTTPRequestHandler flushes wfile after the handler: give it a harmless one.
        self.wfile = io.BytesIO()
        if reset:
            _reset(self.connection)
        else:
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    def _answer(self, status, headers, body):
        try:
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (slow mode): nothing to do


class FaultProxy:
    """See the module docstring. Use as a context manager, or call start() and stop()."""

    def __init__(
        self,
        upstream: str,
        *,
        upstream_timeout: float = 60.0,
        lifetime: float = 1800.0,
    ):
        parts = urlsplit(upstream)
        if parts.scheme != "http" or parts.hostname not in LOOPBACK:
            raise ValueError(
                f"FaultProxy forwards to a loopback http:// URL only, not {upstream!r}"
            )
        self.upstream_host = parts.hostname
        self.upstream_port = parts.port or 80
        self.upstream_prefix = parts.path.rstrip("/")
        self.upstream_timeout = upstream_timeout
        self.lifetime = lifetime
        self.port = 0
        self.events: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._mode, self._actions, self._remaining, self._delay = "pass", None, None, 0.0
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None

    # -- life cycle -----------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._stopping.clear()
        self._listen()
        # A last resort: the proxy stops itself after `lifetime` seconds.
        self._timer = threading.Timer(self.lifetime, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self):
        self._stopping.set()
        if self._timer is not None and self._timer is not threading.current_thread():
            self._timer.cancel()
        self._unlisten()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _listen(self):
        if self._server is not None or self._stopping.is_set():
            return
        server = ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        server.daemon_threads = True
        server.block_on_close = False
        server.proxy = self
        self.port = server.server_address[1]
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fault-proxy-{self.port}",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread

    def _unlisten(self):
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    # -- faults ---------------------------------------------------------------

    def set(self, mode: str, *, actions=None, count: int | None = None, delay: float = 0.0):
        """Switch to ``mode`` for ``actions`` (None: all) and the first ``count`` requests."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {MODES}")
        if not 0 <= delay <= MAX_DELAY:
            raise ValueError(f"delay must be between 0 and {MAX_DELAY} seconds")
        with self._lock:
            self._mode = mode
            self._actions = frozenset(actions) if actions is not None else None
            self._remaining = count
            self._delay = delay
        if mode == "refuse" and actions is None and count is None:
            self._unlisten()  # nothing listens: connection refused
        else:
            self._listen()

    def clear(self):
        self.set("pass")

    def faults(self, mode: str | None = None, action: str | None = None) -> int:
        """How many requests got a fault (of ``mode``, for ``action``)."""
        with self._lock:
            return sum(
                1
                for a, m in self.events
                if m != "pass" and (mode is None or m == mode) and (action is None or a == action)
            )

    def _decide(self, action: str) -> tuple[str, float]:
        with self._lock:
            mode = self._mode
            if mode != "pass" and self._actions is not None and action not in self._actions:
                mode = "pass"
            if mode != "pass" and self._remaining is not None:
                if self._remaining <= 0:
                    mode = "pass"
                else:
                    self._remaining -= 1
            self.events.append((action, mode))
            return mode, self._delay

    def _forward(self, method, path, headers, body):
        connection = http.client.HTTPConnection(
            self.upstream_host, self.upstream_port, timeout=self.upstream_timeout
        )
        try:
            forwarded = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP}
            forwarded["Host"] = f"{self.upstream_host}:{self.upstream_port}"
            forwarded["Content-Length"] = str(len(body))
            connection.request(method, self.upstream_prefix + path, body=body, headers=forwarded)
            response = connection.getresponse()
            answer = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
            return response.status, kept, answer
        finally:
            connection.close()
