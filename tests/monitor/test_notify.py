"""Suppression rules, and the Slack, Teams and e-mail sinks against real servers on 127.0.0.1
(an HTTP receiver and an aiosmtpd SMTP server): events attached, rate limits, retries."""

from __future__ import annotations

import email
import email.policy
import io
import json
import socket
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from shieldwall.core.severity import Severity
from shieldwall.hub.notify.smtp import SmtpChannel
from shieldwall.monitor.alerts import Alert
from shieldwall.monitor.config import MonitorConfig, SuppressionConfig
from shieldwall.monitor.daemon import MonitorDaemon
from shieldwall.monitor.errors import SinkError
from shieldwall.monitor.event import Event, LogSource
from shieldwall.monitor.ruleset import load_rules
from shieldwall.monitor.sinks import JsonLinesSink
from shieldwall.monitor.sinks.chat import ChatMessenger
from shieldwall.monitor.sinks.email import EmailMessenger
from shieldwall.monitor.sinks.notify import RateLimitedSink
from shieldwall.monitor.suppress import Suppressor
from tests.monitor.conftest import LOGS

WHEN = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)


def _alert(n: int = 1, ip: str = "203.0.113.9", rule: str = "SW-MON-001") -> Alert:
    event = Event.create(
        source="auth.log",
        line=n,
        raw=f"Dec 10 06:55:{n:02d} host sshd[1]: Failed password for <b>root</b> from {ip}",
        logsource=LogSource.of("linux", ("sshd",)),
        fields={"source.ip": ip, "user.name": "root"},
        timestamp=WHEN + timedelta(seconds=n),
    )
    return Alert(
        rule,
        "SSH brute force *now*",
        Severity.HIGH,
        "auth.log",
        f"source.ip={ip}",
        event.timestamp,
        event.timestamp,
        [event],
        count=10,
    )


def _suppressor(**entry: Any) -> Suppressor:
    return Suppressor.from_config([SuppressionConfig.model_validate({"reason": "r", **entry})])


def test_suppression_by_rule_fields_time_and_expiry() -> None:
    now = WHEN
    assert _suppressor(rule="SW-MON-*").apply([_alert()], now) == []
    assert len(_suppressor(rule="SW-WEB-*").apply([_alert()], now)) == 1
    by_ip = _suppressor(fields={"source.ip": ["198.51.100.*", "203.0.113.9"]})
    alerts = [_alert(), _alert(ip="192.0.2.1")]
    kept = by_ip.apply(alerts, now)
    assert [a.entity for a in kept] == ["source.ip=192.0.2.1"]
    assert alerts[0].suppressed == "r" and alerts[0].to_json()["suppressed"] == "r"
    assert "suppressed" not in alerts[1].to_json()
    assert by_ip.hits == {"r": 1}
    assert _suppressor(fields={"entity": "source.ip=203.*"}).apply([_alert()], now) == []
    night = _suppressor(between=["22:00", "06:00"])  # wraps midnight; the alert is at 23:30
    assert night.apply([_alert()], now) == []
    day = _suppressor(between=["08:00", "18:00"])
    assert len(day.apply([_alert()], now)) == 1
    expired = _suppressor(expires="2026-11-01T00:00:00Z")
    assert len(expired.apply([_alert()], now)) == 1
    assert [r.reason for r in expired.expired(now)] == ["r"]
    assert _suppressor(expires="2027-01-01T00:00:00Z").apply([_alert()], now) == []


