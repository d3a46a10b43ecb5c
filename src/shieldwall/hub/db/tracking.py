"""What is tracked: projects, branches, scans, findings, their sources and occurrences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from shieldwall.hub.db.base import Base
from shieldwall.hub.db.types import utcnow


class Project(Base):
    """A repository or service whose findings are tracked together."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Branch(Base):
    """A branch of a project; scans are complete per branch and scanner."""

    __tablename__ = "branches"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255))


class Scan(Base):
    """One imported report: which tool, which commit and branch, and what changed."""

    __tablename__ = "scans"
    # The same document uploaded twice to the same branch is the same scan (idempotent import).
    __table_args__ = (
        UniqueConstraint("project_id", "branch_id", "content_hash"),
        Index(None, "project_id", "branch_id", "scanner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id", ondelete="CASCADE"))
    scanner: Mapped[str] = mapped_column(String(100))
    format: Mapped[str] = mapped_column(String(50))
    commit: Mapped[str | None] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    complete: Mapped[bool] = mapped_column(default=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(150), default="")
    total: Mapped[int] = mapped_column(default=0)
    new: Mapped[int] = mapped_column(default=0)
    reopened: Mapped[int] = mapped_column(default=0)
    fixed: Mapped[int] = mapped_column(default=0)


class Finding(Base):
    """One issue per project and dedupe key, however many scans and scanners report it."""

    __tablename__ = "findings"
    __table_args__ = (
        # The dedupe key is a database constraint; imports upsert against it.
        UniqueConstraint("project_id", "fingerprint"),
        # "Most severe first" pages come straight off this index (migration 0004 added id).
        Index("ix_findings_project_status_rank_id", "project_id", "status", "severity_rank", "id"),
        Index(None, "status", "sla_due"),
        Index(None, "fixed_at"),
        # The findings list is "newest first" within a project (and status): without these a
        # LIMIT walks the primary key backwards over every other project's rows.
        Index("ix_findings_project_status_id", "project_id", "status", "id"),
        Index("ix_findings_project_id_id", "project_id", "id"),
        # The dashboard counts what is new since a day boundary by first_seen (migration
        # 0004). last_seen and last_scan_id stay unindexed: a re-import updates them in place
        # (a HOT update on PostgreSQL, which fillfactor 50 leaves room for) without touching
        # any index.
        Index(None, "first_seen"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(Text)
    scanner: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(10))
    severity_rank: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    cwe: Mapped[str | None] = mapped_column(String(20), index=True)
    cvss: Mapped[float | None] = mapped_column(Float)
    vuln_id: Mapped[str | None] = mapped_column(String(100))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    location_kind: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(Text)
    line: Mapped[int | None]
    package: Mapped[str | None] = mapped_column(String(255))
    package_version: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[dict[str, Any]] = mapped_column(JSON)
    fix: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    properties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20))
    regression: Mapped[bool] = mapped_column(default=False)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    fixed_at: Mapped[datetime | None]
    sla_due: Mapped[datetime | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id", ondelete="SET NULL"))


class FindingSource(Base):
    """A scanner that reported a finding (two scanners, one CVE in one package: two sources)."""

    __tablename__ = "finding_sources"
    __table_args__ = (UniqueConstraint("finding_id", "scanner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"))
    scanner: Mapped[str] = mapped_column(String(100))
    rule_id: Mapped[str] = mapped_column(String(255))
    native_fingerprint: Mapped[str] = mapped_column(String(64))
    # False once a complete scan by this scanner no longer reports the finding; the finding is
    # fixed when no source reports it any more.
    present: Mapped[bool] = mapped_column(default=True)


class Occurrence(Base):
    """A finding seen in a scan."""

    __tablename__ = "occurrences"
    __table_args__ = (Index(None, "scan_id"),)

    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    scan_id: Mapped[int] = mapped_column(
        ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True
    )


class ImportJob(Base):
    """An uploaded report waiting for (or done with) import; the payload is dropped when done."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    branch: Mapped[str] = mapped_column(String(255))
    format: Mapped[str | None] = mapped_column(String(50))
    commit: Mapped[str | None] = mapped_column(String(64))
    complete: Mapped[bool] = mapped_column(default=True)
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id", ondelete="SET NULL"))
    requested_by: Mapped[str] = mapped_column(String(150), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
