"""Push sources against real sockets on 127.0.0.1: syslog over UDP and TCP (RFC 6587 framing),
the HTTP ingest endpoint, and standard input. The oracle: logs pushed over the network raise the
same alerts as ``replay`` of the same file."""

from __future__ import annotations

import io
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from shieldwall.monitor.config import MonitorConfig
from shieldwall.monitor.daemon import CycleReport, MonitorDaemon
from shieldwall.monitor.pipeline import replay
from shieldwall.monitor.ruleset import RuleSet, load_rules
from shieldwall.monitor.sinks import JsonLinesSink
from shieldwall.monitor.sources import Inbox, split_frames
from shieldwall.monitor.sources.listeners import Listeners
from tests.monitor.conftest import LOGS, SIGMA

TOKEN = "ingest-token-for-tests-0123456789"
SSH_LINES = (LOGS / "openssh.log").read_text().splitlines()[:400]


@pytest.fixture(scope="module")
def builtin() -> RuleSet:
    return load_rules([], builtin=True)


@pytest.fixture(scope="module")
def cloud_rules() -> RuleSet:
    return load_rules([SIGMA / "aws"], builtin=False)


def _alerts(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _signature(alerts: list[dict[str, Any]]) -> list[tuple[str, str | None, str]]:
    # Not the count: a daemon sends an alert in the cycle it opens, with the count so far.
    return sorted((a["rule_id"], a["entity"], a["first_seen"]) for a in alerts)


class Running:
    """A daemon with its listeners, cycled by the test."""

    def __init__(self, tmp_path: Path, ruleset: RuleSet, sources: list[dict[str, Any]]) -> None:
        self.config = MonitorConfig.model_validate(
            {"sources": sources, "state_dir": tmp_path / "state", "year": 2026}
        )
        self.out = io.StringIO()
        self.listeners = Listeners.start(
            self.config.sources, Inbox(self.config.inbox_capacity), {"SW_TOKEN": TOKEN}
        )
        self.daemon = MonitorDaemon(
            self.config, ruleset, [JsonLinesSink(self.out)], listeners=self.listeners
        )
        self.report = CycleReport()

    @property
    def port(self) -> int:
        return self.listeners.addresses()[0][1]

    def cycle(self) -> None:
        report = self.daemon.cycle()
        self.report.events += report.events
        self.report.problems += report.problems

    def until(self, done: Callable[[], bool], timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert time.monotonic() < deadline, f"timed out: {self.report}"
            self.cycle()
            time.sleep(0.02)

    def background(self) -> threading.Event:
        """Cycle in a thread until the returned event is set (for blocking HTTP clients)."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.is_set():
                self.cycle()
                time.sleep(0.01)

        threading.Thread(target=loop, daemon=True).start()
        return stop

    def close(self) -> None:
        self.listeners.stop()


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Callable[..., Running]]:
    made: list[Running] = []

    def make(ruleset: RuleSet, *sources: dict[str, Any]) -> Running:
        made.append(Running(tmp_path, ruleset, list(sources)))
        return made[-1]

    yield make
    for item in made:
        item.close()


def _replayed(tmp_path: Path, ruleset: RuleSet, lines: list[str], name: str) -> Any:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return replay([path], ruleset, year=2026, group_window=timedelta(seconds=300))


def test_syslog_over_udp_alerts_like_replay(
    tmp_path: Path, builtin: RuleSet, running: Callable[..., Running]
) -> None:
    expected = _replayed(tmp_path, builtin, SSH_LINES, "auth.log")
    assert expected.alerts, "the sample must contain a brute force"
    daemon = running(builtin, {"kind": "syslog", "protocol": "udp", "port": 0})
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for index, line in enumerate(SSH_LINES):
            sock.sendto(f"<38>{line}\n".encode(), ("127.0.0.1", daemon.port))
            if index % 50 == 0:
                time.sleep(0.01)  # let the kernel buffer drain on a busy machine
        sock.sendto(b"\x00\x01\x02binary", ("127.0.0.1", daemon.port))
    daemon.until(lambda: daemon.report.events + len(daemon.report.problems) >= len(SSH_LINES) + 1)
    got = _alerts(daemon.out)
    want = [a.to_json() for a in expected.alerts]
    assert {(a["rule_id"], a["entity"]) for a in got} == {(a["rule_id"], a["entity"]) for a in want}
    assert any("binary" in p.reason for p in daemon.report.problems)
    assert all(a["events"][0]["fields"]["log.syslog.facility.code"] == 4 for a in got)


def test_syslog_over_tcp_with_both_framings(
    tmp_path: Path, builtin: RuleSet, running: Callable[..., Running]
) -> None:
    expected = _replayed(tmp_path, builtin, SSH_LINES, "auth.log")
    daemon = running(builtin, {"kind": "syslog", "protocol": "tcp", "port": 0})
    stream = bytearray()
    for index, line in enumerate(SSH_LINES):
        data = line.encode()
        if index % 2:
            stream += f"{len(data)} ".encode() + data  # octet counting, RFC 6587 3.4.1
        else:
            stream += data + b"\n"  # non-transparent framing, 3.4.2
    with socket.create_connection(("127.0.0.1", daemon.port)) as sock:
        for start in range(0, len(stream), 997):  # frames split across segments
            sock.sendall(stream[start : start + 997])
    daemon.until(lambda: daemon.report.events >= len(SSH_LINES))
    assert _signature(_alerts(daemon.out)) == _signature([a.to_json() for a in expected.alerts])
    assert daemon.report.problems == []


def test_tcp_framing_problems_are_reported_not_fatal(
    builtin: RuleSet, running: Callable[..., Running]
) -> None:
    daemon = running(builtin, {"kind": "syslog", "protocol": "tcp", "port": 0})
    enormous = b"x" * (70 * 1024) + b"\n"
    with socket.create_connection(("127.0.0.1", daemon.port)) as sock:
        sock.sendall(enormous + SSH_LINES[0].encode() + b"\n" + b"99999999 absurd")
    daemon.until(lambda: len(daemon.report.problems) >= 2)
    reasons = " ".join(p.reason for p in daemon.report.problems)
    assert "longer than" in reasons and "octet count" in reasons
    assert daemon.report.events == 1
    with socket.create_connection(("127.0.0.1", daemon.port)) as sock:  # still listening
        sock.sendall(SSH_LINES[1].encode() + b"\n")
    daemon.until(lambda: daemon.report.events == 2)


def test_split_frames() -> None:
    assert split_frames(b"5 hello<13>x y\n\n3 abc") == [b"hello", b"<13>x y", b"abc"]
    assert split_frames(b"12 partial") == []
    with pytest.raises(ValueError, match="without a length"):
        split_frames(b"123456789012345")


def test_http_ingest_acknowledges_after_processing(
    tmp_path: Path, cloud_rules: RuleSet, running: Callable[..., Running]
) -> None:
    lines = (LOGS / "cloudtrail.jsonl").read_text().splitlines()
    expected = _replayed(tmp_path, cloud_rules, lines, "trail.jsonl")
    assert expected.alerts
    daemon = running(cloud_rules, {"kind": "http", "port": 0, "token_env": "SW_TOKEN"})
    url = f"http://127.0.0.1:{daemon.port}/ingest"
    stop = daemon.background()
    try:
        with httpx.Client(timeout=30) as client:
            body = ("\n".join(lines[:200]) + "\nnot json\n\x00bin\n").encode()
            auth = {"Authorization": f"Bearer {TOKEN}"}
            first = client.post(url, content=body, headers=auth)
            assert first.status_code == 200, first.text
            assert first.json()["accepted"] == 201  # "not json" is parsed and reported later
            assert [r["reason"] for r in first.json()["rejected"]] == ["binary data (NUL bytes)"]
            array = json.dumps([json.loads(x) for x in lines[200:]])
            second = client.post(
                url, content=array, headers={**auth, "Content-Type": "application/json"}
            )
            assert second.json() == {"accepted": len(lines) - 200, "rejected": []}
            assert client.post(url, content=body).status_code == 401
            wrong = {"Authorization": "Bearer " + "x" * len(TOKEN)}
            assert client.post(url, content=body, headers=wrong).status_code == 401
    finally:
        stop.set()
    # Every event was processed before the answer: the alerts are all there already.
    got = _signature(_alerts(daemon.out))
    assert got == _signature([a.to_json() for a in expected.alerts])
    assert any("not a jsonl line" in p.reason for p in daemon.report.problems)


def test_http_ingest_limits_and_back_pressure(
    cloud_rules: RuleSet, running: Callable[..., Running], tmp_path: Path
) -> None:
    del tmp_path
    daemon = running(
        cloud_rules, {"kind": "http", "port": 0, "token_env": "SW_TOKEN", "max_body": 20_000}
    )
    url = f"http://127.0.0.1:{daemon.port}/ingest"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    line = (LOGS / "cloudtrail.jsonl").read_text().splitlines()[0]
    with httpx.Client(timeout=10) as client:
        big = client.post(url, content=b"{}\n" * 10_000, headers=auth)
        assert big.status_code == 413
        assert big.headers["Connection"] == "close"  # the client must not reuse it
        daemon.listeners.inbox.capacity = 1  # nothing is drained: the second line cannot fit
        full = client.post(url, content=f"{line}\n{line}\n", headers=auth)
        assert full.status_code == 503
        assert full.headers["Retry-After"] == "5"
        assert client.get(f"http://127.0.0.1:{daemon.port}/health").json()["status"] == "ok"
    assert len(daemon.listeners.inbox) == 0  # a refused batch is not half-queued


def test_http_source_refuses_a_short_token(tmp_path: Path, cloud_rules: RuleSet) -> None:
    from shieldwall.core.errors import ConfigError

    with pytest.raises(ConfigError, match="16"):
        Running(tmp_path, cloud_rules, [{"kind": "http", "port": 0, "token_env": "NOPE"}])


def test_stdin_source_stops_at_end_of_input(tmp_path: Path, builtin: RuleSet) -> None:
    read_fd, write_fd = os.pipe()
    config = MonitorConfig.model_validate(
        {
            "sources": [{"kind": "stdin"}],
            "state_dir": tmp_path / "s",
            "year": 2026,
            "poll_interval": 0.05,
        }
    )
    out = io.StringIO()
    with os.fdopen(read_fd, "rb") as reader, os.fdopen(write_fd, "wb") as writer:
        listeners = Listeners.start(config.sources, Inbox(), {}, stdin=reader)
        daemon = MonitorDaemon(config, builtin, [JsonLinesSink(out)], listeners=listeners)
        for line in SSH_LINES:
            writer.write(line.encode() + b"\n")
        writer.write(b"\x00garbage\n")
        writer.close()
        stop = threading.Event()
        thread = threading.Thread(target=daemon.run, args=(stop,))
        thread.start()
        thread.join(timeout=20)
        stop.set()
        assert not thread.is_alive(), "the daemon must stop at end of input"
    expected = _replayed(tmp_path, builtin, SSH_LINES, "auth.log")
    assert _signature(_alerts(out)) == _signature([a.to_json() for a in expected.alerts])


def test_http_batch_not_processed_in_time_is_503_and_safe_to_resend(
    cloud_rules: RuleSet, running: Callable[..., Running]
) -> None:
    daemon = running(
        cloud_rules, {"kind": "http", "port": 0, "token_env": "SW_TOKEN", "ack_timeout": 0.2}
    )
    url = f"http://127.0.0.1:{daemon.port}/ingest"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    lines = (LOGS / "cloudtrail.jsonl").read_text().splitlines()
    body = "\n".join(lines) + "\n"
    with httpx.Client(timeout=30) as client:
        late = client.post(url, content=body, headers=auth)  # nobody cycles the daemon yet
        assert late.status_code == 503
        assert "retrying is safe" in late.json()["detail"]
        daemon.cycle()  # the queued batch is processed anyway: nothing was lost
        first = _alerts(daemon.out)
        assert first
        stop = daemon.background()
        try:
            again = client.post(url, content=body, headers=auth)  # the client's retry
        finally:
            stop.set()
    assert again.status_code == 200
    # The retried events raise their alerts again, with the keys of the first processing: the
    # hub's upsert on the key stores each alert once (tests/hub/test_alerts.py).
    keys = [a["key"] for a in first]
    assert len(set(keys)) == len(keys)
    retried = _alerts(daemon.out)[len(first) :]
    assert retried, "the retry is processed again"
    assert {a["key"] for a in retried} <= set(keys)


def test_syslog_over_tls_and_https_ingest(
    tmp_path: Path, builtin: RuleSet, cloud_rules: RuleSet, running: Callable[..., Running]
) -> None:
    from tests.servers.registry import client_context, self_signed

    tls = self_signed(tmp_path / "tls")
    files = {"tls_certificate": tls["certificate"], "tls_key": tls["key"]}
    daemon = running(builtin, {"kind": "syslog", "protocol": "tcp", "port": 0, **files})
    context = client_context(tls)
    with (
        socket.create_connection(("127.0.0.1", daemon.port)) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as sock,
    ):
        for line in SSH_LINES[:50]:
            data = line.encode()
            sock.sendall(f"{len(data)} ".encode() + data)  # RFC 5425 uses octet counting
        # Kept open until read, as senders do: closing with the server's TLS 1.3 session
        # tickets unread makes the kernel reset the connection and drop what it still holds.
        daemon.until(lambda: daemon.report.events >= 50)
    with socket.create_connection(("127.0.0.1", daemon.port)) as plain:
        plain.sendall(SSH_LINES[0].encode() + b"\n")  # no handshake: refused, not parsed
        plain.settimeout(5)
        try:
            answer = plain.recv(100)
        except ConnectionResetError:
            answer = b""
        assert answer == b"" or answer.startswith(b"\x15")  # closed, or a TLS alert record
    server = daemon.listeners.servers[0]
    assert getattr(server, "tls_failures", 0) == 1 and daemon.report.events == 50
    https = running(cloud_rules, {"kind": "http", "port": 0, "token_env": "SW_TOKEN", **files})
    stop = https.background()
    try:
        with httpx.Client(verify=context, timeout=30) as client:
            answer = client.post(
                f"https://127.0.0.1:{https.port}/ingest",
                content=(LOGS / "cloudtrail.jsonl").read_text(),
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
    finally:
        stop.set()
    assert answer.status_code == 200 and answer.json()["accepted"] > 300


def test_tls_on_udp_or_without_a_key_is_a_config_error(tmp_path: Path, builtin: RuleSet) -> None:
    from shieldwall.core.errors import ConfigError

    with pytest.raises(ConfigError, match="protocol: tcp"):
        Running(tmp_path, builtin, [{"kind": "syslog", "tls_certificate": "c.pem", "port": 0}])
    with pytest.raises(ConfigError, match="tls_key"):
        Running(
            tmp_path, builtin, [{"kind": "syslog", "protocol": "tcp", "tls_certificate": "c.pem"}]
        )
