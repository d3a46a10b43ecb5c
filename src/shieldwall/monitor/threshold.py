"""Our rules beyond Sigma: counts of matching events per entity within a sliding time window.

Sigma rules look at one event at a time; brute force is many failed logins from one address in
minutes. A threshold rule selects events (log source + field equalities), groups them by fields,
and fires when a group holds ``count`` events (or ``count`` distinct values of a field) within
``window`` seconds of event time. Out-of-order events are inserted in time order; events without
a timestamp count at the time of the last timestamped event.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.severity import Severity
from shieldwall.monitor.detection import Detection
from shieldwall.monitor.event import Event
from shieldwall.monitor.routing import RuleRouter, compile_where, fields_match, group_key
from shieldwall.monitor.sigma.prepared import as_text
from shieldwall.monitor.sigma.rule import RouteKey

MAX_EVENTS_PER_GROUP = 10_000  # bounds memory under a flood; the window is then cut short


class RuleSample(BaseModel):
    """Sample log lines a rule carries, and how many detections they must produce."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str = "auto"
    lines: list[str]
    expect: int = Field(ge=0, description="number of detections the lines must produce")


class LogSourceSpec(BaseModel):
    """A Sigma-style log source selector."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    product: str | None = None
    category: str | None = None
    service: str | None = None


class ThresholdSpec(BaseModel):
    """A threshold rule file as written (``shieldwall: threshold``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    shieldwall: Literal["threshold"]
    id: str = Field(pattern=r"^SW-[A-Z]{2,5}-\d{3}$")
    title: str
    description: str = ""
    author: str = "shieldwall"
    severity: Severity = Severity.MEDIUM
    logsource: LogSourceSpec = LogSourceSpec()
    where: dict[str, str | int | list[str | int]] = {}
    group_by: list[str] = Field(min_length=1)
    window: int = Field(gt=0, description="seconds")
    count: int = Field(ge=1)
    distinct: str | None = None
    tests: list[RuleSample] = []


@dataclass(frozen=True, slots=True)
class ThresholdRule:
    """A compiled threshold rule."""

    spec: ThresholdSpec
    route: RouteKey
    where: Mapping[str, frozenset[str]]

    @classmethod
    def from_spec(cls, spec: ThresholdSpec) -> ThresholdRule:
        """Compile the equality filters into lower-cased value sets."""
        where = compile_where(spec.where)
        source = spec.logsource
        return cls(spec, RouteKey(source.product, source.category, source.service), where)

    def selects(self, event: Event) -> bool:
        """Whether the event counts towards this rule."""
        return self.route.accepts(event.logsource) and self.matches_fields(event)

    def matches_fields(self, event: Event) -> bool:
        """Whether the event's fields pass the rule's equalities (its log source aside)."""
        return fields_match(self.where, event.fields)

    def group(self, event: Event) -> str | None:
        """The group key of an event, or ``None`` when a grouping field is missing."""
        return group_key(self.spec.group_by, event.fields)


@dataclass(slots=True)
class Window:
    """The events of one group in time order, and a count of their distinct values."""

    times: list[datetime] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    distinct: Counter[str] = field(default_factory=Counter)

    def insert(self, when: datetime, event: Event, value: str) -> None:
        """Add an event at its time (out-of-order events go to their place)."""
        position = bisect.bisect_right(self.times, when)
        self.times.insert(position, when)
        self.events.insert(position, event)
        if value:
            self.distinct[value] += 1

    def evict_before(self, horizon: datetime, keep: int, field_name: str | None) -> None:
        """Drop events older than ``horizon``, and all but the newest ``keep``."""
        cut = max(bisect.bisect_left(self.times, horizon), len(self.times) - keep)
        if cut <= 0:
            return
        if field_name is not None:
            for event in self.events[:cut]:
                value = as_text(event.fields.get(field_name))
                if value:
                    self.distinct[value] -= 1
                    if not self.distinct[value]:
                        del self.distinct[value]
        del self.times[:cut], self.events[:cut]


@dataclass(slots=True)
class ThresholdDetector:
    """Sliding windows per (rule, group); one instance per replay or worker."""

    rules: tuple[ThresholdRule, ...]
    _windows: dict[tuple[str, str], Window] = field(default_factory=dict)
    _clock: datetime | None = None
    _router: RuleRouter[ThresholdRule] = field(init=False)

    def __post_init__(self) -> None:
        self._router = RuleRouter(self.rules)

    def observe(self, event: Event) -> list[Detection]:
        """Feed one event; a detection for each rule whose threshold it completes."""
        # A list, not a generator: most events yield nothing, and a generator per event cost
        # more than the checks.
        found: list[Detection] = []
        if event.timestamp is not None and (self._clock is None or event.timestamp > self._clock):
            self._clock = event.timestamp
        now = event.timestamp or self._clock
        if now is None:
            return found
        for rule in self._router.candidates(event):
            if not rule.matches_fields(event):
                continue
            key = rule.group(event)
            if key is None:
                continue
            window = self._windows.get((rule.spec.id, key))
            if window is None:  # not setdefault: a Window per event cost more than the lookup
                window = self._windows[(rule.spec.id, key)] = Window()
            distinct = rule.spec.distinct
            window.insert(now, event, as_text(event.fields.get(distinct)) if distinct else "")
            horizon = window.times[-1] - timedelta(seconds=rule.spec.window)
            window.evict_before(horizon, MAX_EVENTS_PER_GROUP, distinct)
            if self._reached(rule, window):
                found.append(
                    Detection(
                        rule.spec.id,
                        rule.spec.title,
                        rule.spec.severity,
                        tuple(window.events),
                        key,
                    )
                )
                del self._windows[(rule.spec.id, key)]  # start counting afresh
        return found

    @staticmethod
    def _reached(rule: ThresholdRule, window: Window) -> bool:
        if len(window.events) < rule.spec.count:
            return False  # too few events for either kind of count
        if rule.spec.distinct is None:
            return True
        return len(window.distinct) >= rule.spec.count
