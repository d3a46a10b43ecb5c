"""Stored secrets in monitored logs (SW-MON-900): alerts, redaction everywhere, reload, errors.

Fingerprint files are real ones (``fingerprint_values`` + ``save_fingerprints``); the values
below are made up for these tests and stored nowhere else.
"""
# ruff: noqa: E501  (log lines are kept whole: splitting them would hide what is tested)

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
import yaml
from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.core.errors import ConfigError
from shieldwall.monitor.config import load_monitor_config
from shieldwall.monitor.daemon import MonitorDaemon
from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.event import Event, LogSource
from shieldwall.monitor.leaks import BATCH, LEAK_RULE_ID, LeakWatch, leak_watch
from shieldwall.monitor.reader import LineProblem
from shieldwall.monitor.ruleset import load_rules
from shieldwall.monitor.sinks import JsonLinesSink
from shieldwall.secretstore.fingerprints import fingerprint_values, save_fingerprints

DB_VALUE = "Zq8vN3xLpR2mWt7K"  # stored at db/password (test value)
API_VALUE = "tok_9f8e7d6c5b4a3210"  # stored at api/token (test value)
STORED = [("db/password", "team-data", DB_VALUE), ("api/token", "team-web", API_VALUE)]


def _fingerprints(path: Path, stored: Sequence[tuple[str, str, str]] = STORED) -> Path:
    save_fingerprints(fingerprint_values(stored), path)
    return path


def _access(ip: str, query: str, agent: str = "Mozilla/5.0", second: int = 36) -> str:
    return f'{ip} - - [10/Oct/2025:13:55:{second:02d} +0000] "GET /login?{query} HTTP/1.1" 200 10 "-" "{agent}"\n'


