"""A tiny HTTP server that plays a registry from a table of canned answers.

For what a real registry will not do: serve a blob that does not match its digest, a body
longer than announced, a redirect to another host, a Basic challenge. Every request is recorded
with its headers, so tests can check what was (not) sent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    """One canned response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class StaticRegistry:
    """Path -> answer; ``auth`` (a full Authorization value) makes every path need it."""

    answers: dict[str, Answer] = field(default_factory=dict)
    auth: str = ""
    challenge: str = 'Basic realm="static"'
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base_url: str = ""
    port: int = 0


def _handler(registry: StaticRegistry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            registry.requests.append((self.path, dict(self.headers.items())))
            if registry.auth and self.headers.get("Authorization") != registry.auth:
                self.send_response(401)
                self.send_header("WWW-Authenticate", registry.challenge)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            answer = registry.answers.get(self.path)
            if answer is None:
                self.send_error(404)
                return
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value.replace("{port}", str(registry.port)))
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

    return Handler


@contextmanager
def serve_static(registry: StaticRegistry) -> Iterator[StaticRegistry]:
    """Serve ``registry`` on an ephemeral port of 127.0.0.1 for the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(registry))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    registry.port = int(server.server_address[1])
    registry.base_url = f"http://127.0.0.1:{registry.port}"
    try:
        yield registry
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
