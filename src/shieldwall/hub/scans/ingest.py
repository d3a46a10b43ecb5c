"""Import one report into a project: deduplicate, upsert, record occurrences, close what is gone.

The whole import runs in the caller's transaction, so a failure (a malformed document, a database
that goes away) leaves nothing behind; the same document uploaded again to the same branch is
recognised by its hash and changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Exists, Subquery, Table, literal, select, update
from sqlalchemy.orm import Session

from shieldwall.core.severity import Severity
from shieldwall.hub.audit.service import EventSpec, record_many
from shieldwall.hub.db.dialect import upsert_insert
from shieldwall.hub.db.models import Branch, Finding, FindingSource, Occurrence, Scan
from shieldwall.hub.db.types import UTCDateTime, utcnow
from shieldwall.hub.enums import ACTIVE_STATUSES, FindingStatus
from shieldwall.hub.importers import ImportedReport, parse_document
from shieldwall.hub.metrics import counters
from shieldwall.hub.scans import branches, stage
from shieldwall.hub.scans.gcpause import collector_paused
from shieldwall.hub.scans.lifecycle import close_missing, snapshot_open_counts
from shieldwall.hub.scans.rows import FindingRow, row_values, to_row
from shieldwall.hub.settings import SlaPolicy
from shieldwall.hub.sla import due_date

_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What an import did."""

    scan_id: int
    format: str
    scanner: str
    duplicate: bool
    total: int
    new: int
    reopened: int
    fixed: int


@dataclass(frozen=True, slots=True)
class _Context:
    project_id: int
    scan: Scan
    now: datetime
    actor: str
    policy: SlaPolicy
    due: dict[str, datetime | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # One due date per severity: every finding of an import starts now.
        self.due.update({s.value: due_date(self.now, s, self.policy) for s in Severity})


def content_hash(data: bytes | IO[bytes]) -> str:
    """The identity of an uploaded document (a file is hashed in bounded reads)."""
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    data.seek(0)
    digest = hashlib.sha256()
    while piece := data.read(1024 * 1024):
        digest.update(piece)
    return digest.hexdigest()


def ensure_branch(session: Session, project_id: int, name: str) -> int:
    """The branch's id, created if needed (safe under concurrent uploads)."""
    stmt = upsert_insert(session, Branch).values(project_id=project_id, name=name)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["project_id", "name"]))
    return session.scalars(
        select(Branch.id).where(Branch.project_id == project_id, Branch.name == name)
    ).one()


def ingest(
    session: Session,
    *,
    project_id: int,
    branch: str,
    data: bytes | IO[bytes],
    fmt: str | None,
    commit: str | None,
    complete: bool,
    actor: str,
    policy: SlaPolicy,
    now: datetime | None = None,
) -> IngestOutcome:
    """Import a document; an identical earlier upload to the branch is returned unchanged."""
    now = now or utcnow()
    digest = content_hash(data)
    branch_id = ensure_branch(session, project_id, branch)
    existing = session.scalars(
        select(Scan).where(
            Scan.project_id == project_id, Scan.branch_id == branch_id, Scan.content_hash == digest
        )
    ).first()
    if existing is not None:
        return _outcome(existing, duplicate=True)
    with collector_paused():
        fmt_name, report = parse_document(data, fmt)
        scan = Scan(
            project_id=project_id,
            branch_id=branch_id,
            scanner=report.tool[:100],
            format=fmt_name,
            commit=commit,
            content_hash=digest,
            complete=complete,
            imported_at=now,
            imported_by=actor,
        )
        session.add(scan)
        session.flush()
        ctx = _Context(project_id, scan, now, actor, policy)
        apply_report(session, ctx, report)
        return _outcome(scan, duplicate=False)


def apply_report(session: Session, ctx: _Context, report: ImportedReport) -> None:
    """Upsert the report's findings into the scan's project and update the lifecycle."""
    rows, extra_sources = _dedupe(to_row(f) for f in report.findings)
    stage_table, sources_table = stage.create(session)
    # Every key goes into the sources table (one primary row per key); the findings the project
    # already holds are looked up from it, and only the new ones have their columns built and
    # staged: a re-import of known findings writes no finding column but last_seen.
    stage.load(session, sources_table, _source_values(rows, extra_sources))
    keys = _primary(sources_table)
    existing = {
        str(fp): (int(fid), str(status))
        for fid, fp, status in session.execute(
            select(Finding.id, Finding.fingerprint, Finding.status)
            .join(keys, keys.c.key == Finding.fingerprint)
            .where(Finding.project_id == ctx.project_id)
        )
    }
    staged = {k: _stage_values(ctx, k, r) for k, r in rows.items() if k not in existing}
    stage.load(session, stage_table, list(staged.values()))
    created = _insert_new(session, ctx, stage_table, staged, existing)
    _touch_existing(session, ctx, keys)
    events = _transitions(session, ctx, rows, existing)
    reopened = sum(1 for e in events if e.action == "finding.reopened")
    on_branch = branches.record_branch(session, ctx.project_id, ctx.scan, sources_table, ctx.now)
    _record_sources(session, ctx.project_id, sources_table)
    _record_occurrences(session, ctx.scan, keys)
    fixed = (
        close_missing(session, ctx.scan, report.covered, ctx.now, ctx.actor, sources_table)
        if ctx.scan.complete
        else []
    )
    stage.drop(session)
    ctx.scan.total, ctx.scan.new, ctx.scan.reopened, ctx.scan.fixed = (
        len(rows),
        on_branch.new,
        len(on_branch.returned),
        len(fixed),
    )
    events.extend(branches.branch_events(ctx.scan, ctx.actor, on_branch.returned, events))
    events.append(
        EventSpec(
            actor=ctx.actor,
            action="scan.imported",
            object_type="scan",
            object_id=str(ctx.scan.id),
            project_id=ctx.project_id,
            details={
                "format": ctx.scan.format,
                "scanner": ctx.scan.scanner,
                "branch_id": ctx.scan.branch_id,
                "total": len(rows),
                "new": ctx.scan.new,
                "new_in_project": created,
                "reopened": ctx.scan.reopened,
                "reopened_in_project": reopened,
                "fixed": len(fixed),
            },
        )
    )
    record_many(session, events)
    snapshot_open_counts(session, ctx.project_id, ctx.now)


