"""EVTX files: written by tests/monitor/evtx_writer.py, read through the ``evtx`` library,
normalised like their Winlogbeat export, and run through real SigmaHQ Windows rules by
``monitor replay``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.monitor.event import Event
from shieldwall.monitor.pipeline import replay
from shieldwall.monitor.reader import LineProblem, read_events
from shieldwall.monitor.ruleset import load_rules
from tests.monitor.conftest import LOGS, SIGMA
from tests.monitor.evtx_writer import event, write_evtx

T0 = datetime(2026, 11, 29, 10, 0, 1, tzinfo=UTC)
SYSMON = ("Microsoft-Windows-Sysmon/Operational", "Microsoft-Windows-Sysmon")


def _winlogbeat_as_evtx() -> bytes:
    """The events of winlogbeat.jsonl, as Windows would have stored them."""
    records = []
    for line in (LOGS / "winlogbeat.jsonl").read_text().splitlines():
        doc = json.loads(line)
        winlog = doc["winlog"]
        when = datetime.fromisoformat(doc["@timestamp"].replace("Z", "+00:00"))
        user_data = "LogFileCleared" if "user_data" in winlog else None
        data = winlog.get("event_data") or winlog.get("user_data") or {}
        records.append(
            (
                winlog["record_id"],
                when,
                event(
                    winlog["record_id"],
                    when,
                    winlog["channel"],
                    winlog["provider_name"],
                    int(winlog["event_id"]),
                    data,
                    winlog["computer_name"],
                    user_data,
                ),
            )
        )
    return write_evtx(records)


@pytest.fixture
def evtx_file(tmp_path: Path) -> Path:
    path = tmp_path / "Security.evtx"
    path.write_bytes(_winlogbeat_as_evtx())
    return path


def test_evtx_events_equal_their_winlogbeat_export(evtx_file: Path) -> None:
    from_evtx = [e for e in read_events(evtx_file, year=2026) if isinstance(e, Event)]
    exported = [
        e for e in read_events(LOGS / "winlogbeat.jsonl", year=2026) if isinstance(e, Event)
    ]
    assert len(from_evtx) == len(exported) == 7
    sigma_names = ("EventID", "Channel", "Provider_Name", "Computer", "Image", "CommandLine")
    for mine, theirs in zip(from_evtx, exported, strict=True):
        assert {k: mine.fields.get(k) for k in sigma_names} == {
            k: theirs.fields.get(k) for k in sigma_names
        }
        assert mine.logsource == theirs.logsource
        assert mine.timestamp == theirs.timestamp
    assert from_evtx[4].fields["SubjectUserName"] == "alice"  # UserData of event 1102
    assert from_evtx[0].line == 7001  # the record id stands for the line


def test_replay_of_an_evtx_file_with_sigma_rules(evtx_file: Path) -> None:
    rules = load_rules([SIGMA / "windows"], builtin=False)
    report = replay([evtx_file], rules, year=2026)
    assert sorted((a.rule_title, a.events[0].line) for a in report.alerts) == [
        ("HackTool - Mimikatz Execution", 7003),
        ("Security Eventlog Cleared", 9001),
        ("Suspicious Download Via Certutil.EXE", 7001),
    ]
    result = CliRunner().invoke(
        app,
        ["monitor", "replay", str(evtx_file), "--rules", str(SIGMA / "windows"),
         "--no-builtin", "--format", "jsonl"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert {x["source"] for x in lines} == {str(evtx_file)}
    assert {x["rule_title"] for x in lines} == {a.rule_title for a in report.alerts}


def test_a_damaged_record_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    records = [
        (n, T0 + timedelta(seconds=n), event(n, T0, *SYSMON, 1, {"Image": f"C:\\a{n}.exe"}))
        for n in (1, 2, 3)
    ]
    data = bytearray(write_evtx(records))
    second = data.find(b"\x2a\x2a\x00\x00", 4096 + 512 + 8)
    data[second + 28] = 0x7E  # the first token of record 2's XML: no such token
    path = tmp_path / "damaged.evtx"
    path.write_bytes(bytes(data))
    items = list(read_events(path, year=2026))
    events = [e for e in items if isinstance(e, Event)]
    assert [e.fields["Image"] for e in events] == ["C:\\a1.exe", "C:\\a3.exe"]
    assert any(isinstance(p, LineProblem) and "damaged" in p.reason for p in items)


def test_a_truncated_evtx_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "cut.evtx"
    path.write_bytes(b"ElfFile\x00" + b"\x00" * 100)
    report = replay(
        [path, LOGS / "nxlog.jsonl"], load_rules([SIGMA / "windows"], builtin=False), year=2026
    )
    assert report.events == 3  # the next file was still read
    assert len(report.errors) == 1
    assert "cut.evtx: not a readable EVTX file" in report.errors[0]
