"""Every hub model, re-exported from one place for Alembic and the services."""

from __future__ import annotations

from shieldwall.hub.db.alerts import MonitorAlert, MonitorAlertFinding
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
from shieldwall.hub.db.scale import BranchSource, FindingCount, FindingDaily, ImportChunk
from shieldwall.hub.db.secrets import (
    KvAuthRole,
    KvDbRole,
    KvLease,
    KvPolicy,
    KvSecret,
    KvTokenPolicy,
    KvVersion,
    SecretAuditSource,
)
from shieldwall.hub.db.threatmodels import ThreatModelRecord, ThreatModelVersion, ThreatRecord
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
from shieldwall.hub.db.workspace import (
    HubOption,
    IssueLink,
    IssueTracker,
    NotificationChannel,
    NotificationMark,
    NotificationRuleRow,
    ProjectRepository,
    UserProfile,
)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Branch",
    "BranchSource",
    "Comment",
    "Finding",
    "FindingCount",
    "FindingDaily",
    "FindingSource",
    "HubOption",
    "ImportChunk",
    "ImportJob",
    "IssueLink",
    "IssueTracker",
    "KvAuthRole",
    "KvDbRole",
    "KvLease",
    "KvPolicy",
    "KvSecret",
    "KvTokenPolicy",
    "KvVersion",
    "LoginAttempt",
    "MetricSnapshot",
    "MonitorAlert",
    "MonitorAlertFinding",
    "NotificationChannel",
    "NotificationDelivery",
    "NotificationMark",
    "NotificationRuleRow",
    "Occurrence",
    "Project",
    "ProjectMember",
    "ProjectRepository",
    "RiskAcceptance",
    "Scan",
    "SecretAuditSource",
    "Team",
    "TeamMember",
    "ThreatModelRecord",
    "ThreatModelVersion",
    "ThreatRecord",
    "User",
    "UserProfile",
    "WebSession",
]
