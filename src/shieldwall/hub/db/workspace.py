"""What a team configures in the web app (issue 8): notification channels and rules, user
profiles for @mentions, issue trackers and the issues exported to them, repository links, and
hub-wide options such as the SLA policy.

Secrets (webhook signing keys, chat URLs, SMTP passwords, tracker tokens) are stored encrypted
(``secret`` columns, see :mod:`shieldwall.hub.integrations.crypto`) and never shown back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shieldwall.hub.db.base import Base
from shieldwall.hub.db.triage import AuditEvent
from shieldwall.hub.db.types import utcnow

# The scan page reads a scan's fixed and regressed findings from the audit log, starting at the
# scan's import time within its project: without this index that is a scan of the whole log.
AUDIT_BY_PROJECT_TIME = Index("ix_audit_events_project_id_at", AuditEvent.project_id, AuditEvent.at)


class HubOption(Base):
    """A hub-wide setting edited in the web app (``sla`` → the SLA policy as JSON)."""

    __tablename__ = "hub_options"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(150), default="")


class NotificationChannel(Base):
    """Where notifications go: a signed webhook, a Slack or Teams webhook, or e-mail."""

    __tablename__ = "notification_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    # Public part: the receiver's address for webhooks, SMTP host/port/sender/recipients.
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Encrypted: the full chat URL (its path is the credential), signing key, SMTP password.
    secret: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(150), default="")


class NotificationRuleRow(Base):
    """Send an event (for one project, the projects of one team, or all) at or above a severity
    to a channel."""

    __tablename__ = "notification_rules"
    __table_args__ = (Index(None, "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("notification_channels.id", ondelete="CASCADE")
    )
    event: Mapped[str] = mapped_column(String(30))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    min_severity: Mapped[str] = mapped_column(String(10), default="info")
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationMark(Base):
    """A finding already notified for a clock event (SLA breach, expiring acceptance) by a
    rule: the periodic job runs every hour and must not repeat itself."""

    __tablename__ = "notification_marks"

    rule_id: Mapped[int] = mapped_column(
        ForeignKey("notification_rules.id", ondelete="CASCADE"), primary_key=True
    )
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    event: Mapped[str] = mapped_column(String(30), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class UserProfile(Base):
    """How to reach a user when someone @mentions them: an e-mail address and/or a channel."""

    __tablename__ = "user_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(320), default="")
    channel_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_channels.id", ondelete="SET NULL")
    )


class ProjectRepository(Base):
    """The project's repository in its forge, for links to files and commits."""

    __tablename__ = "project_repositories"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    forge: Mapped[str] = mapped_column(String(20))
    web_url: Mapped[str] = mapped_column(String(500))
    default_branch: Mapped[str] = mapped_column(String(255), default="main")


class IssueTracker(Base):
    """A GitHub repository, GitLab project or Jira project that findings are exported to."""

    __tablename__ = "issue_trackers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    base_url: Mapped[str] = mapped_column(String(500))
    # owner/repo (GitHub), numeric id or full path (GitLab), project key (Jira).
    remote_project: Mapped[str] = mapped_column(String(255))
    # Jira Cloud: the account e-mail for basic auth; empty means a bearer token.
    username: Mapped[str] = mapped_column(String(320), default="")
    secret: Mapped[str] = mapped_column(Text, default="")
    # Jira only: the issue type to create.
    issue_type: Mapped[str] = mapped_column(String(50), default="Bug")
    # Restrict to one hub project; None means any project.
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    close_on_fix: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssueLink(Base):
    """A ticket created for a finding; its state is kept in sync with the tracker."""

    __tablename__ = "issue_links"
    __table_args__ = (UniqueConstraint("finding_id", "tracker_id"), Index(None, "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"))
    tracker_id: Mapped[int] = mapped_column(ForeignKey("issue_trackers.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(1000))
    state: Mapped[str] = mapped_column(String(20), default="open")
    close_on_fix: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(150), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    synced_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
