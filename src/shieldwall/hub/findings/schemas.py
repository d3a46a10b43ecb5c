"""Response bodies of the finding endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from shieldwall.hub.enums import FindingStatus


class FindingPublic(BaseModel):
    """A finding as listed."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    fingerprint: str
    rule_id: str
    title: str
    scanner: str
    severity: str
    confidence: str
    message: str
    cwe: str | None
    cvss: float | None
    vuln_id: str | None
    aliases: list[str]
    location_kind: str
    path: str
    line: int | None
    package: str | None
    package_version: str | None
    status: FindingStatus
    regression: bool
    first_seen: datetime
    last_seen: datetime
    fixed_at: datetime | None
    sla_due: datetime | None
    assignee_id: int | None


class SourcePublic(BaseModel):
    """A scanner that reports the finding."""

    model_config = ConfigDict(from_attributes=True)

    scanner: str
    rule_id: str
    native_fingerprint: str
    present: bool


class CommentPublic(BaseModel):
    """A comment."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    author_id: int | None
    body: str
    created_at: datetime


class AcceptancePublic(BaseModel):
    """A risk acceptance."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    justification: str
    approver_id: int | None
    expires_at: datetime | None
    created_at: datetime
    revoked_at: datetime | None


class EventPublic(BaseModel):
    """An audit event."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    action: str
    project_id: int | None
    object_type: str
    object_id: str
    details: dict[str, Any]


class FindingDetailPublic(FindingPublic):
    """A finding with everything known about it."""

    project: str
    location: dict[str, Any]
    fix: dict[str, Any] | None
    properties: dict[str, Any]
    sources: list[SourcePublic]
    comments: list[CommentPublic]
    acceptances: list[AcceptancePublic]
    history: list[EventPublic]
    scans: list[int]