def _replay(tmp_path: Path, log: str, *extra: str) -> tuple[list[dict[str, object]], str]:
    access = tmp_path / "access.log"
    access.write_text(log)
    out = tmp_path / "alerts.jsonl"
    args = ["monitor", "replay", str(access), "--format", "jsonl", "-o", str(out), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    text = out.read_text()
    return [json.loads(line) for line in text.splitlines()], text + result.output


def test_a_stored_value_in_a_log_is_one_critical_alert_and_is_redacted_everywhere(
    tmp_path: Path,
) -> None:
    leaks = _fingerprints(tmp_path / "leaks.json")
    log = (
        _access("203.0.113.5", f"user=bob&pass={DB_VALUE}", agent="sqlmap/1.7")
        + _access("198.51.100.7", "page=1", second=37)
        + _access("198.51.100.8", f"p={DB_VALUE}", second=38)
    )
    alerts, everything = _replay(tmp_path, log, "--leak-fingerprints", str(leaks))
    leaked = [a for a in alerts if a["rule_id"] == LEAK_RULE_ID]
    assert len(leaked) == 1  # grouped by secret and source, whoever logged it
    (alert,) = leaked
    assert alert["severity"] == "critical"
    assert alert["count"] == 2
    assert alert["entity"] == "secret.path=db/password"
    title = str(alert["rule_title"])
    assert "db/password" in title and "team-data" in title
    assert "shieldwall secrets rotate db/password" in title
    events = alert["events"]
    assert isinstance(events, list) and [e["line"] for e in events] == [1, 3]
    assert "pass=[REDACTED:db/password] HTTP" in events[0]["raw"]
    assert events[0]["fields"]["url.query"] == "user=bob&pass=[REDACTED:db/password]"
    # Another rule on the same event (the sqlmap user agent) gets the redacted event too.
    scanner = next(a for a in alerts if a["rule_id"] == "SW-MON-104")
    assert "[REDACTED:db/password]" in json.dumps(scanner)
    assert DB_VALUE not in everything  # nowhere: alerts, events, fields, keys, stderr


def test_near_misses_and_longer_tokens_do_not_alert(tmp_path: Path) -> None:
    leaks = _fingerprints(tmp_path / "leaks.json")
    one_off = DB_VALUE[:-1] + ("L" if DB_VALUE[-1] != "L" else "M")
    log = (
        _access("198.51.100.7", f"x={one_off}")
        + _access("198.51.100.7", f"x={DB_VALUE}abc", second=37)
        + _access("198.51.100.7", f"x=a{DB_VALUE}", second=38)
        + _access("198.51.100.7", f"x={API_VALUE[:-2]}", second=39)
    )
    alerts, _ = _replay(tmp_path, log, "--leak-fingerprints", str(leaks))
    assert [a for a in alerts if a["rule_id"] == LEAK_RULE_ID] == []


def test_each_stored_secret_is_its_own_alert_and_json_fields_are_scrubbed(tmp_path: Path) -> None:
    leaks = _fingerprints(tmp_path / "leaks.json")
    records = [
        {
            "message": f"connect password={DB_VALUE}",
            "args": ["--token", API_VALUE],
            "sessions": {API_VALUE: "active"},
            "n": 1,
        },
        {"message": "nothing here", "args": [], "n": 2},
    ]
    log = "".join(json.dumps(r) + "\n" for r in records)
    source = tmp_path / "app.jsonl"
    source.write_text(log)
    out = tmp_path / "alerts.jsonl"
    result = CliRunner().invoke(
        app,
        [
            *("monitor", "replay", str(source), "-f", "jsonl", "-o", str(out)),
            *("--leak-fingerprints", str(leaks), "--no-builtin"),
        ],
    )
    assert result.exit_code == 0, result.output
    alerts = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(a["entity"] for a in alerts) == [
        "secret.path=api/token",
        "secret.path=db/password",
    ]
    fields = alerts[0]["events"][0]["fields"]
    assert fields["message"] == "connect password=[REDACTED:db/password]"
    assert fields["args"] == ["--token", "[REDACTED:api/token]"]
    assert fields["sessions.[REDACTED:api/token]"] == "active"
    text = out.read_text()
    assert DB_VALUE not in text and API_VALUE not in text


def test_without_fingerprints_nothing_is_checked_or_imported(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text(_access("198.51.100.7", f"p={DB_VALUE}"))
    code = (
        "import sys; from pathlib import Path; "
        "from shieldwall.monitor.pipeline import replay; from shieldwall.monitor.ruleset import load_rules; "
        f"r = replay([Path({str(log)!r})], load_rules([]), year=2026); "
        "assert r.events == 1 and not any(a.rule_id == 'SW-MON-900' for a in r.alerts); "
        "assert 'shieldwall.secretstore.fingerprints' not in sys.modules, 'imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def _event(raw: str, line: int = 1) -> Event:
    return Event.create(
        source="app.log",
        line=line,
        raw=raw,
        logsource=LogSource.of("linux"),
        fields={"message": raw},
        timestamp=datetime(2026, 1, 1, tzinfo=UTC),
    )


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_rewritten_fingerprint_file_is_reloaded_and_a_broken_one_keeps_the_last(
    tmp_path: Path,
) -> None:
    path = _fingerprints(tmp_path / "leaks.json", STORED[:1])
    clock = Clock()
    watch = LeakWatch.load(path, clock)
    line = f"deploy used token {API_VALUE}"
    assert watch.inspect(_event(line))[1] == []
    _fingerprints(path, STORED)  # a rotation: `shieldwall secrets fingerprints` again
    assert watch.inspect(_event(line))[1] == []  # checked at most once a second
    clock.now += 1.5
    event, found = watch.inspect(_event(line))
    assert [d.entity for d in found] == ["secret.path=api/token"]
    assert event.raw == "deploy used token [REDACTED:api/token]"
    assert event.fields["message"] == event.raw
    path.write_text('{"format": "shieldwall-leak-fingerprints", "version": 1, "key": "!!"')
    clock.now += 1.5
    assert len(watch.inspect(_event(line))[1]) == 1  # the last good set stays in use
    clock.now += 1.5
    watch.inspect(_event(line))
    (problem,) = watch.take_problems()  # reported once, not once a second
    assert "malformed" in problem and str(path) in problem and API_VALUE not in problem
    assert watch.take_problems() == []


def test_the_daemon_alerts_redacts_and_picks_up_a_new_fingerprint_file(tmp_path: Path) -> None:
    leaks = _fingerprints(tmp_path / "leaks.json", STORED[:1])
    log = tmp_path / "app.log"
    log.write_text(f"Jan  1 10:00:00 host app[1]: login with {DB_VALUE}\n")
    config_path = tmp_path / "monitor.yaml"
    config_path.write_text(
        yaml.safe_dump(
            {
                "sources": [{"path": "app.log", "format": "syslog"}],
                "state_dir": "state",
                "year": 2026,
                "leak_fingerprints": "leaks.json",  # relative to monitor.yaml
            }
        )
    )
    config = load_monitor_config(config_path)
    assert config.leak_fingerprints == leaks
    out = tmp_path / "alerts.jsonl"
    with out.open("w", encoding="utf-8") as stream:
        daemon = MonitorDaemon(config, load_rules([]), [JsonLinesSink(stream)])
        first = daemon.cycle()
        assert [a.entity for a in first.alerts] == ["secret.path=db/password"]
        _fingerprints(leaks, STORED)
        assert daemon.leaks is not None
        daemon.leaks.checked -= 2  # as if a second had passed
        with log.open("a") as handle:
            handle.write(f"Jan  1 10:00:05 host app[1]: token {API_VALUE} refreshed\n")
        second = daemon.cycle()
        assert [a.entity for a in second.alerts] == ["secret.path=api/token"]
    text = out.read_text()
    assert text.count(LEAK_RULE_ID) == 2
    assert DB_VALUE not in text and API_VALUE not in text
    # A restart reads the same file again (the daemon keeps no fingerprints state).
    restarted = MonitorDaemon(config, load_rules([]), [])
    assert restarted.leaks is not None and len(restarted.leaks.current().digests) == 2


def test_at_scale_only_redacted_events_are_published_and_the_ingest_alerts(
    tmp_path: Path,
) -> None:
    leaks = _fingerprints(tmp_path / "leaks.json")
    log = tmp_path / "app.log"
    log.write_text(f"Jan  1 10:00:00 host app[1]: login with {DB_VALUE}\n")
    path = tmp_path / "monitor.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "sources": [{"path": "app.log", "format": "syslog"}],
                "state_dir": "state",
                "year": 2026,
                "leak_fingerprints": str(leaks),
            }
        )
    )

    class Published:
        """The publisher port, keeping what it was given (the Redis path has its own tests)."""

        def __init__(self) -> None:
            self.events: list[Event] = []

        def publish(self, events: Sequence[Event]) -> None:
            self.events += events

    published = Published()
    daemon = MonitorDaemon(load_monitor_config(path), load_rules([]), [], publisher=published)
    report = daemon.cycle()
    assert [a.rule_id for a in report.alerts] == [LEAK_RULE_ID]
    (event,) = published.events
    assert DB_VALUE not in json.dumps(event.to_wire())
    assert "[REDACTED:db/password]" in event.raw


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("not json", "malformed"),
        ('{"format": "something-else", "version": 1}', "not a shieldwall leak fingerprints file"),
    ],
)
def test_a_bad_fingerprint_file_is_a_clear_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "leaks.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ConfigError, match=message) as caught:
        leak_watch(path)
    assert "leak_fingerprints" in str(caught.value) and str(path) in str(caught.value)
    log = tmp_path / "access.log"
    log.write_text(_access("198.51.100.7", "p=1"))
    result = CliRunner().invoke(
        app, ["monitor", "replay", str(log), "--leak-fingerprints", str(path)]
    )
    assert result.exit_code == 2
    assert message in result.output
    config = tmp_path / "monitor.yaml"
    config.write_text(
        yaml.safe_dump({"sources": [{"path": "access.log"}], "leak_fingerprints": "leaks.json"})
    )
    result = CliRunner().invoke(app, ["monitor", "run", "--config", str(config), "--once"])
    assert result.exit_code == 2
    assert message in result.output


