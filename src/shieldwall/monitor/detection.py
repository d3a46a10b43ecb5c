"""What a detector reports: one rule firing on one or more events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shieldwall.core.severity import Severity
from shieldwall.monitor.event import Event


@dataclass(frozen=True, slots=True)
class Detection:
    """A rule that fired, the events that made it fire, and the entity they concern."""

    rule_id: str
    rule_title: str
    severity: Severity
    events: tuple[Event, ...]
    entity: str | None = None

    @property
    def source(self) -> str:
        """The file (or stream) the events came from."""
        return self.events[-1].source

    @property
    def timestamp(self) -> datetime | None:
        """The time of the last event, when the log carries one."""
        return self.events[-1].timestamp


ENTITY_FIELDS = ("source.ip", "user.name", "host.name")


def entity_of(event: Event) -> str | None:
    """The entity an event is about, for grouping alerts: its client, else user, else host."""
    for name in ENTITY_FIELDS:
        value = event.fields.get(name)
        if isinstance(value, str | int) and value != "":
            return f"{name}={value}"
    return None
