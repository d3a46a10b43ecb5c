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
    # The spec's values the per-event path reads, as plain attributes (a pydantic attribute
    # and a timedelta per event were a measurable part of a brute-force replay).
    id: str = ""
    span: timedelta = timedelta(0)
    count: int = 0
    distinct: str | None = None

    @classmethod
    def from_spec(cls, spec: ThresholdSpec) -> ThresholdRule:
        """Compile the equality filters into lower-cased value sets."""
        where = compile_where(spec.where)
        source = spec.logsource
        return cls(
            spec,
            RouteKey(source.product, source.category, source.service),
            where,
            spec.id,
            timedelta(seconds=spec.window),
            spec.count,
            spec.distinct,
        )

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
        times = self.times
        if not times or when >= times[-1]:  # in order, the usual case: no search
            times.append(when)
            self.events.append(event)
        else:
            position = bisect.bisect_right(times, when)
            times.insert(position, when)
            self.events.insert(position, event)
        if value:
            self.distinct[value] += 1

    def evict_before(self, horizon: datetime, keep: int, field_name: str | None) -> None:
        """Drop events older than ``horizon``, and all but the newest ``keep``."""
        times = self.times
        if times[0] >= horizon and len(times) <= keep:
            return  # nothing has left the window
        cut = max(bisect.bisect_left(times, horizon), len(times) - keep)
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
        fields = event.fields
        windows = self._windows
        for rule in self._router.candidates(event):
            if not fields_match(rule.where, fields):
                continue
            key = group_key(rule.spec.group_by, fields)
            if key is None:
                continue
            slot = (rule.id, key)
            window = windows.get(slot)
            if window is None:  # not setdefault: a Window per event cost more than the lookup
                window = windows[slot] = Window()
            distinct = rule.distinct
            window.insert(now, event, as_text(fields.get(distinct)) if distinct else "")
            window.evict_before(window.times[-1] - rule.span, MAX_EVENTS_PER_GROUP, distinct)
            if self._reached(rule, window):
                found.append(
                    Detection(
                        rule.id,
                        rule.spec.title,
                        rule.spec.severity,
                        tuple(window.events),
                        key,
                    )
                )
                del windows[slot]  # start counting afresh
        return found

    @staticmethod
    def _reached(rule: ThresholdRule, window: Window) -> bool:
        if len(window.events) < rule.count:
            return False  # too few events for either kind of count
        if rule.distinct is None:
            return True
        return len(window.distinct) >= rule.count
