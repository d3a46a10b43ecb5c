"""Counters the dashboard and metrics read, kept exact in the transaction that changes findings.

Every change of a finding's status, SLA due date or fix date goes through :func:`adjust`
(``-1`` before the change, ``+1`` after) or, for new findings, :func:`add_new`; both turn rows
into deltas and add them with an upsert (``count = count + delta``), which concurrent writers
serialise on the counter rows. :func:`rebuild` recomputes everything from the findings in SQL; a
test checks that the maintained counters always equal a rebuild.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.orm import Session

from shieldwall.hub.db.dialect import upsert_insert
from shieldwall.hub.db.models import Finding, FindingCount, FindingDaily
from shieldwall.hub.enums import ACTIVE_STATUSES, FindingStatus

_CHUNK = 5000
_FIXED = FindingStatus.FIXED.value
CountKey = tuple[int, str, str, str, str]


@dataclass(frozen=True, slots=True)
class CountedRow:
    """The columns of a finding that the counters depend on."""

    project_id: int
    status: str
    severity: str
    scanner: str
    rule_id: str
    title: str
    sla_due: datetime | None
    fixed_at: datetime | None
    first_seen: datetime


class Deltas:
    """Changes to add to the counters."""

    def __init__(self) -> None:
        """Nothing to change yet."""
        self.counts: dict[CountKey, int] = defaultdict(int)
        self.titles: dict[CountKey, str] = {}
        self.daily: dict[tuple[int, date], list[float]] = defaultdict(lambda: [0, 0, 0, 0.0, 0])

    def add(self, row: CountedRow, sign: int, *, new: bool = False) -> None:
        """Count (sign 1) or uncount (sign -1) a finding; ``new`` also counts its first day."""
        key = (row.project_id, row.status, row.severity, row.scanner[:100], row.rule_id[:255])
        self.counts[key] += sign
        self.titles[key] = row.title
        if row.status in ACTIVE_STATUSES and row.sla_due is not None:
            self.daily[(row.project_id, _day(row.sla_due))][0] += sign
        if row.status == _FIXED and row.fixed_at is not None:
            cell = self.daily[(row.project_id, _day(row.fixed_at))]
            cell[1] += sign
            if row.sla_due is not None and row.fixed_at > row.sla_due:
                cell[2] += sign
            cell[3] += sign * (row.fixed_at - row.first_seen).total_seconds() / 86400
        if new:
            self.daily[(row.project_id, _day(row.first_seen))][4] += sign

    def apply(self, session: Session) -> None:
        """Add the deltas to the counter rows (in key order, so writers lock in one order)."""
        counts = [
            {
                "project_id": k[0],
                "status": k[1],
                "severity": k[2],
                "scanner": k[3],
                "rule_id": k[4],
                "title": self.titles[k],
                "count": n,
            }
            for k, n in sorted(self.counts.items())
            if n
        ]
        if counts:
            stmt = upsert_insert(session, FindingCount)
            stmt = stmt.on_conflict_do_update(
                index_elements=["project_id", "status", "severity", "scanner", "rule_id"],
                set_={"count": FindingCount.count + stmt.excluded["count"]},
            )
            session.execute(stmt, counts)
        daily = [
            {
                "project_id": k[0],
                "day": k[1],
                "due_open": int(v[0]),
                "fixed": int(v[1]),
                "fixed_late": int(v[2]),
                "fix_days": float(v[3]),
                "new": int(v[4]),
            }
            for k, v in sorted(self.daily.items())
            if any(v)
        ]
        if daily:
            stmt = upsert_insert(session, FindingDaily)
            stmt = stmt.on_conflict_do_update(
                index_elements=["project_id", "day"],
                set_={
                    name: getattr(FindingDaily, name) + stmt.excluded[name]
                    for name in ("due_open", "fixed", "fixed_late", "fix_days", "new")
                },
            )
            session.execute(stmt, daily)


def _day(value: datetime) -> date:
    return value.astimezone(UTC).date() if value.tzinfo else value.date()


_COLUMNS = (
    Finding.project_id,
    Finding.status,
    Finding.severity,
    Finding.scanner,
    Finding.rule_id,
    Finding.title,
    Finding.sla_due,
    Finding.fixed_at,
    Finding.first_seen,
)


def rows_of(session: Session, finding_ids: Sequence[int]) -> list[CountedRow]:
    """The counted columns of these findings, as they are now in this transaction."""
    session.flush()
    rows: list[CountedRow] = []
    ids = sorted(set(finding_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows.extend(
            CountedRow(*r) for r in session.execute(select(*_COLUMNS).where(Finding.id.in_(chunk)))
        )
    return rows


def adjust(session: Session, finding_ids: Sequence[int], sign: int) -> None:
    """Uncount (``-1``, before a change) or count (``+1``, after it) existing findings."""
    if not finding_ids:
        return
    deltas = Deltas()
    for row in rows_of(session, finding_ids):
        deltas.add(row, sign)
    deltas.apply(session)


def add_new(session: Session, rows: Iterable[CountedRow]) -> None:
    """Count findings just inserted."""
    deltas = Deltas()
    for row in rows:
        deltas.add(row, 1, new=True)
    deltas.apply(session)


def _day_sql(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"CAST(({column} AT TIME ZONE 'UTC') AS date)"
    return f"date({column})"


def _days_sql(dialect: str) -> str:
    if dialect == "postgresql":
        return "EXTRACT(EPOCH FROM (fixed_at - first_seen)) / 86400.0"
    return "(julianday(fixed_at) - julianday(first_seen))"


def rebuild(bind: Connection | Session, project_id: int | None = None) -> None:
    """Recompute every counter (of one project, or all) from the findings."""
    engine_bind = bind.get_bind() if isinstance(bind, Session) else bind
    dialect = engine_bind.dialect.name
    scope = "" if project_id is None else "AND project_id = :project"
    params: dict[str, Any] = {} if project_id is None else {"project": project_id}
    for model in (FindingCount, FindingDaily):
        stmt = delete(model)
        if project_id is not None:
            stmt = stmt.where(model.project_id == project_id)
        bind.execute(stmt)
    # The statements are built from constants only; the project id is a bound parameter.
    bind.execute(
        text(
            "INSERT INTO finding_counts (project_id, status, severity, scanner, rule_id, title, "  # noqa: S608
            "count) SELECT project_id, status, severity, scanner, rule_id, MAX(title), COUNT(*) "
            f"FROM findings WHERE 1 = 1 {scope} "
            "GROUP BY project_id, status, severity, scanner, rule_id"
        ),
        params,
    )
    active = ", ".join(f"'{s}'" for s in ACTIVE_STATUSES)
    late = "CASE WHEN sla_due IS NOT NULL AND fixed_at > sla_due THEN 1 ELSE 0 END"
    bind.execute(
        text(
            "INSERT INTO finding_daily (project_id, day, due_open, fixed, fixed_late, fix_days, "  # noqa: S608
            "new) SELECT project_id, day, SUM(due_open), SUM(fixed), SUM(fixed_late), "
            "SUM(fix_days), SUM(new) FROM ("
            f"SELECT project_id, {_day_sql(dialect, 'sla_due')} AS day, 1 AS due_open, "
            "0 AS fixed, 0 AS fixed_late, 0.0 AS fix_days, 0 AS new FROM findings "
            f"WHERE status IN ({active}) AND sla_due IS NOT NULL {scope} "
            f"UNION ALL SELECT project_id, {_day_sql(dialect, 'fixed_at')}, 0, 1, {late}, "
            f"{_days_sql(dialect)}, 0 FROM findings "
            f"WHERE status = '{_FIXED}' AND fixed_at IS NOT NULL {scope} "
            f"UNION ALL SELECT project_id, {_day_sql(dialect, 'first_seen')}, 0, 0, 0, 0.0, 1 "
            f"FROM findings WHERE 1 = 1 {scope}"
            ") AS t GROUP BY project_id, day"
        ),
        params,
    )
