"""Linux auditd: records grouped by serial, hex fields decoded, and real SigmaHQ auditd rules
(copied with their authors into tests/data/monitor/sigma/linux/auditd) firing exactly where the
sample log (tests/data/monitor/logs/audit.log) holds an attack."""

from __future__ import annotations

from pathlib import Path

import pytest

from shieldwall.monitor.event import Event
from shieldwall.monitor.parsers import AuditdParser, LogFormat
from shieldwall.monitor.pipeline import replay
from shieldwall.monitor.reader import LineProblem, read_events, sniff
from shieldwall.monitor.ruleset import load_rules
from tests.monitor.conftest import LOGS, SIGMA

AUDIT = LOGS / "audit.log"


def _events() -> list[Event]:
    return [e for e in read_events(AUDIT, year=2026) if isinstance(e, Event)]


def test_records_are_grouped_by_serial_and_hex_is_decoded() -> None:
    events = {e.fields["auditd.serial"]: e for e in _events()}
    assert sorted(events) == [5001, 5002, 5003, 5004, 5005, 5006, 5007]
    chmod = events[5001]
    assert chmod.fields["type"] == ("SYSCALL", "EXECVE", "CWD", "PATH", "PROCTITLE")
    assert (chmod.fields["a0"], chmod.fields["a1"]) == ("chmod", "777")  # EXECVE's, not SYSCALL's
    assert chmod.fields["auditd.SYSCALL.a0"] == "55d0c8a1b2c0"
    assert chmod.fields["auditd.PROCTITLE.proctitle"] == "chmod 777 /tmp/x"
    assert chmod.fields["process.command_line"] == "chmod 777 /tmp/x"
    assert chmod.fields["process.pid"] == 2250 and chmod.raw.count("\n") == 5
    wget = events[5003]
    assert wget.fields["a3"] == "--header=X-Note: my shadow"
    assert wget.fields["cwd"] == "/home/bob/my files"
    assert wget.fields["tags"] == "susp_activity"
    assert events[5004].fields["name"] == ("/etc/", "/etc/ld.so.preload")
    sudo = events[5006]
    assert (sudo.fields["cmd"], sudo.fields["terminal"]) == ("cat /etc/shadow", "pts/0")
    assert events[5005].fields["event.outcome"] == "failure"
    assert events[5007].fields["host.name"] == "web01"
    assert chmod.timestamp is not None and chmod.timestamp.isoformat().startswith("2024-11-29")


def test_malformed_records_are_reported_and_reading_goes_on() -> None:
    problems = [p for p in read_events(AUDIT, year=2026) if isinstance(p, LineProblem)]
    assert [(p.line, p.reason) for p in problems] == [
        (31, "not an audit record"),
        (32, "not an audit record"),
    ]


def test_sniffing_and_single_record_parse() -> None:
    lines = AUDIT.read_text().splitlines()
    assert sniff(lines[:20], 2026) is LogFormat.AUDITD
    single = AuditdParser().parse(lines[0], "a", 1)
    assert single is not None and single.fields["type"] == "SYSCALL"
    assert AuditdParser().parse("Dec 10 06:55:46 host sshd[1]: hi", "a", 1) is None


def test_an_event_split_by_an_interleaved_serial_is_still_parsed(tmp_path: Path) -> None:
    lines = AUDIT.read_text().splitlines()
    mixed = tmp_path / "audit.log"
    mixed.write_text("\n".join([lines[0], lines[8], lines[1], "type=EOE msg=audit(1.0:9):"]))
    events = [e for e in read_events(mixed, year=2026) if isinstance(e, Event)]
    assert [e.fields["auditd.serial"] for e in events] == [5001, 5002, 5001]


@pytest.mark.parametrize(
    ("rule", "serials"),
    [
        ("1543ae20-cbdf-4ec1-8d12-7664d667a825", [5001]),  # chmod 777, not chmod 644
        ("cb39d16b-b3b6-4a7a-8222-1cf24b686ffc", [5003]),  # wget --post-file
        ("4b3cb710-5e83-4715-8c45-8b2b5b3e5751", [5004]),  # /etc/ld.so.preload among PATHs
        ("a39d7fa7-3fbd-4dc2-97e1-d87f546b1bbc", [5005]),  # binary under /tmp
        ("f7158a64-6204-4d6d-868a-6e6378b467e0", [5003]),  # key susp_activity
    ],
)
def test_real_sigma_auditd_rules(rule: str, serials: list[int]) -> None:
    ruleset = load_rules([SIGMA / "linux" / "auditd"], builtin=False)
    assert not ruleset.unsupported
    report = replay([AUDIT], ruleset, year=2026)
    fired = sorted(
        e.fields["auditd.serial"] for a in report.alerts if a.rule_id == rule for e in a.events
    )
    assert fired == serials
