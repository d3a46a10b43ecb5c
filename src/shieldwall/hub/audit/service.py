"""Append to and verify the hash-chained audit log.

Each event's hash covers its predecessor's hash and its own fields, so editing, deleting or
reordering any event (or truncating the tail, caught by the head row) breaks verification.
Writers lock the head row, so concurrent transactions append one after the other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import AuditEvent, AuditHead
from shieldwall.hub.db.types import utcnow

GENESIS = "0" * 64
_HEAD_ID = 1


@dataclass(frozen=True, slots=True)
class EventSpec:
    """An event to append."""

    actor: str
    action: str
    object_type: str
    object_id: str
    project_id: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """Outcome of a chain verification."""

    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def event_hash(prev_hash: str, at: datetime, spec: EventSpec) -> str:
    """The hash of one event given its predecessor's hash."""
    payload = json.dumps(
        [
            prev_hash,
            at.isoformat(),
            spec.actor,
            spec.action,
            spec.project_id,
            spec.object_type,
            spec.object_id,
            dict(spec.details),
        ],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(session: Session, spec: EventSpec) -> None:
    """Append one event in the session's transaction."""
    record_many(session, [spec])


def lock_head(session: Session) -> None:
    """Take the chain's head for this transaction before reading it.

    ``SELECT ... FOR UPDATE`` locks the row on PostgreSQL but SQLite ignores it: two concurrent
    transactions would chain their events to the same predecessor, a fork ``verify`` reports. A
    no-op UPDATE takes the row lock on PostgreSQL and the database write lock on SQLite first, so
    the head read after it is the latest.
    """
    session.execute(
        update(AuditHead).where(AuditHead.id == _HEAD_ID).values(last_hash=AuditHead.last_hash),
        execution_options={"synchronize_session": False},
    )


def record_many(session: Session, specs: Iterable[EventSpec]) -> int:
    """Append events in order in the session's transaction; returns how many."""
    specs = list(specs)
    if not specs:
        return 0
    lock_head(session)
    head = session.execute(
        select(AuditHead).where(AuditHead.id == _HEAD_ID).with_for_update()
    ).scalar_one()
    prev = head.last_hash
    at = utcnow()
    rows = []
    for spec in specs:
        digest = event_hash(prev, at, spec)
        rows.append(
            {
                "at": at,
                "actor": spec.actor,
                "action": spec.action,
                "project_id": spec.project_id,
                "object_type": spec.object_type,
                "object_id": spec.object_id,
                "details": json.loads(json.dumps(dict(spec.details), default=str)),
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    for start in range(0, len(rows), 2000):
        session.execute(insert(AuditEvent), rows[start : start + 2000])
    session.execute(update(AuditHead).where(AuditHead.id == _HEAD_ID).values(last_hash=prev))
    return len(rows)


def verify(session: Session, batch: int = 5000) -> VerifyResult:
    """Walk the chain from the start and check every link and the head."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not events:
            break
        for event in events:
            spec = EventSpec(
                actor=event.actor,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                project_id=event.project_id,
                details=event.details,
            )
            if event.prev_hash != prev:
                return VerifyResult(False, checked, event.id, "link to the previous event broken")
            if event_hash(prev, event.at, spec) != event.hash:
                return VerifyResult(False, checked, event.id, "event content does not match hash")
            prev = event.hash
            checked += 1
            last_id = event.id
    head = session.get(AuditHead, _HEAD_ID)
    if head is None or head.last_hash != prev:
        return VerifyResult(False, checked, None, "chain head does not match the last event")
    return VerifyResult(True, checked)
