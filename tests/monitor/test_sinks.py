"""Sinks: JSON lines, and the HMAC-signed webhook against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from shieldwall.core.severity import Severity
from shieldwall.monitor.alerts import Alert
from shieldwall.monitor.errors import SinkError
from shieldwall.monitor.event import Event, LogSource
from shieldwall.monitor.sinks import JsonLinesSink, WebhookSink

SECRET = b"s3cret-for-tests"


def _alert(n: int = 1) -> Alert:
    event = Event.create(
        source="auth.log",
        line=n,
        raw=f"line {n}",
        logsource=LogSource.of("linux"),
        fields={"a": n},
        timestamp=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return Alert("SW-MON-001", "t", Severity.HIGH, "auth.log", "source.ip=1", None, None, [event])


class Receiver:
    """A webhook receiver that checks signatures; ``fail_next`` answers 503 that many times."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, object]] = []
        self.bad_signatures = 0
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.fail_next:
                    receiver.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                stamp = self.headers["X-Shieldwall-Timestamp"]
                mac = hmac.new(SECRET, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(self.headers["X-Shieldwall-Signature"], f"sha256={mac}"):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                receiver.bodies.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def alerts(self) -> list[object]:
        return [a for body in self.bodies for a in body["alerts"]]  # type: ignore[attr-defined]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as http:
        yield http


def test_jsonl_sink_writes_one_alert_per_line() -> None:
    stream = io.StringIO()
    JsonLinesSink(stream).send([_alert(1), _alert(2)])
    rows = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [r["events"][0]["line"] for r in rows] == [1, 2]
    assert {"rule_id", "rule_title", "severity", "source", "events"} <= set(rows[0])


def test_webhook_delivers_signed_batches(receiver: Receiver, client: httpx.Client) -> None:
    sink = WebhookSink(client, receiver.url, SECRET, batch=2)
    sink.send([_alert(i) for i in range(5)])
    sink.close()
    assert receiver.bad_signatures == 0
    assert [len(b["alerts"]) for b in receiver.bodies] == [2, 2, 1]  # type: ignore[arg-type]
    assert [a["events"][0]["line"] for a in receiver.alerts] == [0, 1, 2, 3, 4]  # type: ignore[index]


def test_a_wrong_secret_is_rejected_by_the_receiver(
    receiver: Receiver, client: httpx.Client
) -> None:
    sink = WebhookSink(client, receiver.url, b"wrong", sleep=lambda _s: None)
    with pytest.raises(SinkError, match="HTTP 401"):
        sink.send([_alert()])
    assert receiver.bad_signatures == 1


def test_transient_failures_are_retried(receiver: Receiver, client: httpx.Client) -> None:
    waits: list[float] = []
    receiver.fail_next = 2
    sink = WebhookSink(client, receiver.url, SECRET, retries=3, backoff=0.1, sleep=waits.append)
    sink.send([_alert()])
    sink.close()
    assert waits == [0.1, 0.2] and len(receiver.alerts) == 1


def test_a_sink_that_is_down_keeps_alerts_until_it_is_back(client: httpx.Client) -> None:
    server = Receiver()
    url = server.url
    server.server.shutdown()
    server.server.server_close()  # the port now refuses connections
    sink = WebhookSink(client, url, SECRET, retries=1, sleep=lambda _s: None, max_queue=3)
    sink.send([_alert(1), _alert(2)])
    assert sink.pending == 2
    sink.send([_alert(3), _alert(4)])  # the bounded queue drops the oldest, and counts it
    assert (sink.pending, sink.dropped) == (3, 1)
    with pytest.raises(SinkError, match="3 alerts undelivered, 1 dropped"):
        sink.close()
    back = Receiver()
    try:
        sink.url = back.url
        sink.send([])
        assert sink.pending == 0
        assert [a["events"][0]["line"] for a in back.alerts] == [2, 3, 4]  # type: ignore[index]
    finally:
        back.server.shutdown()
        back.server.server_close()