class ChatReceiver:
    """An incoming-webhook receiver; ``fail`` answers that status that many times."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.fail: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                code = receiver.fail.pop(0) if receiver.fail else 200
                if code == 200:
                    receiver.bodies.append(json.loads(body))
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                del args

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T0/B0/secretpath"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[ChatReceiver]:
    item = ChatReceiver()
    yield item
    item.server.shutdown()
    item.server.server_close()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _sink(
    kind: str, url: str, client: httpx.Client, clock: Clock, limit: int = 3
) -> RateLimitedSink:
    return RateLimitedSink(
        ChatMessenger(kind, url, client), limit, 60, clock=clock, sleep=lambda _s: None
    )


def test_slack_messages_carry_events_escaped_and_a_flood_becomes_one_digest(
    receiver: ChatReceiver,
) -> None:
    clock = Clock()
    with httpx.Client(timeout=5) as client:
        sink = _sink("slack", receiver.url, client, clock)
        sink.send([_alert(1)])
        first = receiver.bodies[0]
        text = json.dumps(first)
        assert "&lt;b&gt;root&lt;/b&gt;" in text and "<b>" not in text
        assert "Failed password" in first["blocks"][1]["text"]["text"]
        sink.send([_alert(n, ip=f"192.0.2.{n}") for n in range(2, 30)])  # a flood
        assert len(receiver.bodies) == 3  # 1 + one more alert + one digest of the rest
        digest = receiver.bodies[2]["text"]
        assert "27 alerts" in digest
        sink.send([_alert(40)])  # the window is used up: queued, not sent
        assert len(receiver.bodies) == 3 and len(sink.queue) == 1
        clock.now += 61
        sink.send([])
        assert len(receiver.bodies) == 4
        sink.close()
    assert "secretpath" not in sink.messenger.target


def test_teams_retries_5xx_and_reports_what_stays_undelivered(receiver: ChatReceiver) -> None:
    clock = Clock()
    with httpx.Client(timeout=5) as client:
        sink = _sink("teams", receiver.url, client, clock)
        receiver.fail = [503, 429]
        sink.send([_alert(1)])
        card = receiver.bodies[0]
        assert card["@type"] == "MessageCard"
        assert any("Failed password" in f["value"] for f in card["sections"][0]["facts"])
        assert "\\*now\\*" in card["title"]  # Markdown escaped
        receiver.fail = [500] * 10
        sink.send([_alert(2)])
        assert len(sink.queue) == 1
        with pytest.raises(SinkError, match="1 alerts undelivered"):
            sink.close()
        receiver.fail = [400]
        with pytest.raises(SinkError, match="400"):
            _sink("teams", receiver.url, client, clock).send([_alert(3)])


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.refuse: str | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        del server, session
        if self.refuse:
            return self.refuse
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def test_email_attaches_the_matched_events(smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    channel = SmtpChannel("127.0.0.1", port, "monitor@example.org", ("soc@example.org",))
    sink = RateLimitedSink(EmailMessenger(channel), 1, 300, clock=Clock(), sleep=lambda _s: None)
    sink.send([_alert(1), _alert(2, ip="192.0.2.2")])  # limit 1: one digest of both
    sink.close()
    assert len(box.messages) == 1
    message = email.message_from_bytes(box.messages[0], policy=email.policy.default)
    assert "2 alerts" in str(message["Subject"])
    parts = list(message.iter_attachments())
    assert [p.get_filename() for p in parts] == ["alerts.json"]
    attached = json.loads(parts[0].get_content())
    assert [a["events"][0]["fields"]["source.ip"] for a in attached] == ["203.0.113.9", "192.0.2.2"]
    body = message.get_body(("plain",))
    assert body is not None and "Failed password" in body.get_content()
    box.refuse = "550 no such user"
    failing = RateLimitedSink(EmailMessenger(channel), 5, 300, sleep=lambda _s: None)
    with pytest.raises(SinkError, match="550"):
        failing.send([_alert(3)])


class Recorder:
    """A notifying sink that keeps what it is sent."""

    def __init__(self) -> None:
        self.alerts: list[Alert] = []

    def send(self, alerts: Sequence[Alert]) -> None:
        self.alerts += alerts

    def close(self) -> None:
        pass


def test_daemon_keeps_suppressed_alerts_in_the_record_only(tmp_path: Path) -> None:
    config = MonitorConfig.model_validate(
        {
            "sources": [{"path": LOGS / "openssh.log"}],
            "state_dir": tmp_path / "state",
            "year": 2026,
            "suppressions": [{"rule": "SW-MON-001", "reason": "lab network"}],
        }
    )
    record, notified = io.StringIO(), Recorder()
    report = MonitorDaemon(
        config, load_rules([], builtin=True), [JsonLinesSink(record), notified]
    ).cycle()
    written = [json.loads(x) for x in record.getvalue().splitlines()]
    assert report.suppressed and all(a.rule_id == "SW-MON-001" for a in report.suppressed)
    assert {a["rule_id"] for a in written if a.get("suppressed") == "lab network"} == {"SW-MON-001"}
    assert notified.alerts and all(a.rule_id != "SW-MON-001" for a in notified.alerts)
    assert len(written) == len(notified.alerts) + len(report.suppressed)
