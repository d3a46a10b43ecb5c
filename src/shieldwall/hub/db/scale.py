"""What keeps the hub exact and fast at a million findings (issue 7, migration 0004).

- ``BranchSource``: a finding as reported on one branch by one scanner. Fixed, new and regressed
  are per branch: a finding fixed on a feature branch is still open on ``main``.
- ``FindingCount`` and ``FindingDaily``: counters maintained in the transaction that changes a
  finding (import, triage, expiry), so the dashboard and metrics read a few hundred rows instead
  of scanning every finding. ``metrics.counters.rebuild`` recomputes them from scratch.
- ``ImportChunk``: an upload stored in bounded pieces, so no process holds a whole report.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shieldwall.hub.db.base import Base


class BranchSource(Base):
    """A finding reported on a branch by a scanner, and whether the last complete scan did."""

    __tablename__ = "branch_sources"
    __table_args__ = (
        # Closing a branch walks its present rows of the covered scanners.
        Index(None, "branch_id", "present", "scanner"),
    )

    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    branch_id: Mapped[int] = mapped_column(
        ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True
    )
    scanner: Mapped[str] = mapped_column(String(100), primary_key=True)
    present: Mapped[bool] = mapped_column(default=True)
    first_seen: Mapped[datetime]
    fixed_at: Mapped[datetime | None]
    # Reported again on this branch after a complete scan of it had stopped reporting it.
    regression: Mapped[bool] = mapped_column(default=False)


class FindingCount(Base):
    """How many findings of a project have this status, severity, scanner and rule."""

    __tablename__ = "finding_counts"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    severity: Mapped[str] = mapped_column(String(10), primary_key=True)
    scanner: Mapped[str] = mapped_column(String(100), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    count: Mapped[int] = mapped_column(Integer, default=0)


class FindingDaily(Base):
    """Per project and UTC day: active findings due, findings fixed (late, days to fix), new."""

    __tablename__ = "finding_daily"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    due_open: Mapped[int] = mapped_column(default=0)
    fixed: Mapped[int] = mapped_column(default=0)
    fixed_late: Mapped[int] = mapped_column(default=0)
    fix_days: Mapped[float] = mapped_column(Float, default=0.0)
    new: Mapped[int] = mapped_column(default=0)


class ImportChunk(Base):
    """One piece (at most 1 MiB) of an uploaded report, deleted once it is imported."""

    __tablename__ = "import_chunks"

    job_id: Mapped[int] = mapped_column(
        ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
