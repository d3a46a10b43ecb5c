"""Suppression rules: alerts that match are kept and marked, and not sent to notifying sinks.

The JSON-lines sinks (stdout, file) are the record: they get suppressed alerts too, with
``"suppressed": "<reason>"``; the hub, webhook, Slack, Teams and e-mail sinks do not.

A rule matches an alert when every condition it names holds: ``rule`` (a glob over the rule id),
``fields`` (each field of the alert's first matched event equals one of the values, globs
allowed; ``entity`` names the alert's entity), ``between`` (the time of day, UTC, of the alert's
first event, a window that may wrap midnight) — and it has not expired. An expired rule is
ignored and reported once, so a forgotten exception stops hiding attacks on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from fnmatch import fnmatchcase

from shieldwall.monitor.alerts import Alert
from shieldwall.monitor.config import SuppressionConfig
from shieldwall.monitor.sinks.base import AlertSink
from shieldwall.monitor.sinks.jsonl import JsonLinesSink


@dataclass(frozen=True, slots=True)
class Suppression:
    """One compiled suppression rule."""

    rule: str
    fields: tuple[tuple[str, tuple[str, ...]], ...]
    between: tuple[time, time] | None
    expires: datetime | None
    reason: str

    @classmethod
    def from_config(cls, config: SuppressionConfig) -> Suppression:
        """From its ``monitor.yaml`` entry."""
        fields = tuple(
            (name, (value,) if isinstance(value, str) else tuple(value))
            for name, value in sorted(config.fields.items())
        )
        expires = config.expires
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return cls(config.rule, fields, config.between, expires, config.reason)

    def expired(self, now: datetime) -> bool:
        """Whether the rule no longer applies."""
        return self.expires is not None and now >= self.expires

    def matches(self, alert: Alert, now: datetime) -> bool:
        """Whether the alert is suppressed by this rule at ``now``."""
        if self.expired(now) or not fnmatchcase(alert.rule_id, self.rule):
            return False
        event = alert.events[0] if alert.events else None
        for name, allowed in self.fields:
            value = (
                alert.entity if name == "entity" else (event.fields.get(name) if event else None)
            )
            values = value if isinstance(value, tuple) else (value,)
            if not any(
                v is not None and fnmatchcase(str(v), pattern)
                for v in values
                for pattern in allowed
            ):
                return False
        if self.between is not None:
            moment = (alert.first_seen or now).astimezone(UTC).time()
            start, end = self.between
            inside = start <= moment < end if start <= end else moment >= start or moment < end
            if not inside:
                return False
        return True


class Suppressor:
    """Applies suppression rules to alerts; counts what each rule hid."""

    def __init__(self, rules: Sequence[Suppression]) -> None:
        self.rules = tuple(rules)
        self.hits: dict[str, int] = {}

    @classmethod
    def from_config(cls, configs: Sequence[SuppressionConfig]) -> Suppressor:
        """From ``monitor.yaml``'s ``suppressions``."""
        return cls([Suppression.from_config(c) for c in configs])

    def expired(self, now: datetime | None = None) -> list[Suppression]:
        """Rules past their expiry (to report)."""
        moment = now or datetime.now(UTC)
        return [r for r in self.rules if r.expired(moment)]

    def apply(self, alerts: Sequence[Alert], now: datetime | None = None) -> list[Alert]:
        """Mark suppressed alerts (``alert.suppressed`` = reason); return those left to send."""
        moment = now or datetime.now(UTC)
        kept: list[Alert] = []
        for alert in alerts:
            rule = next((r for r in self.rules if r.matches(alert, moment)), None)
            if rule is None:
                kept.append(alert)
                continue
            alert.suppressed = rule.reason
            self.hits[rule.reason] = self.hits.get(rule.reason, 0) + 1
        return kept


class SuppressingSink:
    """Wraps a sink so suppressed alerts never reach it (for ``monitor worker``)."""

    def __init__(self, inner: AlertSink, suppressor: Suppressor) -> None:
        self.inner = inner
        self.suppressor = suppressor

    def send(self, alerts: Sequence[Alert]) -> None:
        """Forward the alerts no rule suppresses (a JSON-lines sink gets them all, marked)."""
        kept = self.suppressor.apply(alerts)
        self.inner.send(alerts if isinstance(self.inner, JsonLinesSink) else kept)

    def close(self) -> None:
        """Close the wrapped sink."""
        self.inner.close()
