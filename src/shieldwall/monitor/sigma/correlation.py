"""Sigma correlation rules over the matches of other rules: counts and temporal proximity.

A correlation names base rules, fields to group by, a timespan and a condition. ``event_count`` and
``value_count`` (``gte``/``gt`` a count; for ``value_count`` the field whose distinct values are
counted) fire when a group reaches the count within the timespan of event time, then count afresh
-- the semantics of our threshold rules, fed by Sigma matches instead of field equalities.
``temporal`` fires when at least ``count`` of the distinct base rules (all of them by default)
matched within the timespan for one group; ``temporal_ordered`` when all of them matched in the
order listed within the timespan (spec: sigma-specification, "Sigma Correlation Rules").
Extended (boolean) conditions, aliases, the value_sum/avg/percentile types and other condition
operators are reported as unsupported.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sigma.correlations import (
    SigmaCorrelationCondition,
    SigmaCorrelationConditionOperator,
    SigmaCorrelationRule,
    SigmaCorrelationType,
)
from sigma.rule import SigmaRule

from shieldwall.core.severity import Severity
from shieldwall.monitor.detection import Detection
from shieldwall.monitor.event import Event
from shieldwall.monitor.sigma.prepared import as_text
from shieldwall.monitor.sigma.rule import Unsupported, severity_of
from shieldwall.monitor.sigma.temporal import TemporalWindows
from shieldwall.monitor.threshold import MAX_EVENTS_PER_GROUP, Window


def rule_key(rule: SigmaRule | SigmaCorrelationRule) -> str:
    """The id alerts carry: an ``SW-`` name for our rules, else the Sigma id."""
    name = str(rule.name or "")
    return name if name.startswith("SW-") else str(rule.id or rule.title)


_COUNTS = (SigmaCorrelationType.EVENT_COUNT, SigmaCorrelationType.VALUE_COUNT)
_TEMPORAL = (SigmaCorrelationType.TEMPORAL, SigmaCorrelationType.TEMPORAL_ORDERED)


@dataclass(frozen=True, slots=True)
class CorrelationRule:
    """A compiled correlation; ``order`` lists the base rules of a temporal one."""

    rule_id: str
    title: str
    severity: Severity
    base: frozenset[str]
    group_by: tuple[str, ...]
    window: int
    count: int
    distinct: str | None
    path: str
    kind: str = "event_count"
    order: tuple[str, ...] = ()

    @property
    def temporal(self) -> bool:
        """Whether the rule is about base rules matching close in time."""
        return self.kind in ("temporal", "temporal_ordered")


def compile_correlation(item: SigmaCorrelationRule, path: str) -> CorrelationRule | Unsupported:
    """One correlation rule compiled, or why it cannot be."""
    rule_id = rule_key(item)
    kind = item.type.name.lower() if item.type else "?"
    if item.type not in _COUNTS + _TEMPORAL:
        return Unsupported(path, rule_id, item.title, f"correlation ({kind})")
    condition = item.condition
    if not isinstance(condition, SigmaCorrelationCondition) or condition.op not in (
        SigmaCorrelationConditionOperator.GTE,
        SigmaCorrelationConditionOperator.GT,
    ):
        op = condition.op.name.lower() if isinstance(condition, SigmaCorrelationCondition) else "?"
        return Unsupported(path, rule_id, item.title, f"correlation condition {op}")
    if item.aliases.aliases:
        return Unsupported(path, rule_id, item.title, "correlation field aliases")
    count = int(condition.count) + (condition.op is SigmaCorrelationConditionOperator.GT)
    order = tuple(dict.fromkeys(rule_key(ref.rule) for ref in item.rules or ()))
    if item.type is SigmaCorrelationType.TEMPORAL_ORDERED and count != len(order):
        return Unsupported(path, rule_id, item.title, "temporal_ordered with a partial count")
    return CorrelationRule(
        rule_id=rule_id,
        title=item.title,
        severity=severity_of(item.level.name if item.level else None),
        base=frozenset(rule_key(ref.rule) for ref in item.rules or ()),
        group_by=tuple(item.group_by or ()),
        window=int(item.timespan.seconds),
        count=count,
        distinct=_distinct(condition) if item.type is SigmaCorrelationType.VALUE_COUNT else None,
        path=path,
        kind=kind,
        order=order,
    )


def _distinct(condition: SigmaCorrelationCondition) -> str | None:
    fieldref = condition.fieldref
    return fieldref[0] if isinstance(fieldref, list) else fieldref


@dataclass(slots=True)
class CorrelationDetector:
    """Windows per (correlation, group), fed with the ids of the rules an event matched."""

    rules: Sequence[CorrelationRule]
    _windows: dict[tuple[str, str], Window] = field(default_factory=dict)
    _clock: datetime | None = None
    _temporal: TemporalWindows = field(default_factory=TemporalWindows)

    def observe(self, event: Event, matched: Sequence[str]) -> Iterator[Detection]:
        """Feed one event and the ids of the rules it matched."""
        if event.timestamp is not None and (self._clock is None or event.timestamp > self._clock):
            self._clock = event.timestamp
        now = event.timestamp or self._clock
        if now is None or not matched:
            return
        for rule in self.rules:
            if rule.base.isdisjoint(matched):
                continue
            values = [as_text(event.fields.get(name)) for name in rule.group_by]
            if any(v == "" for v in values):
                continue
            group = ",".join(f"{n}={v}" for n, v in zip(rule.group_by, values, strict=True))
            if rule.temporal:
                events = self._temporal.observe(rule, group, now, event, matched)
                if events:
                    yield Detection(rule.rule_id, rule.title, rule.severity, events, group)
                continue
            window = self._windows.setdefault((rule.rule_id, group), Window())
            value = as_text(event.fields.get(rule.distinct)) if rule.distinct else ""
            if rule.distinct and not value:
                continue
            window.insert(now, event, value)
            horizon = window.times[-1] - timedelta(seconds=rule.window)
            window.evict_before(horizon, MAX_EVENTS_PER_GROUP, rule.distinct)
            size = len(window.distinct) if rule.distinct else len(window.events)
            if size >= rule.count:
                yield Detection(
                    rule.rule_id, rule.title, rule.severity, tuple(window.events), group
                )
                del self._windows[(rule.rule_id, group)]
