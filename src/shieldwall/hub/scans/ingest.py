"""Import one report into a project: deduplicate, upsert, record occurrences, close what is gone.

The whole import runs in the caller's transaction, so a failure (a malformed document, a database
that goes away) leaves nothing behind; the same document uploaded again to the same branch is
recognised by its hash and changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import literal, select, update
from sqlalchemy.orm import Session

from shieldwall.core.severity import Severity
from shieldwall.hub.audit.service import EventSpec, record_many
from shieldwall.hub.db.dialect import upsert_insert
from shieldwall.hub.db.models import Branch, Finding, FindingSource, Occurrence, Scan
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import ACTIVE_STATUSES, FindingStatus
from shieldwall.hub.importers import ImportedReport, parse_document
from shieldwall.hub.scans.lifecycle import close_missing, snapshot_open_counts
from shieldwall.hub.scans.rows import FindingRow, to_row
from shieldwall.hub.settings import SlaPolicy
from shieldwall.hub.sla import due_date

# Rows per statement. Large: a fingerprint lookup may be a (hashed) scan of the project's
# findings while the rows this import inserted have no statistics yet, so fewer is cheaper.
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


def content_hash(data: bytes) -> str:
    """The identity of an uploaded document."""
    return hashlib.sha256(data).hexdigest()


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
    data: bytes,
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
    keys = list(rows)
    ids: dict[str, int] = {}
    new = reopened = 0
    events: list[EventSpec] = []
    for start in range(0, len(keys), _CHUNK):
        chunk = {k: rows[k] for k in keys[start : start + _CHUNK]}
        chunk_ids, chunk_new, chunk_events = _upsert_chunk(session, ctx, chunk)
        ids.update(chunk_ids)
        new += chunk_new
        reopened += sum(1 for e in chunk_events if e.action == "finding.reopened")
        events.extend(chunk_events)
    _record_sources(session, ids, rows, extra_sources)
    _record_occurrences(session, ctx.scan)
    fixed = (
        close_missing(session, ctx.scan, report.covered, ctx.now, ctx.actor)
        if ctx.scan.complete
        else []
    )
    ctx.scan.total, ctx.scan.new, ctx.scan.reopened, ctx.scan.fixed = (
        len(rows),
        new,
        reopened,
        len(fixed),
    )
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
                "total": len(rows),
                "new": new,
                "reopened": reopened,
                "fixed": len(fixed),
            },
        )
    )
    record_many(session, events)
    snapshot_open_counts(session, ctx.project_id, ctx.now)


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


def _new_values(ctx: _Context, key: str, row: FindingRow) -> dict[str, object]:
    status = row.suppressed_status or FindingStatus.OPEN
    active = status.value in ACTIVE_STATUSES
    return {
        **row.values,
        "project_id": ctx.project_id,
        "fingerprint": key,
        "status": status.value,
        "regression": False,
        "first_seen": ctx.now,
        "last_seen": ctx.now,
        "sla_due": due_date(ctx.now, Severity(row.values["severity"]), ctx.policy)
        if active
        else None,
        "last_scan_id": ctx.scan.id,
    }


def _upsert_chunk(
    session: Session, ctx: _Context, chunk: dict[str, FindingRow]
) -> tuple[dict[str, int], int, list[EventSpec]]:
    """Insert what is new (the unique constraint settles races) and touch what exists.

    A row this scan inserted carries this scan's id in ``last_scan_id``; a row a concurrent
    upload inserted first does not, and counts as existing.
    """
    keys = list(chunk)
    existing = {
        fp: (fid, status)
        for fid, fp, status in session.execute(
            select(Finding.id, Finding.fingerprint, Finding.status).where(
                Finding.project_id == ctx.project_id, Finding.fingerprint.in_(keys)
            )
        )
    }
    ids = {fp: fid for fp, (fid, _) in existing.items()}
    fresh = [k for k in keys if k not in existing]
    created = 0
    if fresh:
        stmt = upsert_insert(session, Finding).on_conflict_do_nothing(
            index_elements=["project_id", "fingerprint"]
        )
        session.execute(stmt, [_new_values(ctx, k, chunk[k]) for k in fresh])
        for fid, fp, status, last in session.execute(
            select(Finding.id, Finding.fingerprint, Finding.status, Finding.last_scan_id).where(
                Finding.project_id == ctx.project_id, Finding.fingerprint.in_(fresh)
            )
        ):
            ids[fp] = fid
            if last == ctx.scan.id:
                created += 1
            else:
                existing[fp] = (fid, status)
    touched = [fid for fid, _ in existing.values()]
    if touched:
        session.execute(
            update(Finding)
            .where(Finding.id.in_(touched))
            .values(last_seen=ctx.now, last_scan_id=ctx.scan.id)
        )
    events = _transitions(session, ctx, chunk, existing)
    return ids, created, events


def _transitions(
    session: Session,
    ctx: _Context,
    chunk: dict[str, FindingRow],
    existing: dict[str, tuple[int, str]],
) -> list[EventSpec]:
    """Reopen returning findings (regressions) and apply new suppressions to active ones."""
    events: list[EventSpec] = []
    params: list[tuple[int, dict[str, object]]] = []
    for key, (fid, status) in existing.items():
        row = chunk[key]
        if status == FindingStatus.FIXED.value:
            new_status = row.suppressed_status or FindingStatus.OPEN
            severity = Severity(row.values["severity"])
            params.append(
                (
                    fid,
                    {
                        "status": new_status.value,
                        "regression": True,
                        "fixed_at": None,
                        "sla_due": due_date(ctx.now, severity, ctx.policy),
                    },
                )
            )
            events.append(_event(ctx, fid, "finding.reopened", status, new_status, "regression"))
        elif row.suppressed_status is not None and status in ACTIVE_STATUSES:
            params.append((fid, {"status": row.suppressed_status.value}))
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
    for fid, param in params:
        session.execute(update(Finding).where(Finding.id == fid).values(**param))
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


def _record_sources(
    session: Session,
    ids: dict[str, int],
    rows: dict[str, FindingRow],
    extra: list[tuple[str, FindingRow]],
) -> None:
    """Record (finding, scanner) sources; the common re-import case finds them all present."""
    wanted = {
        (ids[key], row.scanner[:100]): row for key, row in [*rows.items(), *extra] if key in ids
    }
    finding_ids = sorted({fid for fid, _ in wanted})
    for start in range(0, len(finding_ids), _CHUNK):
        present = session.execute(
            select(FindingSource.finding_id, FindingSource.scanner).where(
                FindingSource.finding_id.in_(finding_ids[start : start + _CHUNK]),
                FindingSource.present.is_(True),
            )
        )
        for pair in present:
            wanted.pop((pair[0], pair[1]), None)
    values = [
        {
            "finding_id": fid,
            "scanner": scanner,
            "rule_id": row.rule_id,
            "native_fingerprint": row.native_fingerprint,
            "present": True,
        }
        for (fid, scanner), row in wanted.items()
    ]
    stmt = upsert_insert(session, FindingSource)
    stmt = stmt.on_conflict_do_update(
        index_elements=["finding_id", "scanner"], set_={"present": True}
    )
    for start in range(0, len(values), _CHUNK):
        session.execute(stmt, values[start : start + _CHUNK])


def _record_occurrences(session: Session, scan: Scan) -> None:
    """One server-side statement: every finding this scan touched now has it as last scan."""
    stmt = upsert_insert(session, Occurrence).from_select(
        ["finding_id", "scan_id"],
        select(Finding.id, literal(scan.id)).where(
            Finding.project_id == scan.project_id, Finding.last_scan_id == scan.id
        ),
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
