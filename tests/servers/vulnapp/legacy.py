"""A legacy-style server on stdlib ``http.server``, which writes header values as given: the only
way to serve a real CRLF injection (ASGI servers refuse CR and LF in headers)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from urllib.parse import parse_qs, urlsplit

PAGE = b"<html><body><a href='/lang?l=en'>en</a> <a href='/lang-safe?l=en'>en</a></body></html>"
SAFE = {
    "Content-Type": "text/html",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class _Handler(BaseHTTPRequestHandler):
    server_version = "legacy"  # no version banner: that is another rule's test
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        lang = parse_qs(parts.query).get("l", ["en"])[0]
        self.send_response(200)
        for name, value in SAFE.items():
            self.send_header(name, value)
        if parts.path == "/lang":
            # shieldwall: ignore[*] DAST test target, flawed on purpose
            self.send_header("Content-Language", lang)
        elif parts.path == "/lang-safe":
            self.send_header("Content-Language", lang.replace("\r", "").replace("\n", ""))
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)


@contextmanager
def running_legacy() -> Iterator[str]:
    """Serve the legacy app on an ephemeral port of 127.0.0.1; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
