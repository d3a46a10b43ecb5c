"""Notification channels against real HTTP and SMTP servers on 127.0.0.1, retries and the log."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from shieldwall.hub.db.models import Finding, NotificationDelivery, Scan
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.notify import (
    DeliveryError,
    EventKind,
    FindingRef,
    Notification,
    NotificationRule,
    SlackChannel,
    SmtpChannel,
    TeamsChannel,
    WebhookChannel,
    deliver,
    events_for_scan,
    sla_breaches,
)
from shieldwall.hub.notify.chat import slack_payload, teams_payload
from shieldwall.hub.notify.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from tests.hub.conftest import World, data
from tests.hub.web.conftest import XSS, Mailbox, Receiver, upload

NOTE = Notification(
    EventKind.NEW_FINDINGS,
    "shop",
    "2 new findings",
    (
        FindingRef(1, f"SQL injection {XSS}", "critical", "http://hub/findings/1"),
        FindingRef(2, "weak hash", "low", "http://hub/findings/2"),
    ),
)


def test_webhook_is_signed_and_verifiable(receiver: Receiver, http: httpx.Client) -> None:
    channel = WebhookChannel(receiver.url + "/hook", "s3cret", http, clock=lambda: 1_700_000_000)
    channel.send(NOTE)
    path, headers, body = receiver.requests[0]
    assert path == "/hook"
    stamp, sig = headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER]
    assert stamp == "1700000000" and sig.startswith("sha256=")
    assert verify("s3cret", stamp, body, sig, now=1_700_000_010)
    assert not verify("wrong", stamp, body, sig, now=1_700_000_010)
    assert not verify("s3cret", stamp, body + b" ", sig, now=1_700_000_010)
    assert not verify("s3cret", stamp, body, sig, now=1_700_000_000 + 3600)  # replayed later
    doc = json.loads(body)
    assert doc["event"] == "new_findings" and doc["findings"][0]["title"].endswith(XSS)


def test_slack_and_teams_shapes_escape_titles(receiver: Receiver, http: httpx.Client) -> None:
    SlackChannel(receiver.url + "/services/T/B/secret", http).send(NOTE)
    TeamsChannel(receiver.url + "/webhookb2/secret", http).send(NOTE)
    slack = json.loads(receiver.requests[0][2])
    assert slack["text"] == "*shop*: 2 new findings"
    listed = slack["blocks"][1]["text"]["text"]
    assert "&lt;script&gt;" in listed and "<script>" not in listed
    assert "<http://hub/findings/1|" in listed
    teams = json.loads(receiver.requests[1][2])
    assert teams["@type"] == "MessageCard" and teams["sections"][0]["facts"][1]["name"] == "low"
    assert "\\<script\\>" in teams["sections"][0]["facts"][0]["value"]
    assert SlackChannel(receiver.url + "/services/T/B/secret", http).target == receiver.url
    assert slack_payload(Notification(EventKind.SLA_BREACH, "p", "s"))["blocks"] != []
    assert teams_payload(Notification(EventKind.SLA_BREACH, "p", "s"))["sections"] == []


def test_email_reaches_a_real_smtp_server(smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    note = Notification(
        EventKind.SLA_BREACH, "shop\r\nBcc: victim@example.org", "late", NOTE.findings
    )
    SmtpChannel("127.0.0.1", port, "hub@example.org", ("sec@example.org",)).send(note)
    sender, recipients, content = box.messages[0]
    assert sender == "hub@example.org" and recipients == ["sec@example.org"]
    text = content.decode()
    assert "Subject: [shieldwall] shop Bcc: victim@example.org: late" in text
    assert "\nBcc:" not in text and "http://hub/findings/1" in text
    box.refuse = "451 try later"
    with pytest.raises(DeliveryError) as temporary:
        SmtpChannel("127.0.0.1", port, "hub@example.org", ("a@example.org",)).send(NOTE)
    assert temporary.value.retryable
    box.refuse = "554 no"
    with pytest.raises(DeliveryError) as permanent:
        SmtpChannel("127.0.0.1", port, "hub@example.org", ("a@example.org",)).send(NOTE)
    assert not permanent.value.retryable


def test_delivery_retries_and_logs(world: World, receiver: Receiver, http: httpx.Client) -> None:
    sleeps: list[float] = []
    channel = WebhookChannel(receiver.url, "k", http)
    receiver.statuses = [503, 500]
    ok = deliver(
        world.sessions, channel, NOTE, attempts=3, backoff_seconds=0.5, sleep=sleeps.append
    )
    assert len(receiver.requests) == 3 and sleeps == [0.5, 1.0]
    receiver.statuses = [400]
    refused = deliver(world.sessions, channel, NOTE, attempts=3, sleep=sleeps.append)
    assert len(receiver.requests) == 4  # a 4xx is not retried
    dead = WebhookChannel("http://127.0.0.1:9/", "k", http)
    unreachable = deliver(world.sessions, dead, NOTE, attempts=2, sleep=sleeps.append)
    with world.sessions() as session:
        rows = {r.id: r for r in session.scalars(select(NotificationDelivery))}
    assert (rows[ok].status, rows[ok].attempts, rows[ok].last_error) == ("delivered", 3, "")
    assert rows[ok].delivered_at is not None and rows[ok].target == receiver.url
    assert (rows[refused].status, rows[refused].attempts) == ("failed", 1)
    assert "answered 400" in rows[refused].last_error
    assert (rows[unreachable].status, rows[unreachable].attempts) == ("failed", 2)
    assert "ConnectError" in rows[unreachable].last_error


def test_events_for_a_scan_and_rules(world: World) -> None:
    upload(world, data("bandit.json"))
    with world.sessions() as session:
        scan_id = session.scalars(select(Scan.id)).one()
        events = events_for_scan(session, scan_id, "http://hub.example")
    assert [e.event for e in events] == [EventKind.NEW_FINDINGS]
    new = events[0]
    assert new.project == "shop" and len(new.findings) == 6
    assert new.findings[0].severity == "high" and new.findings[0].url.startswith(
        "http://hub.example/findings/"
    )
    rule = NotificationRule(EventKind.NEW_FINDINGS, "sec", project="shop", min_severity="high")
    narrowed = rule.narrow(new)
    assert rule.accepts(narrowed) and [f.severity for f in narrowed.findings] == ["high"]
    assert not NotificationRule(EventKind.NEW_FINDINGS, "sec", project="other").accepts(new)
    assert not rule.accepts(
        NotificationRule(EventKind.NEW_FINDINGS, "x", min_severity="critical").narrow(new)
    )
    with world.sessions() as session:
        session.execute(update(Finding).values(sla_due=utcnow() - timedelta(days=1)))
        session.commit()
        breaches = sla_breaches(session, utcnow(), "http://hub.example")
    assert [(b.event, b.project, len(b.findings)) for b in breaches] == [
        (EventKind.SLA_BREACH, "shop", 6)
    ]
    # The same report again is the same scan: no new findings.
    upload(world, data("bandit.json"), branch="feature")
    with world.sessions() as session:
        latest = session.scalars(select(Scan.id).order_by(Scan.id.desc())).first()
        assert latest is not None
        assert events_for_scan(session, latest, "http://hub.example") == []


def test_chat_urls_never_reach_the_logs(
    world: World, receiver: Receiver, http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    slack = SlackChannel(receiver.url + "/services/T0/B0/SECRET-PART", http)
    deliver(world.sessions, slack, NOTE, attempts=1)
    assert receiver.requests[0][0] == "/services/T0/B0/SECRET-PART"
    assert "HTTP Request: POST" in caplog.text and receiver.url in caplog.text
    assert "SECRET-PART" not in caplog.text
    # Outside a delivery, httpx logs as usual (the filter is gone).
    http.post(receiver.url + "/other-path", content=b"x")
    assert "/other-path" in caplog.text
