"""The HTTP ingest endpoint: JSON lines (or a JSON array) POSTed with a bearer token.

``POST /ingest`` with ``Authorization: Bearer <token>`` and a body of JSON objects, one per line
(``application/x-ndjson``) or one JSON array of objects (``application/json``). Answers:

- ``200 {"accepted": n, "rejected": [{"line": i, "reason": ...}]}`` once the events went through
  detection and their alerts were delivered: an acknowledged batch can no longer be lost;
- ``401`` without the right token (compared in constant time), ``411`` without a length,
  ``413`` over ``max_body`` bytes, ``415`` for another content type;
- ``503`` with ``Retry-After`` when the inbox is full (back-pressure) or the batch was not
  processed within ``ack_timeout``; the client retries, and alert keys are stable, so a batch
  processed twice raises no second alert in the hub.
"""

from __future__ import annotations

import hmac
import json
import ssl
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from shieldwall.monitor.parsers import LogFormat
from shieldwall.monitor.sources.inbox import Batch, Inbox, Message
from shieldwall.monitor.sources.tls import TlsServerMixin

MAX_BODY = 10 * 1024 * 1024
# How much of a refused body is read and dropped before closing, and for how long at most.
_LINGER_BYTES = 1024 * 1024
_LINGER_SECONDS = 2.0
INGEST_PATH = "/ingest"


class HttpIngestServer(TlsServerMixin, ThreadingHTTPServer):
    """The ingest endpoint (HTTP, or HTTPS with ``tls``), feeding the inbox."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        inbox: Inbox,
        token: str,
        *,
        max_body: int = MAX_BODY,
        ack_timeout: float = 30.0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.tls = tls
        if len(token) < 16:
            raise ValueError("the ingest token must be at least 16 characters")
        self.inbox = inbox
        self.token = token.encode()
        self.max_body = max_body
        self.ack_timeout = ack_timeout
        self._lock = threading.Lock()
        self._batches = 0
        super().__init__(address, _IngestHandler)
        scheme = "https" if tls is not None else "http"
        self.name = f"{scheme}://{address[0]}:{self.server_address[1]}{INGEST_PATH}"

    def next_batch(self) -> int:
        """A number for the next batch (messages are numbered ``batch * 100000 + line``)."""
        with self._lock:
            self._batches += 1
            return self._batches


def _split(body: bytes, content_type: str) -> list[tuple[int, str] | tuple[int, None, str]]:
    """(line, JSON text) per record, or (line, None, reason) for one that cannot be an event."""
    if content_type == "application/json":
        try:
            data: Any = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            return [(1, None, f"invalid JSON: {exc}")]
        records = data if isinstance(data, list) else [data]
        out: list[tuple[int, str] | tuple[int, None, str]] = []
        for index, record in enumerate(records, 1):
            if isinstance(record, dict):
                out.append((index, json.dumps(record, ensure_ascii=False)))
            else:
                out.append((index, None, "not a JSON object"))
        return out
    lines: list[tuple[int, str] | tuple[int, None, str]] = []
    for index, raw in enumerate(body.split(b"\n"), 1):
        if not raw.strip():
            continue
        if b"\x00" in raw:
            lines.append((index, None, "binary data (NUL bytes)"))
            continue
        lines.append((index, raw.decode("utf-8", errors="backslashreplace").rstrip("\r")))
    return lines


class _IngestHandler(BaseHTTPRequestHandler):
    server: HttpIngestServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: request logs would repeat tokens' neighbours; the daemon reports counts."""

    def _answer(self, status: HTTPStatus, body: dict[str, Any], **headers: str) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if self.close_connection:
            # Said, not only done: a client that is not told reuses the connection for its next
            # request and sees it dropped ("server disconnected without sending a response").
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def _linger(self, declared: int) -> None:
        """Read and drop what the client is still sending (bounded) before the connection closes.

        Closing a socket with unread bytes makes the kernel reset the connection, and a client
        still sending its body may then lose the answer it was sent; draining a bounded amount
        first, as web servers do, lets it read the 413.
        """
        self.wfile.flush()
        budget = min(declared, _LINGER_BYTES)
        try:
            self.connection.settimeout(_LINGER_SECONDS)
            while budget > 0:
                chunk = self.rfile.read1(min(budget, 64 * 1024))
                if not chunk:
                    break
                budget -= len(chunk)
        except OSError:
            pass  # the client gave up or the time is up: close anyway

    def do_GET(self) -> None:
        """Only a health check is served on GET."""
        if self.path == "/health":
            self._answer(HTTPStatus.OK, {"status": "ok", "queued": len(self.server.inbox)})
        else:
            self._answer(HTTPStatus.NOT_FOUND, {"detail": "not found"})

    def do_POST(self) -> None:
        """Accept one batch of events."""
        server = self.server
        if self.path.split("?", 1)[0] != INGEST_PATH:
            self._answer(HTTPStatus.NOT_FOUND, {"detail": "not found"})
            return
        scheme, _, presented = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            presented.strip().encode(), server.token
        ):
            self.close_connection = True
            self._answer(HTTPStatus.UNAUTHORIZED, {"detail": "bad or missing bearer token"})
            declared = self.headers.get("Content-Length", "")
            self._linger(int(declared) if declared.isdigit() else 0)
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            self._answer(HTTPStatus.LENGTH_REQUIRED, {"detail": "Content-Length required"})
            return
        if int(length) > server.max_body:
            self.close_connection = True  # the body is not read: the connection is unusable
            self._answer(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                {"detail": f"body over the limit of {server.max_body} bytes"},
            )
            self._linger(int(length))
            return
        content_type = self.headers.get("Content-Type", "application/x-ndjson").split(";")[0]
        body = self.rfile.read(int(length))
        if content_type not in ("application/x-ndjson", "application/json", "text/plain"):
            self._answer(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"detail": "send JSON lines"})
            return
        self._ingest(body, content_type)

    def _ingest(self, body: bytes, content_type: str) -> None:
        server = self.server
        base = server.next_batch() * 100_000
        messages: list[Message] = []
        for item in _split(body, content_type):
            if len(item) == 3:
                messages.append(Message(server.name, base + item[0], "", item[2]))
            else:
                messages.append(Message(server.name, base + item[0], item[1] or ""))
        rejected = [{"line": m.number - base, "reason": m.problem} for m in messages if m.problem]
        batch = Batch(server.name, LogFormat.JSONL, messages)
        if not messages:
            self._answer(HTTPStatus.OK, {"accepted": 0, "rejected": rejected})
            return
        if not server.inbox.offer(batch):
            self._answer(
                HTTPStatus.SERVICE_UNAVAILABLE, {"detail": "ingest queue full"}, Retry_After="5"
            )
            return
        if not batch.done.wait(server.ack_timeout):
            self._answer(
                HTTPStatus.SERVICE_UNAVAILABLE,
                {"detail": "not processed in time; retrying is safe"},
                Retry_After="5",
            )
            return
        accepted = len(messages) - len(rejected)
        self._answer(HTTPStatus.OK, {"accepted": accepted, "rejected": rejected})
