"""Windows of ``temporal`` / ``temporal_ordered`` correlations: which base rules matched when.

Per (correlation, group) each base rule keeps the times and events of its recent matches (at most
``MAX_EVENTS_PER_GROUP`` each, older than the timespan dropped). ``temporal`` fires as soon as
``count`` distinct base rules have a match in the timespan; ``temporal_ordered`` when the last rule
of the order matches and, walking back, each earlier rule has a match no later than the next one's,
all within the timespan. After firing, the group starts afresh.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from shieldwall.monitor.event import Event

if TYPE_CHECKING:
    from shieldwall.monitor.sigma.correlation import CorrelationRule

__all__ = ["TemporalWindows"]

_MAX_PER_RULE = 1000


@dataclass(slots=True)
class _Matches:
    """One base rule's matches in a group: times ascending, events alongside."""

    times: list[datetime] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def add(self, when: datetime, event: Event) -> None:
        """Insert at its time (out-of-order events go to their place)."""
        position = bisect.bisect_right(self.times, when)
        self.times.insert(position, when)
        self.events.insert(position, event)
        if len(self.times) > _MAX_PER_RULE:
            del self.times[0], self.events[0]

    def evict_before(self, horizon: datetime) -> None:
        """Drop matches older than ``horizon``."""
        cut = bisect.bisect_left(self.times, horizon)
        if cut:
            del self.times[:cut], self.events[:cut]

    def latest_at_or_before(self, when: datetime) -> int | None:
        """Index of the newest match no later than ``when``."""
        position = bisect.bisect_right(self.times, when)
        return position - 1 if position else None


@dataclass(slots=True)
class TemporalWindows:
    """The state of every temporal correlation, keyed by (correlation, group)."""

    _groups: dict[tuple[str, str], dict[str, _Matches]] = field(default_factory=dict)

    def observe(
        self,
        rule: CorrelationRule,
        group: str,
        now: datetime,
        event: Event,
        matched: Sequence[str],
    ) -> tuple[Event, ...]:
        """Record the event's matches; the events that complete the correlation, or ()."""
        key = (rule.rule_id, group)
        state = self._groups.setdefault(key, {})
        horizon = now - timedelta(seconds=rule.window)
        for rule_id in rule.base.intersection(matched):
            state.setdefault(rule_id, _Matches()).add(now, event)
        for matches in state.values():
            matches.evict_before(horizon)
        events = (
            _ordered(rule, state, now) if rule.kind == "temporal_ordered" else _any(rule, state)
        )
        if events:
            del self._groups[key]
        return events


def _any(rule: CorrelationRule, state: dict[str, _Matches]) -> tuple[Event, ...]:
    present = [rule_id for rule_id in rule.order if state.get(rule_id) and state[rule_id].times]
    if len(present) < rule.count:
        return ()
    # The latest match of each rule, in time order: what shows the rules coincided.
    latest = sorted((state[r].times[-1], i, state[r].events[-1]) for i, r in enumerate(present))
    return tuple(event for _, _, event in latest)


def _ordered(rule: CorrelationRule, state: dict[str, _Matches], now: datetime) -> tuple[Event, ...]:
    chain: list[Event] = []
    bound = now
    first: datetime | None = None
    for rule_id in reversed(rule.order):
        matches = state.get(rule_id)
        index = matches.latest_at_or_before(bound) if matches else None
        if matches is None or index is None:
            return ()
        bound = first = matches.times[index]
        chain.append(matches.events[index])
    if first is None or (now - first).total_seconds() > rule.window:
        return ()
    return tuple(reversed(chain))
