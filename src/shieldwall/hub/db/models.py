"""Every hub model, re-exported from one place for Alembic and the services."""

from __future__ import annotations

from shieldwall.hub.db.base import Base
from shieldwall.hub.db.identity import (
    ApiToken,
    LoginAttempt,
    ProjectMember,
    Team,
    TeamMember,
    User,
    WebSession,
)
from shieldwall.hub.db.notify import NotificationDelivery
from shieldwall.hub.db.tracking import (
    Branch,
    Finding,
    FindingSource,
    ImportJob,
    Occurrence,
    Project,
    Scan,
)
from shieldwall.hub.db.triage import AuditEvent, AuditHead, Comment, MetricSnapshot, RiskAcceptance

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Branch",
    "Comment",
    "Finding",
    "FindingSource",
    "ImportJob",
    "LoginAttempt",
    "MetricSnapshot",
    "NotificationDelivery",
    "Occurrence",
    "Project",
    "ProjectMember",
    "RiskAcceptance",
    "Scan",
    "Team",
    "TeamMember",
    "User",
    "WebSession",
]
