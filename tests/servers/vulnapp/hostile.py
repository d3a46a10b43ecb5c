"""A server that misbehaves on purpose: hangs, resets, redirect loops, huge and binary bodies,
broken HTML, and 429 rate limiting. Stdlib ``http.server``: it can do what ASGI servers refuse."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

INDEX = (
    b"<html><body><a href='/hang'>h</a><a href='/reset'>r</a><a href='/loop-a'>l</a>"
    b"<a href='/huge'>g</a><a href='/binary'>b</a><a href='/broken'>x</a>"
    b"<a href='/rate'>t</a><div><p><a href='/after-broken?q=1'"
)
HUGE = 5_000_000


class _Handler(BaseHTTPRequestHandler):
    server_version = "hostile"
    rate_hits = 0

    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, status: int, body: bytes, ctype: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/":
            self._send(200, INDEX)
        elif path == "/hang":
            time.sleep(8)  # well past the scan's timeout, even on a loaded machine
            self._send(200, b"late")
        elif path == "/reset":
            # SO_LINGER 0: close sends RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        elif path in ("/loop-a", "/loop-b"):
            self._send(302, b"", Location="/loop-b" if path == "/loop-a" else "/loop-a")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"a" * 65_530 + b"</p>"
            try:
                for _ in range(HUGE // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:
                return
        elif path == "/binary":
            self._send(200, b"\x00\x01\x02PNG" * 1000, "application/octet-stream")
        elif path == "/broken":
            self._send(200, b"<html><body><p <a href='/x' <<< </scr<ipt> \xff\xfe")
        elif path == "/rate":
            type(self).rate_hits += 1
            if type(self).rate_hits == 1:
                self._send(429, b"slow down", "text/plain", Retry_After="0")
            else:
                self._send(200, b"<html><body>ok</body></html>")
        else:
            self._send(404, b"not found", "text/plain")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        return  # the resets are on purpose; no traceback on stderr


@contextmanager
def running_hostile() -> Iterator[str]:
    """Serve the hostile app on an ephemeral port of 127.0.0.1; yields its base URL."""
    handler = type("Handler", (_Handler,), {"rate_hits": 0})
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