def _primary(sources_table: Table) -> Subquery:
    """Every key of the report once (its primary source row)."""
    return (
        select(sources_table.c.key).where(sources_table.c.primary.is_(True)).subquery("report_keys")
    )


def _dedupe(
    rows: Iterable[FindingRow],
) -> tuple[dict[str, FindingRow], list[tuple[str, FindingRow]]]:
    """One row per key; rows of the same key from other scanners become extra sources."""
    unique: dict[str, FindingRow] = {}
    extra: list[tuple[str, FindingRow]] = []
    for row in rows:
        first = unique.setdefault(row.key, row)
        if first is not row and row.scanner != first.scanner:
            extra.append((row.key, row))
    return unique, extra


def _stage_values(ctx: _Context, key: str, row: FindingRow) -> dict[str, Any]:
    status = row.suppressed_status or FindingStatus.OPEN
    columns = row_values(row.finding)
    values = {name: columns[name] for name in stage.VALUE_COLUMNS}
    values["scanner"] = str(values["scanner"])[:100]
    values["rule_id"] = str(values["rule_id"])[:255]
    return {
        "key": key,
        **values,
        "status": status.value,
        "sla_due": ctx.due[row.severity] if status.value in ACTIVE_STATUSES else None,
        "suppressed": row.suppressed_status.value if row.suppressed_status else None,
    }


def _source_values(
    rows: dict[str, FindingRow], extra: list[tuple[str, FindingRow]]
) -> list[dict[str, Any]]:
    wanted: dict[tuple[str, str], dict[str, Any]] = {}
    for primary, (key, row) in [(True, kv) for kv in rows.items()] + [(False, kv) for kv in extra]:
        scanner = row.scanner[:100]
        wanted.setdefault(
            (key, scanner),
            {
                "key": key,
                "scanner": scanner,
                "rule_id": row.rule_id[:255],
                "native_fingerprint": row.native_fingerprint[:64],
                "primary": primary,
            },
        )
    return list(wanted.values())


def _insert_new(
    session: Session,
    ctx: _Context,
    stage_table: Table,
    rows: dict[str, dict[str, Any]],
    existing: dict[str, tuple[int, str]],
) -> int:
    """Insert what is new in one statement; the unique constraint settles concurrent uploads.

    A key another transaction inserted first is not returned and is treated as existing.
    """
    if not rows:
        return 0
    known = select(Finding.id).where(
        Finding.project_id == ctx.project_id, Finding.fingerprint == stage_table.c.key
    )
    now = literal(ctx.now, UTCDateTime())
    columns = ["project_id", "fingerprint", *stage.VALUE_COLUMNS, "status", "regression"]
    columns += ["first_seen", "last_seen", "sla_due", "last_scan_id"]
    source = select(
        literal(ctx.project_id),
        stage_table.c.key,
        *(stage_table.c[name] for name in stage.VALUE_COLUMNS),
        stage_table.c.status,
        literal(False),
        now,
        now,
        stage_table.c.sla_due,
        literal(ctx.scan.id),
    ).where(~known.exists())
    stmt = (
        upsert_insert(session, Finding)
        .from_select(columns, source)
        .on_conflict_do_nothing(index_elements=["project_id", "fingerprint"])
        .returning(Finding.fingerprint)
    )
    inserted = {str(fp) for fp in session.scalars(stmt)}
    counters.add_new(session, (_counted(ctx, rows[k]) for k in inserted))
    lost = [k for k in rows if k not in existing and k not in inserted]
    for start in range(0, len(lost), _CHUNK):
        # Inserted by a concurrent upload between our lookup and our insert.
        for fid, fp, status in session.execute(
            select(Finding.id, Finding.fingerprint, Finding.status).where(
                Finding.project_id == ctx.project_id,
                Finding.fingerprint.in_(lost[start : start + _CHUNK]),
            )
        ):
            existing[str(fp)] = (int(fid), str(status))
    return len(inserted)


