"""Behavioural baselines: EWMA request rates and first-seen values per entity."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.monitor.baseline import BaselineDetector, BaselineRule, BaselineSpec
from shieldwall.monitor.event import Event, LogSource
from shieldwall.monitor.ruleset import load_rules

T0 = datetime(2026, 12, 10, 6, 0, tzinfo=UTC)
WEB = LogSource.of(None, (), ("webserver",))


def _rate(**changes: object) -> BaselineRule:
    spec = {"shieldwall": "baseline", "id": "SW-TST-201", "title": "rate", "kind": "rate",
            "logsource": {"category": "webserver"}, "group_by": ["source.ip"], "bucket": 60,
            "alpha": 0.3, "z": 5, "min_count": 30, "warmup": 3}  # fmt: skip
    spec.update(changes)
    return BaselineRule.from_spec(BaselineSpec.model_validate(spec))


def _seen(**changes: object) -> BaselineRule:
    spec = {"shieldwall": "baseline", "id": "SW-TST-202", "title": "new ip", "kind": "first_seen",
            "logsource": {"category": "webserver"}, "group_by": ["user.name"],
            "field": "source.ip", "learning": 3600}  # fmt: skip
    spec.update(changes)
    return BaselineRule.from_spec(BaselineSpec.model_validate(spec))


def _event(seconds: float, ip: str = "203.0.113.7", user: str = "alice") -> Event:
    fields = {"source.ip": ip, "user.name": user}
    return Event.create(
        source="access.log",
        line=1,
        raw=f"{ip} {user}",
        logsource=WEB,
        fields=fields,
        timestamp=T0 + timedelta(seconds=seconds),
    )


def _fired(detector: BaselineDetector, events: list[Event]) -> list[tuple[str, int]]:
    """(entity, index of the event that fired) for every detection."""
    return [(str(d.entity), i) for i, e in enumerate(events) for d in detector.observe(e)]


def _quiet_then_burst(burst: int, ip: str = "203.0.113.7") -> list[Event]:
    quiet = [_event(60 * m + 5, ip) for m in range(3)]  # one a minute: three buckets of history
    return quiet + [_event(180 + s % 60, ip) for s in range(burst)]


def test_a_burst_above_the_clients_own_baseline_fires_once_at_the_crossing() -> None:
    events = _quiet_then_burst(45)
    fired = _fired(BaselineDetector((_rate(),)), events)
    assert fired == [("source.ip=203.0.113.7", 3 + 29)]  # the 30th request of the burst


def test_below_min_count_or_before_warmup_nothing_fires() -> None:
    assert _fired(BaselineDetector((_rate(),)), _quiet_then_burst(29)) == []
    no_history = [_event(s % 60) for s in range(100)]  # a client's very first minute
    assert _fired(BaselineDetector((_rate(),)), no_history) == []


def test_a_steadily_busy_client_is_its_own_normal() -> None:
    steady = [_event(60 * m + s) for m in range(10) for s in range(40)]  # 40 a minute
    assert _fired(BaselineDetector((_rate(),)), steady) == []
    # ... until it triples its rate
    surge = [_event(600 + s / 2) for s in range(120)]
    assert len(_fired(BaselineDetector((_rate(),)), steady + surge)) == 1


def test_quiet_minutes_count_as_zero() -> None:
    # Busy for 5 minutes, silent for 2 hours: the average decays to ~0, so the 30th request of
    # the same load (min_count) fires again.
    busy = [_event(60 * m + s) for m in range(5) for s in range(40)]
    later = [_event(7200 + s) for s in range(40)]
    assert _fired(BaselineDetector((_rate(),)), busy + later) == [("source.ip=203.0.113.7", 229)]


def test_entities_have_separate_baselines_and_memory_is_bounded() -> None:
    detector = BaselineDetector((_rate(max_entities=2),))
    events = [*_quiet_then_burst(35, "10.0.0.1"), _event(200, "10.0.0.2"), _event(201, "10.0.0.3")]
    fired = _fired(detector, events)
    assert [entity for entity, _ in fired] == ["source.ip=10.0.0.1"]
    assert len(detector._rates["SW-TST-201"]) == 2  # the oldest entity was dropped


def test_a_new_value_after_learning_fires_and_learnt_values_do_not() -> None:
    events = [
        _event(0, "198.51.100.7"),  # learning: alice's usual address
        _event(600, "198.51.100.8"),  # learning: a second one
        _event(7200, "198.51.100.7"),
        _event(7300, "198.51.100.8"),
        _event(7400, "203.0.113.66"),  # new for alice: fires
        _event(7500, "203.0.113.66"),  # now known
        _event(7600, "203.0.113.9", user="bob"),  # bob has no history: learnt, not reported
        _event(7700, "203.0.113.10", user="bob"),  # new for bob: fires
    ]
    fired = _fired(BaselineDetector((_seen(),)), events)
    assert fired == [("user.name=alice", 4), ("user.name=bob", 7)]


def test_events_without_the_field_or_entity_are_ignored() -> None:
    detector = BaselineDetector((_seen(),))
    event = Event.create(source="a", line=1, raw="x", logsource=WEB, fields={"user.name": "a"},
                         timestamp=T0)  # fmt: skip
    assert list(detector.observe(event)) == []
    fields = {"user.name": "a", "source.ip": "1.2.3.4"}
    other = Event.create(source="a", line=1, raw="x", logsource=LogSource.of("linux"),
                         fields=fields, timestamp=T0)  # fmt: skip
    assert list(detector.observe(other)) == []  # another log source


def test_an_invalid_baseline_rule_is_reported_and_the_rest_loads(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text(
        "shieldwall: baseline\nid: SW-TST-203\ntitle: t\nkind: first_seen\ngroup_by: [user.name]\n"
    )
    (tmp_path / "good.yml").write_text(
        "shieldwall: baseline\nid: SW-TST-204\ntitle: t\nkind: rate\ngroup_by: [source.ip]\n"
    )
    ruleset = load_rules([tmp_path], builtin=False)
    assert [r.spec.id for r in ruleset.baselines] == ["SW-TST-204"]
    (problem,) = ruleset.unsupported
    assert problem.rule_id == "SW-TST-203" and "needs field" in problem.feature


@pytest.mark.parametrize("rule", ["SW-MON-201", "SW-MON-202", "SW-MON-203"])
def test_builtin_baselines_carry_positive_and_negative_samples(rule: str) -> None:
    samples = load_rules([]).samples[rule]
    assert sorted(s.expect for s in samples) == [0, 1]


def test_replay_reports_a_rate_anomaly_from_an_access_log(tmp_path: Path) -> None:
    lines = [
        f'203.0.113.7 - - [10/Dec/2026:06:{m:02d}:05 +0000] "GET /a HTTP/1.1" 200 5 "-" "x"'
        for m in range(5)
    ] + [
        f'203.0.113.7 - - [10/Dec/2026:06:05:{s:02d} +0000] "GET /a?id={s} HTTP/1.1" 200 5 "-" "x"'
        for s in range(50)
    ]
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n")
    out = tmp_path / "alerts.jsonl"
    result = CliRunner().invoke(
        app, ["monitor", "replay", str(log), "--format", "jsonl", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    alerts = [json.loads(line) for line in out.read_text().splitlines()]
    rate = [a for a in alerts if a["rule_id"] == "SW-MON-201"]
    assert len(rate) == 1 and rate[0]["source"] == str(log)
    assert "30 in 60s" in rate[0]["rule_title"]