def test_overlapping_stored_values_are_redacted_whole() -> None:
    whole, part = "user=Hx7pQ2mZ9kWv", "Hx7pQ2mZ9kWv"  # test values: one holds the other
    watch = LeakWatch(
        Path("unused"),
        fingerprint_values([("svc/login", "ops", whole), ("svc/password", "ops", part)]),
        (0, 0),
        Clock(),
        checked=100.0,
    )
    event, found = watch.inspect(_event(f"login {whole} ok"))
    assert event.raw == "login [REDACTED:svc/login] ok"
    assert event.fields["message"] == event.raw
    assert sorted(d.entity or "" for d in found) == [
        "secret.path=svc/login",
        "secret.path=svc/password",
    ]


def test_batched_screening_equals_checking_each_event(tmp_path: Path) -> None:
    """``screen`` joins up to BATCH records per search: the result must be the per-event one,
    with values at the very start and end of a record, and problems passed through in place."""
    watch = LeakWatch.load(_fingerprints(tmp_path / "leaks.json"))
    shapes = [
        DB_VALUE,
        f"{DB_VALUE} at the start",
        f"at the end {API_VALUE}",
        f"near {DB_VALUE[:-1]}x miss",
        f"longer {DB_VALUE}0",
        "nothing",
        f"both {API_VALUE} and {DB_VALUE}",
    ]
    items: list[Event | LineProblem] = []
    for n in range(3 * BATCH + 5):
        items.append(_event(shapes[n % len(shapes)], line=n))
        if n % 11 == 0:
            items.append(LineProblem("app.log", n, "not a line"))
    batched: list[object] = []
    screened = list(watch.screen(items, batched.append))
    one_by_one: list[object] = []
    expected: list[Event | LineProblem] = []
    for item in items:
        if isinstance(item, Event):
            item, found = watch.inspect(item)
            one_by_one += found
        expected.append(item)
    assert screened == expected
    assert batched == one_by_one
    leaking = [n for n in range(3 * BATCH + 5) if n % len(shapes) in (0, 1, 2, 6)]
    assert len(batched) == len(leaking) + len([n for n in leaking if n % len(shapes) == 6])
    redacted = [e for e in screened if isinstance(e, Event) and "[REDACTED:" in e.raw]
    assert [e.line for e in redacted] == leaking
    assert not any(DB_VALUE in e.raw or API_VALUE in e.raw for e in redacted)


