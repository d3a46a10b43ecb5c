"""Behavioural baselines per entity: what is unusual for *this* client, user or key.

Two kinds of rule (``shieldwall: baseline``), both learning from event time, never wall time:

- ``kind: rate`` counts the selected events of each entity (``group_by``) per ``bucket`` seconds and
  keeps an exponentially weighted moving average and variance of those counts (``alpha``). Once an
  entity has ``warmup`` buckets of history, a bucket whose count reaches both ``min_count`` and
  ``mean + z * stddev`` fires, at the event that crosses the line (not when the bucket ends), once
  per bucket. Quiet buckets between two events count as zeros, so a client that is usually silent
  has a low baseline. The standard deviation has a floor of ``sqrt(mean)`` (Poisson noise) and 1,
  so a perfectly regular entity does not fire on one extra request.
- ``kind: first_seen`` remembers the values of ``field`` per entity. During the ``learning``
  seconds after the first event the detector sees, values are learnt silently; afterwards, a value
  never seen for an entity that has history fires (a user logging in from a new address, a new user
  agent for an API key). An entity first seen after learning has no baseline: its first value is
  learnt, not reported.

Memory is bounded: at most ``max_entities`` entities per rule and ``max_values`` values per entity,
the least recently seen dropped first.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shieldwall.core.severity import Severity
from shieldwall.monitor.detection import Detection
from shieldwall.monitor.event import Event
from shieldwall.monitor.routing import RuleRouter, compile_where, fields_match, group_key
from shieldwall.monitor.sigma.prepared import as_text
from shieldwall.monitor.sigma.rule import RouteKey
from shieldwall.monitor.threshold import LogSourceSpec, RuleSample

__all__ = ["BaselineDetector", "BaselineRule", "BaselineSpec"]

_V = TypeVar("_V")
_MAX_GAP_BUCKETS = 1000  # beyond this many empty buckets the average has decayed to zero anyway
_KEPT_EVENTS = 20  # the events attached to a rate alert: the newest of the bucket


class BaselineSpec(BaseModel):
    """A baseline rule file as written (``shieldwall: baseline``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    shieldwall: Literal["baseline"]
    id: str = Field(pattern=r"^SW-[A-Z]{2,5}-\d{3}$")
    title: str
    description: str = ""
    author: str = "shieldwall"
    severity: Severity = Severity.MEDIUM
    kind: Literal["rate", "first_seen"]
    logsource: LogSourceSpec = LogSourceSpec()
    where: dict[str, str | int | list[str | int]] = {}
    group_by: list[str] = Field(min_length=1)
    # rate
    bucket: int = Field(default=60, gt=0, description="seconds per count")
    alpha: float = Field(default=0.3, gt=0, le=1, description="EWMA smoothing factor")
    z: float = Field(default=4.0, gt=0, description="standard deviations above the mean")
    min_count: int = Field(default=20, ge=1, description="never fire below this many events")
    warmup: int = Field(default=5, ge=1, description="buckets of history before firing")
    # first_seen
    field: str | None = None
    learning: int = Field(default=86400, ge=0, description="seconds learnt silently")
    max_values: int = Field(default=1000, ge=1)
    max_entities: int = Field(default=100_000, ge=1)
    tests: list[RuleSample] = []

    @model_validator(mode="after")
    def _kind_needs(self) -> BaselineSpec:
        if self.kind == "first_seen" and not self.field:
            raise ValueError("a first_seen baseline needs field: (the value to remember)")
        return self


@dataclass(frozen=True, slots=True)
class BaselineRule:
    """A compiled baseline rule."""

    spec: BaselineSpec
    route: RouteKey
    where: Mapping[str, frozenset[str]]

    @classmethod
    def from_spec(cls, spec: BaselineSpec) -> BaselineRule:
        """Compile the equality filters into lower-cased value sets."""
        where = compile_where(spec.where)
        source = spec.logsource
        return cls(spec, RouteKey(source.product, source.category, source.service), where)

    def matches_fields(self, event: Event) -> bool:
        """Whether the event's fields pass the rule's equalities (its log source aside)."""
        return fields_match(self.where, event.fields)

    def entity(self, event: Event) -> str | None:
        """The entity key, or ``None`` when a grouping field is missing."""
        return group_key(self.spec.group_by, event.fields)


@dataclass(slots=True)
class _Rate:
    """One entity's EWMA of counts per bucket, and the bucket being counted."""

    bucket: int
    count: int = 0
    mean: float = 0.0
    var: float = 0.0
    history: int = 0
    fired: bool = False
    events: list[Event] = field(default_factory=list)

    def close_until(self, bucket: int, alpha: float) -> None:
        """Fold the current bucket and the empty ones up to ``bucket`` into the average."""
        gap = min(bucket - self.bucket, _MAX_GAP_BUCKETS)
        value = float(self.count)
        for _ in range(gap):
            delta = value - self.mean
            self.mean += alpha * delta
            self.var = (1 - alpha) * (self.var + alpha * delta * delta)
            self.history += 1
            value = 0.0
        self.bucket, self.count, self.fired, self.events = bucket, 0, False, []

    def limit(self, z: float, min_count: int) -> float:
        """The count at which the current bucket is anomalous."""
        stddev = max(math.sqrt(self.var), math.sqrt(self.mean), 1.0)
        return max(float(min_count), self.mean + z * stddev)


@dataclass(slots=True)
class BaselineDetector:
    """Per-entity baselines for every baseline rule; one instance per replay or worker."""

    rules: tuple[BaselineRule, ...]
    _rates: dict[str, OrderedDict[str, _Rate]] = field(default_factory=dict)
    _seen: dict[str, OrderedDict[str, OrderedDict[str, None]]] = field(default_factory=dict)
    _start: datetime | None = None
    _clock: datetime | None = None
    _router: RuleRouter[BaselineRule] = field(init=False)

    def __post_init__(self) -> None:
        self._router = RuleRouter(self.rules)

    def observe(self, event: Event) -> list[Detection]:
        """Feed one event; a detection for each baseline it departs from."""
        # A list, not a generator: most events yield nothing, and a generator per event cost
        # more than the checks.
        found: list[Detection] = []
        if event.timestamp is not None and (self._clock is None or event.timestamp > self._clock):
            self._clock = event.timestamp
            if self._start is None:
                self._start = event.timestamp
        now = event.timestamp or self._clock
        if now is None:
            return found
        for rule in self._router.candidates(event):
            if not rule.matches_fields(event):
                continue
            entity = rule.entity(event)
            if entity is None:
                continue
            if rule.spec.kind == "rate":
                detection = self._rate(rule, entity, event, now)
            else:
                detection = self._first_seen(rule, entity, event, now)
            if detection is not None:
                found.append(detection)
        return found

    def _rate(
        self, rule: BaselineRule, entity: str, event: Event, now: datetime
    ) -> Detection | None:
        spec = rule.spec
        bucket = int(now.timestamp()) // spec.bucket
        entities = self._rates.get(spec.id)
        if entities is None:
            entities = self._rates[spec.id] = OrderedDict()
        state = entities.get(entity)
        if state is None:
            state = entities[entity] = _Rate(bucket)
            _bound(entities, spec.max_entities)
        else:
            entities.move_to_end(entity)
        if bucket > state.bucket:
            state.close_until(bucket, spec.alpha)
        # An out-of-order event from an older bucket counts in the current one: its own
        # bucket is already folded into the average.
        state.count += 1
        state.events.append(event)
        del state.events[:-_KEPT_EVENTS]
        if state.fired or state.history < spec.warmup:
            return None
        limit = state.limit(spec.z, spec.min_count)
        if state.count < limit:
            return None
        state.fired = True
        return Detection(
            spec.id,
            f"{spec.title} ({state.count} in {spec.bucket}s, usually {state.mean:.1f})",
            spec.severity,
            tuple(state.events),
            entity,
        )

    def _first_seen(
        self, rule: BaselineRule, entity: str, event: Event, now: datetime
    ) -> Detection | None:
        spec = rule.spec
        assert spec.field is not None  # noqa: S101 - the spec's validator requires it
        value = as_text(event.fields.get(spec.field))
        if not value:
            return None
        seen = self._seen.get(spec.id)
        entities = seen if seen is not None else self._seen.setdefault(spec.id, OrderedDict())
        values = entities.get(entity)
        is_new_entity = values is None
        if values is None:
            values = entities[entity] = OrderedDict()
            _bound(entities, spec.max_entities)
        else:
            entities.move_to_end(entity)
        if value in values:
            values.move_to_end(value)
            return None
        values[value] = None
        _bound(values, spec.max_values)
        learning = self._start is not None and (now - self._start).total_seconds() < spec.learning
        if learning or is_new_entity:
            return None
        return Detection(
            spec.id, f"{spec.title}: {spec.field}={value}", spec.severity, (event,), entity
        )


def _bound(items: OrderedDict[str, _V], limit: int) -> None:
    """Drop the least recently seen items beyond ``limit``."""
    while len(items) > limit:
        items.popitem(last=False)
