"""Alerts: detections grouped by key within a window, so a flood becomes one alert with a count.

The key is (rule, source, entity). A detection joins the open alert of its key when it falls within
``window`` seconds of that alert's first event (event time, so replaying old logs groups the same
way the daemon did); otherwise it opens a new alert. An alert keeps at most ``max_events`` matched
events; ``count`` says how many detections it stands for.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shieldwall.core.severity import Severity
from shieldwall.monitor.detection import Detection, entity_of
from shieldwall.monitor.event import Event


@dataclass(slots=True)
class Alert:
    """One alert: the rule, where and whom it concerns, its events and how often it fired."""

    rule_id: str
    rule_title: str
    severity: Severity
    source: str
    entity: str | None
    first_seen: datetime | None
    last_seen: datetime | None
    events: list[Event] = field(default_factory=list)
    count: int = 1
    suppressed: str | None = None  # the reason, when a suppression rule matched

    @property
    def key(self) -> str:
        """A stable idempotency key: the same alert from a retried worker has the same key.

        It names the first event by its content and time, not its position: an HTTP client that
        resends a batch it got no answer for numbers the records anew, and the alert it raises
        again must keep its key so that the hub stores it once.
        """
        first = self.events[0]
        when = first.timestamp.isoformat() if first.timestamp else ""
        raw = hashlib.sha256(first.raw.encode()).hexdigest()[:16]
        basis = f"{self.rule_id}|{self.source}|{self.entity}|{first.source}|{raw}|{when}"
        return hashlib.sha256(basis.encode()).hexdigest()[:32]

    def to_json(self) -> dict[str, Any]:
        """The JSON form written by every sink (one line per alert in JSON lines)."""
        data: dict[str, Any] = {
            "rule_id": self.rule_id,
            "rule_title": self.rule_title,
            "severity": str(self.severity),
            "source": self.source,
            "entity": self.entity,
            "count": self.count,
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "key": self.key,
            "events": [e.to_json() for e in self.events],
        }
        if self.suppressed is not None:
            data["suppressed"] = self.suppressed
        return data


@dataclass(slots=True)
class AlertGrouper:
    """Turns detections into alerts; :meth:`add` returns an alert when a new one opens."""

    window: timedelta = timedelta(minutes=5)
    max_events: int = 20
    _open: dict[tuple[str, str, str | None], Alert] = field(default_factory=dict)
    alerts: list[Alert] = field(default_factory=list)

    def add(self, detection: Detection) -> Alert | None:
        """Group one detection; the new alert if it opened one, else ``None`` (merged)."""
        entity = detection.entity or entity_of(detection.events[-1])
        key = (detection.rule_id, detection.source, entity)
        when = detection.timestamp
        current = self._open.get(key)
        if current is not None and self._within(current, when):
            current.count += 1
            room = self.max_events - len(current.events)
            current.events.extend(detection.events[:room] if room > 0 else ())
            if when is not None and (current.last_seen is None or when > current.last_seen):
                current.last_seen = when
            return None
        alert = Alert(
            rule_id=detection.rule_id,
            rule_title=detection.rule_title,
            severity=detection.severity,
            source=detection.source,
            entity=entity,
            first_seen=detection.events[0].timestamp or when,
            last_seen=when,
            events=list(detection.events[: self.max_events]),
        )
        self._open[key] = alert
        self.alerts.append(alert)
        return alert

    def _within(self, alert: Alert, when: datetime | None) -> bool:
        if not self.window:
            return False
        if when is None or alert.first_seen is None:
            return True  # no clock to split on: one alert per key
        return abs(when - alert.first_seen) <= self.window
