"""Detection over real logs with real SigmaHQ rules, our threshold rules, and alert grouping."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shieldwall.monitor.alerts import AlertGrouper
from shieldwall.monitor.detection import Detection
from shieldwall.monitor.event import Event, LogSource
from shieldwall.monitor.pipeline import replay
from shieldwall.monitor.reader import read_events
from shieldwall.monitor.routing import common_gate, gate_passes
from shieldwall.monitor.ruleset import RuleSet, load_rules
from shieldwall.monitor.sigma.compile import required_literal
from shieldwall.monitor.sigma.engine import SigmaEngine
from shieldwall.monitor.sigma.literals import hyperscan
from shieldwall.monitor.sigma.prepared import PreparedEvent
from shieldwall.monitor.threshold import ThresholdDetector
from tests.monitor.conftest import LOGS, SIGMA

ALL_LOGS = ("openssh.log", "linux-syslog.log", "apache-error.log", "cloudtrail.jsonl")


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_rules([SIGMA])


def _events(*names: str) -> list[Event]:
    return [e for n in names for e in read_events(LOGS / n, year=2026) if isinstance(e, Event)]


def test_the_copied_sigmahq_rules_all_compile(ruleset: RuleSet) -> None:
    files = list(SIGMA.rglob("*.yml"))
    assert not ruleset.unsupported
    assert len([r for r in ruleset.sigma if r.path.startswith(str(SIGMA))]) == len(files)
    authors = {r.author for r in ruleset.sigma if r.path.startswith(str(SIGMA))}
    assert None not in authors  # the Detection Rule License asks that authors be credited


@pytest.mark.parametrize(
    "engine",
    [
        pytest.param(
            "ahocorasick", marks=pytest.mark.slow
        ),  # the fallback where Hyperscan lacks wheels
        pytest.param(
            "hyperscan", marks=pytest.mark.skipif(hyperscan is None, reason="no hyperscan wheel")
        ),
    ],
)
def test_the_prefilter_never_hides_a_match(ruleset: RuleSet, engine: str) -> None:
    """Routing + literal gating give exactly what evaluating every rule on every event gives."""
    indexed = SigmaEngine(ruleset.sigma, engine=engine)
    fired = 0
    for event in _events(*ALL_LOGS)[::3]:  # a third of the events keeps the test quick
        prepared = PreparedEvent(event)
        brute = [
            r for r in ruleset.sigma if r.route.accepts(event.logsource) and r.predicate(prepared)
        ]
        assert indexed.match(event) == brute, (event.source, event.line)
        fired += bool(brute)
    assert fired > 20  # the comparison covers real matches, not only empty lists


def test_the_prefilter_text_holds_every_field_value() -> None:
    """Values cut from the line are left out of the text; the others must all be in it."""
    raw = '{"path": "C:\\\\Windows", "name": "\\u00c4rger", "n": 10}'
    event = Event.create(
        source="x",
        line=1,
        raw=raw,
        logsource=LogSource(),
        fields={"path": "C:\\Windows", "name": "\u00c4rger", "n": 10, "action": "ssh_login"},
    )
    text = PreparedEvent(event).text()
    assert all(str(v).lower() in text for v in event.fields.values())
    for event in _events(*ALL_LOGS):
        text = PreparedEvent(event).text()
        for value in event.fields.values():
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, str):
                    assert item.lower() in text, (event.source, event.line, item)


def test_bucket_deletion_fires_exactly_on_successful_delete_bucket_records(
    ruleset: RuleSet,
) -> None:
    lines = (LOGS / "cloudtrail.jsonl").read_text().splitlines()
    expected = {
        number
        for number, line in enumerate(lines, 1)
        if (r := json.loads(line))["eventName"] == "DeleteBucket"
        and r.get("errorCode") in (None, "Success")
    }
    engine = SigmaEngine(ruleset.sigma)
    actual = {
        e.line
        for e in _events("cloudtrail.jsonl")
        if any(r.title == "AWS Bucket Deleted" for r in engine.match(e))
    }
    assert expected and actual == expected


def test_cloudtrail_replay_alerts(ruleset: RuleSet) -> None:
    report = replay([LOGS / "cloudtrail.jsonl"], ruleset, year=2026, group_window=timedelta(0))
    titles = Counter(a.rule_title for a in report.alerts)
    assert titles == {
        "AWS Bucket Deleted": 5,
        "AWS CloudTrail Important Change": 6,
        "AWS IAM Backdoor Users Keys": 2,
        "AWS STS AssumeRole Misuse": 76,
        "AWS Snapshot Backup Exfiltration": 2,
        "AWS Successful Console Login Without MFA": 1,
        "AWS VPC Flow Logs Deleted": 1,
        "Ingress/Egress Security Group Modification": 6,
        "New Network Route Added": 6,
        "Potential Bucket Enumeration on AWS": 3,
        "Potential Malicious Usage of CloudTrail System Manager": 1,
    }


def test_ssh_brute_force_on_the_real_log_matches_an_independent_count(ruleset: RuleSet) -> None:
    """Every alerting address has >= 10 failures within 5 minutes; every such address alerts."""
    failed = re.compile(
        r"^(\w{3} +\d+ [\d:]{8}) \S+ sshd\[\d+\]: Failed \S+ for .*? from (\S+) port"
    )
    times: dict[str, list[datetime]] = {}
    for line in (LOGS / "openssh.log").read_text().splitlines():
        if match := failed.match(line):
            when = datetime.strptime(f"2026 {match[1]}", "%Y %b %d %H:%M:%S").replace(tzinfo=UTC)
            times.setdefault(match[2], []).append(when)
    window = timedelta(seconds=300)
    expected = {
        ip
        for ip, ts in times.items()
        if any(sum(1 for t in ts if start <= t <= start + window) >= 10 for start in ts)
    }
    report = replay([LOGS / "openssh.log"], ruleset, year=2026)
    alerted = {a.entity for a in report.alerts if a.rule_id == "SW-MON-001"}
    assert alerted == {f"source.ip={ip}" for ip in expected}
    assert len(expected) >= 3


def _failure(ip: str, when: datetime, user: str = "root", line: int = 1) -> Event:
    return Event.create(
        source="auth.log",
        line=line,
        raw=f"Failed password for {user} from {ip}",
        logsource=LogSource.of("linux", ("sshd", "auth")),
        fields={
            "event.action": "ssh_login",
            "event.outcome": "failure",
            "source.ip": ip,
            "user.name": user,
        },
        timestamp=when,
    )


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _brute(ruleset: RuleSet) -> ThresholdDetector:
    return ThresholdDetector(tuple(r for r in ruleset.thresholds if r.spec.id == "SW-MON-001"))


def test_threshold_counts_per_address_within_the_window(ruleset: RuleSet) -> None:
    detector = _brute(ruleset)
    out: list[Detection] = []
    for i in range(10):
        out += detector.observe(_failure("192.0.2.1", T0 + timedelta(seconds=i)))
        out += detector.observe(_failure(f"198.51.100.{i}", T0 + timedelta(seconds=i)))  # spread
    for i in range(10):  # ten failures, but one every minute: never ten in five minutes
        out += detector.observe(_failure("192.0.2.2", T0 + timedelta(minutes=i)))
    assert [(d.rule_id, d.entity, len(d.events)) for d in out] == [
        ("SW-MON-001", "source.ip=192.0.2.1", 10)
    ]


def test_threshold_handles_out_of_order_and_untimed_events(ruleset: RuleSet) -> None:
    detector = _brute(ruleset)
    times = [T0 + timedelta(seconds=s) for s in (50, 10, 40, 20, 30, 0, 60, 5, 15)]
    out: list[Detection] = []
    for when in times:
        out += detector.observe(_failure("192.0.2.1", when))
    assert not out
    late = Event.create(
        source="auth.log",
        line=99,
        raw="x",
        logsource=LogSource.of("linux", ("sshd",)),
        fields={"event.action": "ssh_login", "event.outcome": "failure", "source.ip": "192.0.2.1"},
    )
    out += detector.observe(late)  # no timestamp: counts at the latest time seen
    assert len(out) == 1
    assert [e.timestamp for e in out[0].events[:3]] == sorted(times)[:3]  # kept in time order


def test_grouping_merges_a_flood_into_one_alert_with_a_count() -> None:
    grouper = AlertGrouper(window=timedelta(minutes=5), max_events=3)
    rule = ("SW-X-001", "t")
    for i in range(50):
        grouper.add(
            Detection(*rule, "high", (_failure("192.0.2.1", T0 + timedelta(seconds=i), line=i),))
        )  # type: ignore[arg-type]
    grouper.add(Detection(*rule, "high", (_failure("192.0.2.9", T0),)))  # type: ignore[arg-type]
    grouper.add(Detection(*rule, "high", (_failure("192.0.2.1", T0 + timedelta(minutes=6)),)))  # type: ignore[arg-type]
    alerts = grouper.alerts
    assert [(a.entity, a.count, len(a.events)) for a in alerts] == [
        ("source.ip=192.0.2.1", 50, 3),
        ("source.ip=192.0.2.9", 1, 1),
        ("source.ip=192.0.2.1", 1, 1),
    ]
    assert alerts[0].last_seen == T0 + timedelta(seconds=49)
    assert len({a.key for a in alerts}) == 3


def test_a_file_that_cannot_be_read_is_reported_and_the_others_are_replayed(
    ruleset: RuleSet, tmp_path: Path
) -> None:
    binary = tmp_path / "blob.log"
    binary.write_bytes(b"\x00\x01" * 100)
    report = replay([binary, LOGS / "openssh.log"], ruleset, year=2026)
    assert len(report.errors) == 1 and "binary file" in report.errors[0]
    assert report.events == 2000 and report.alerts


def test_a_routes_common_gate_lets_through_every_value_one_of_its_rules_allows() -> None:
    both = [{"event.outcome": frozenset({"failure"}), "event.action": frozenset({"ssh_login"})}]
    both.append({"event.outcome": frozenset({"success"})})
    assert common_gate(both) == ("event.outcome", frozenset({"failure", "success"}))
    assert common_gate([{"a": frozenset({"x"})}, {"b": frozenset({"y"})}]) is None
    assert common_gate([{"a": frozenset({"x"})}, {}]) is None  # a rule without filters
    assert common_gate([]) is None
    gate = ("event.outcome", frozenset({"failure"}))
    assert gate_passes(gate, {"event.outcome": "FAILURE"})
    assert not gate_passes(gate, {"event.outcome": "success"})
    assert not gate_passes(gate, {"message": "session opened"})


def test_a_regex_is_searched_only_where_its_required_literal_occurs() -> None:
    assert required_literal(".+:assumed-role/aws:.+") == ":assumed-role/aws:"
    assert required_literal("^/api/v1/.*$") == "/api/v1/"
    assert required_literal("abcd?") == "abc"  # the optional d is not required
    for pattern in ("(abc)", "a|bcd", r"x\dabc", "abc{2}", "[abc]def", "ab"):
        assert required_literal(pattern) is None, pattern