def test_a_source_failing_halfway_still_has_its_events_screened(tmp_path: Path) -> None:
    watch = LeakWatch.load(_fingerprints(tmp_path / "leaks.json"))

    def source() -> Iterator[Event | LineProblem]:
        for n in range(5):
            yield _event(f"run {n} with {DB_VALUE}", line=n)
        raise LogParseError("app.log: not a readable file")

    found: list[object] = []
    given: list[Event | LineProblem] = []
    with pytest.raises(LogParseError, match="not a readable file"):
        given.extend(watch.screen(source(), found.append))
    assert len(given) == 5 and len(found) == 5
    assert all(isinstance(e, Event) and DB_VALUE not in e.raw for e in given)


@pytest.mark.redis
def test_at_scale_no_value_reaches_redis_or_the_workers_alerts(tmp_path: Path) -> None:
    url = os.environ.get("SHIELDWALL_TEST_REDIS_URL")
    if not url:
        pytest.skip("SHIELDWALL_TEST_REDIS_URL is not set")
    prefix = f"sw-test-{uuid.uuid4().hex[:10]}"
    _fingerprints(tmp_path / "leaks.json")
    (tmp_path / "access.log").write_text(
        _access("203.0.113.5", f"pass={DB_VALUE}", agent="sqlmap/1.7")
    )
    config = tmp_path / "monitor.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "sources": [{"path": "access.log"}],
                "state_dir": "state",
                "leak_fingerprints": "leaks.json",
                "sinks": [{"kind": "file", "path": "alerts.jsonl"}],
                "scale": {"redis_url": url, "prefix": prefix, "partitions": 2},
            }
        )
    )
    client = redis.Redis.from_url(url)
    try:
        run = CliRunner().invoke(app, ["monitor", "run", "--config", str(config), "--once"])
        assert run.exit_code == 0, run.output
        streams = b"".join(
            json.dumps([[k.decode(), str(v)] for k, v in client.xrange(key)]).encode()
            for key in client.scan_iter(f"{prefix}:[0-9]*")
        )
        assert b"[REDACTED:db/password]" in streams and DB_VALUE.encode() not in streams
        worker = CliRunner().invoke(
            app, ["monitor", "worker", "--config", str(config), "--consumer", "w1", "--once"]
        )
        assert worker.exit_code == 0, worker.output
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()
    text = (tmp_path / "alerts.jsonl").read_text()
    rules = sorted(json.loads(line)["rule_id"] for line in text.splitlines())
    assert rules == ["SW-MON-104", LEAK_RULE_ID]  # the leak from run, the user agent from w1
    assert DB_VALUE not in text


ODD_VALUE = "pa\\ss/wörd@1Q"  # a backslash, a slash, a non-ASCII letter and an @ (test value)


def test_an_escaped_copy_in_a_json_log_is_found_and_no_form_of_it_leaks(tmp_path: Path) -> None:
    leaks = _fingerprints(tmp_path / "leaks.json", [("db/odd", "team-data", ODD_VALUE)])
    records = [
        {
            "eventTime": "2025-10-10T13:55:36Z",
            "msg": "login",
            "password": ODD_VALUE,
        },  # \\ and \u00f6
        {
            "eventTime": "2025-10-10T13:55:37Z",
            "dsn": "postgres://app:" + urllib.parse.quote(ODD_VALUE, safe="") + "@db/x",
        },
        {"eventTime": "2025-10-10T13:55:38Z", "password": ODD_VALUE[:-1] + "R"},  # one letter off
    ]
    log = tmp_path / "app.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "alerts.jsonl"
    args = ["monitor", "replay", str(log), "--format", "jsonl", "-o", str(out)]
    result = CliRunner().invoke(app, [*args, "--leak-fingerprints", str(leaks)])
    assert result.exit_code == 0, result.output
    text = out.read_text() + result.output
    leaked = [
        a for a in map(json.loads, out.read_text().splitlines()) if a["rule_id"] == LEAK_RULE_ID
    ]
    assert (
        len(leaked) == 1 and leaked[0]["count"] == 2
    )  # the JSON and the URL copies, not the near miss
    escaped = json.dumps(ODD_VALUE)[1:-1]
    for form in (
        ODD_VALUE,
        escaped,
        urllib.parse.quote(ODD_VALUE, safe=""),
        escaped.replace("\\", "\\\\"),
    ):
        assert form not in text
    assert "[REDACTED:db/odd]" in text
