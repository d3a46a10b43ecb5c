"""A real HTTP server on 127.0.0.1 that serves OSV archives like the OSV bucket does.

``<base>/<Ecosystem>/all.zip`` with ``ETag``/``Last-Modified`` validators (answering conditional
requests with 304), ``Content-Length`` and ``x-goog-hash: md5=...``. ``faults`` makes it
misbehave per ecosystem: ``truncate`` (a short body), ``bad-md5``, ``error`` (HTTP 500).
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class OsvBucket:
    """What the server serves, and what it saw."""

    archives: dict[str, bytes] = field(default_factory=dict)
    faults: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base_url: str = ""

    def etag(self, ecosystem: str) -> str:
        return '"' + hashlib.sha256(self.archives[ecosystem]).hexdigest()[:16] + '"'


def _handler(bucket: OsvBucket) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return  # keep test output quiet

        def do_GET(self) -> None:
            bucket.requests.append((self.path, dict(self.headers.items())))
            parts = self.path.strip("/").split("/")
            if len(parts) != 2 or parts[1] != "all.zip" or parts[0] not in bucket.archives:
                self.send_error(404)
                return
            ecosystem = parts[0]
            fault = bucket.faults.get(ecosystem, "")
            if fault == "error":
                self.send_error(500)
                return
            body = bucket.archives[ecosystem]
            etag = bucket.etag(ecosystem)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            md5 = hashlib.md5(body, usedforsecurity=False).digest()  # what GCS sends
            if fault == "bad-md5":
                md5 = hashlib.md5(body + b"x", usedforsecurity=False).digest()
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Sun, 29 Nov 2026 12:00:00 GMT")
            self.send_header("x-goog-hash", "crc32c=AAAAAA==")
            self.send_header("x-goog-hash", f"md5={base64.b64encode(md5).decode()}")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if fault == "truncate" else body)

    return Handler


@contextmanager
def serve_osv(bucket: OsvBucket) -> Iterator[OsvBucket]:
    """Serve the bucket on an ephemeral port of 127.0.0.1 for the duration of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(bucket))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    bucket.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield bucket
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
