"""A local HTTP server with every kind of answer the link checker must handle."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


HUGE = 200 * 1024 * 1024  # what /huge offers; the checker must stop long before


class LinkServer:
    def __init__(self, *, slow_seconds=3.0):
        self.requests = []  # (path, headers) in the order they came
        self.huge_sent = 0
        self.slow_seconds = slow_seconds
        self.redirect_to = {}  # path -> Location, set by tests
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status, body=b"", headers=()):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass  # the checker gave up waiting (the timeout test)

            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                path = self.path
                if path in server.redirect_to:
                    return self._send(302, headers=[("Location", server.redirect_to[path])])
                if path == "/ok":
                    return self._send(200, b"<html><body>Hallo</body></html>")
                if path == "/moved":
                    return self._send(301, headers=[("Location", "/ok")])
                if path == "/temporary":
                    return self._send(302, headers=[("Location", "/ok")])
                if path == "/missing":
                    return self._send(404, b"niet gevonden")
                if path == "/error":
                    return self._send(500, b"fout")
                if path == "/forbidden":
                    return self._send(403, b"nee")
                if path == "/loop":
                    return self._send(302, headers=[("Location", "/loop")])
                if path.startswith("/chain/"):
                    left = int(path.rsplit("/", 1)[1])
                    target = "/ok" if left == 0 else f"/chain/{left - 1}"
                    return self._send(302, headers=[("Location", target)])
                if path == "/slow":
                    time.sleep(server.slow_seconds)
                    return self._send(200, b"te laat")
                if path == "/huge":
                    self.send_response(200)
                    self.send_header("Content-Length", str(HUGE))
                    self.end_headers()
                    chunk = b"x" * 65536
                    try:
                        while server.huge_sent < HUGE:
                            self.wfile.write(chunk)
                            server.huge_sent += len(chunk)
                    except OSError:
                        pass  # the checker hung up: what it should do
                    self.close_connection = True
                    return None
                return self._send(404)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self):
        return [path for path, _headers in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class Listener:
    """A TCP port that records connections (stands in for an FTP or other server)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while self.running:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()
