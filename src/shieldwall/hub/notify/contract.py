"""The notifier family's contract: what is sent (``Notification``), where (``Channel``), and the
family's error."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from shieldwall.hub.errors import HubError


class EventKind(StrEnum):
    """What happened, as a notification rule names it."""

    NEW_FINDINGS = "new_findings"
    REGRESSION = "regression"
    SLA_BREACH = "sla_breach"
    ACCEPTANCE_EXPIRING = "acceptance_expiring"
    FIXED = "fixed"
    MENTION = "mention"
    TEST = "test"


class DeliveryError(HubError):
    """A channel could not deliver; ``retryable`` says whether trying again may help."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class FindingRef:
    """A finding as a notification shows it (titles are scanned content: channels escape them)."""

    id: int
    title: str
    severity: str
    url: str


@dataclass(frozen=True, slots=True)
class Notification:
    """One message about one project."""

    event: EventKind
    project: str
    summary: str
    findings: tuple[FindingRef, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The generic JSON body (webhooks)."""
        return {
            "version": 1,
            "event": self.event.value,
            "project": self.project,
            "summary": self.summary,
            "findings": [
                {"id": f.id, "title": f.title, "severity": f.severity, "url": f.url}
                for f in self.findings
            ],
            **({"extra": self.extra} if self.extra else {}),
        }


class Channel(Protocol):
    """Something that delivers a notification: one module per service it talks to."""

    @property
    def kind(self) -> str:
        """The channel type, for the delivery log (``webhook``, ``slack``, ``teams``, ``email``)."""
        ...

    @property
    def target(self) -> str:
        """Where it delivers, safe to log (no secrets, no URL paths that carry tokens)."""
        ...

    def send(self, notification: Notification) -> None:
        """Deliver or raise :class:`DeliveryError`."""
        ...
