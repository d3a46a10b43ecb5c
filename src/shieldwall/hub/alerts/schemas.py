"""Request and response bodies of the alert endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.hub.alerts.service import MAX_BATCH, AlertIn


class AlertCreate(BaseModel):
    """One alert as ``shieldwall monitor`` writes it (``Alert.to_json``); unknown keys ignored
    so a newer monitor can talk to an older hub."""

    model_config = ConfigDict(extra="ignore")

    key: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    rule_id: str = Field(min_length=1, max_length=200)
    rule_title: str = Field(max_length=500)
    severity: str = Field(pattern=r"^(critical|high|medium|low|info)$")
    source: str = Field(max_length=1000)
    entity: str | None = Field(default=None, max_length=500)
    count: int = Field(default=1, ge=1)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    events: list[dict[str, Any]] = Field(default_factory=list, max_length=1000)

    def to_domain(self) -> AlertIn:
        """The service's value."""
        return AlertIn(
            key=self.key,
            rule_id=self.rule_id,
            rule_title=self.rule_title,
            severity=self.severity,
            source=self.source,
            entity=self.entity,
            count=self.count,
            first_seen=self.first_seen,
            last_seen=self.last_seen,
            events=self.events,
        )


class AlertBatch(BaseModel):
    """The body the monitor's ``hub`` sink POSTs."""

    model_config = ConfigDict(extra="forbid")

    alerts: list[AlertCreate] = Field(max_length=MAX_BATCH)


class IngestPublic(BaseModel):
    """What a batch did."""

    created: int
    updated: int


class ResolveBody(BaseModel):
    """Why an alert is resolved (optional)."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=2000)


class LinkBody(BaseModel):
    """The finding to link."""

    model_config = ConfigDict(extra="forbid")

    finding_id: int


class AlertPublic(BaseModel):
    """An alert in a list (no events)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    key: str
    rule_id: str
    rule_title: str
    severity: str
    source: str
    entity: str | None
    count: int
    first_seen: datetime | None
    last_seen: datetime | None
    status: str
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    resolution: str
    created_at: datetime


class LinkedFinding(BaseModel):
    """A finding linked to an alert."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    severity: str
    status: str


class AlertDetail(AlertPublic):
    """An alert with its matched events and linked findings."""

    events: list[dict[str, Any]]
    findings: list[LinkedFinding] = []