def _counted(ctx: _Context, values: dict[str, Any]) -> counters.CountedRow:
    return counters.CountedRow(
        project_id=ctx.project_id,
        status=values["status"],
        severity=values["severity"],
        scanner=values["scanner"],
        rule_id=values["rule_id"],
        title=values["title"],
        sla_due=values["sla_due"],
        fixed_at=None,
        first_seen=ctx.now,
    )


def _touch_existing(session: Session, ctx: _Context, keys: Subquery) -> None:
    """One UPDATE ... FROM: every finding the report holds was seen now, in this scan."""
    session.execute(
        update(Finding)
        .where(
            Finding.project_id == ctx.project_id,
            Finding.fingerprint == keys.c.key,
            Finding.last_scan_id.is_distinct_from(ctx.scan.id),
        )
        .values(last_seen=ctx.now, last_scan_id=ctx.scan.id)
        .execution_options(synchronize_session=False)
    )


def _transitions(
    session: Session,
    ctx: _Context,
    rows: dict[str, FindingRow],
    existing: dict[str, tuple[int, str]],
) -> list[EventSpec]:
    """Reopen returning findings (regressions) and apply new suppressions to active ones."""
    events: list[EventSpec] = []
    params: list[dict[str, object]] = []
    for key, (fid, status) in existing.items():
        row = rows[key]
        if status == FindingStatus.FIXED.value:
            new_status = row.suppressed_status or FindingStatus.OPEN
            params.append(
                {
                    "id": fid,
                    "status": new_status.value,
                    "regression": True,
                    "fixed_at": None,
                    "sla_due": ctx.due[row.severity],
                }
            )
            events.append(_event(ctx, fid, "finding.reopened", status, new_status, "regression"))
        elif row.suppressed_status is not None and status in ACTIVE_STATUSES:
            params.append({"id": fid, "status": row.suppressed_status.value})
            events.append(
                _event(
                    ctx,
                    fid,
                    "finding.status_changed",
                    status,
                    row.suppressed_status,
                    row.suppression_reason or "suppressed in the imported report",
                )
            )
    if params:
        ids = [int(str(p["id"])) for p in params]
        counters.adjust(session, ids, -1)
        reopen = [p for p in params if "regression" in p]
        suppress = [p for p in params if "regression" not in p]
        for batch in (reopen, suppress):
            if batch:
                session.execute(update(Finding), batch)
        counters.adjust(session, ids, 1)
    return events


def _event(
    ctx: _Context, fid: int, action: str, old: str, new: FindingStatus, reason: str
) -> EventSpec:
    return EventSpec(
        actor=ctx.actor,
        action=action,
        object_type="finding",
        object_id=str(fid),
        project_id=ctx.project_id,
        details={"from": old, "to": new.value, "reason": reason, "scan": ctx.scan.id},
    )


def _record_sources(session: Session, project_id: int, sources_table: Table) -> None:
    """Record (finding, scanner) sources in one upsert; only absent ones are written."""
    source = (
        select(
            Finding.id,
            sources_table.c.scanner,
            sources_table.c.rule_id,
            sources_table.c.native_fingerprint,
            literal(True),
        )
        .join(Finding, Finding.fingerprint == sources_table.c.key)
        .where(Finding.project_id == project_id, ~_present_source(sources_table))
    )
    stmt = upsert_insert(session, FindingSource).from_select(
        ["finding_id", "scanner", "rule_id", "native_fingerprint", "present"], source
    )
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["finding_id", "scanner"],
            set_={"present": True},
            where=FindingSource.present.is_(False),
        )
    )


def _present_source(sources_table: Table) -> Exists:
    # A source already present needs nothing: skipping it here rather than in the conflict
    # clause spares the row lock ON CONFLICT takes on every conflicting row (a re-import's
    # sources all exist: 50,000 locked rows for no change).
    return (
        select(literal(1))
        .where(
            FindingSource.finding_id == Finding.id,
            FindingSource.scanner == sources_table.c.scanner,
            FindingSource.present.is_(True),
        )
        .exists()
    )


def _record_occurrences(session: Session, scan: Scan, keys: Subquery) -> None:
    """One server-side statement: every finding of the staged report occurs in this scan."""
    stmt = upsert_insert(session, Occurrence).from_select(
        ["finding_id", "scan_id"],
        select(Finding.id, literal(scan.id))
        .join(keys, keys.c.key == Finding.fingerprint)
        .where(Finding.project_id == scan.project_id),
    )
    session.execute(stmt.on_conflict_do_nothing())


def _outcome(scan: Scan, *, duplicate: bool) -> IngestOutcome:
    return IngestOutcome(
        scan_id=scan.id,
        format=scan.format,
        scanner=scan.scanner,
        duplicate=duplicate,
        total=scan.total,
        new=0 if duplicate else scan.new,
        reopened=0 if duplicate else scan.reopened,
        fixed=0 if duplicate else scan.fixed,
    )
