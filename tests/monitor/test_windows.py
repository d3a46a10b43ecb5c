"""Windows events exported as JSON by Winlogbeat and NXLog: Sigma's Windows field names, log
source routing by channel and event id, and real SigmaHQ Windows rules firing exactly on the
attacks of the samples (tests/data/monitor/logs/winlogbeat.jsonl and nxlog.jsonl)."""

from __future__ import annotations

import pytest

from shieldwall.monitor.event import Event
from shieldwall.monitor.pipeline import replay
from shieldwall.monitor.reader import LineProblem, read_events
from shieldwall.monitor.ruleset import RuleSet, load_rules
from tests.monitor.conftest import LOGS, SIGMA

CERTUTIL = "19b08b1c-861d-4e75-a1ef-ea0c1baf202b"
MIMIKATZ = "a642964e-bead-4bed-8910-1bb4d63e3b4d"
CLEARED = "d99b79d2-0a6f-4f46-ad8b-260b6e17f982"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    ruleset = load_rules([SIGMA / "windows"], builtin=False)
    assert not ruleset.unsupported
    return ruleset


def _events(name: str) -> list[Event]:
    return [e for e in read_events(LOGS / name, year=2026) if isinstance(e, Event)]


def test_winlogbeat_fields_and_log_sources() -> None:
    events = _events("winlogbeat.jsonl")
    sysmon = events[0]
    assert sysmon.fields["EventID"] == 1
    assert sysmon.fields["Channel"] == "Microsoft-Windows-Sysmon/Operational"
    assert sysmon.fields["Image"] == "C:\\Windows\\System32\\certutil.exe"
    assert sysmon.fields["process.parent.executable"] == "C:\\Windows\\System32\\cmd.exe"
    assert sysmon.fields["winlog.event_data.CommandLine"] == sysmon.fields["CommandLine"]
    assert sysmon.logsource.product == "windows"
    assert sysmon.logsource.services == {"sysmon"}
    assert sysmon.logsource.categories == {"process_creation"}
    assert events[3].logsource.categories == {"network_connection"}
    cleared = events[4]
    assert (cleared.fields["Provider_Name"], cleared.fields["SubjectUserName"]) == (
        "Microsoft-Windows-Eventlog",
        "alice",
    )
    assert cleared.logsource.services == {"security"} and not cleared.logsource.categories
    failed = events[5]
    assert failed.fields["event.outcome"] == "failure"
    assert (failed.fields["user.name"], failed.fields["source.ip"]) == (
        "administrator",
        "198.51.100.23",
    )
    assert "source.ip" not in events[6].fields  # "-" is no address
    assert failed.timestamp is not None and failed.timestamp.isoformat().startswith("2026-11-29")


def test_nxlog_fields_and_the_4688_mapping() -> None:
    events = _events("nxlog.jsonl")
    created = events[0]
    assert created.fields["Image"] == "C:\\Windows\\System32\\certutil.exe"  # NewProcessName
    assert created.fields["ParentImage"] == "C:\\Windows\\System32\\inetsrv\\w3wp.exe"
    assert created.fields["Computer"] == "SRV02.corp.example"
    assert created.logsource.categories == {"process_creation"}
    assert events[2].logsource.services == {"system"}
    problems = [
        p for p in read_events(LOGS / "nxlog.jsonl", year=2026) if isinstance(p, LineProblem)
    ]
    assert [(p.line, p.reason.split(":")[0]) for p in problems] == [(4, "invalid JSON")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("winlogbeat.jsonl", {(CERTUTIL, 1), (MIMIKATZ, 3), (CLEARED, 5)}),
        ("nxlog.jsonl", {(CERTUTIL, 1)}),  # Security 4688, not the benign 4688 nor 7045
    ],
)
def test_real_sigma_windows_rules(
    rules: RuleSet, name: str, expected: set[tuple[str, int]]
) -> None:
    report = replay([LOGS / name], rules, year=2026)
    assert {(a.rule_id, e.line) for a in report.alerts for e in a.events} == expected
