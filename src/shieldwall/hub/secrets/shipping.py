"""Receiving embedded-store audit logs: each entry once, in order, with its hash chain checked.

A log is identified by the hash of its first entry (``source``). The hub keeps a checkpoint per
source (the last accepted entry's sequence number and hash). A batch may repeat entries the hub
already holds (a client that crashed after sending): those are skipped, so shipping is
idempotent. A new entry must continue the chain exactly (``seq`` is the next number, ``prev`` is
the checkpoint's hash, ``hash`` is right), so nothing can be lost, inserted or edited on the way.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import EventSpec, record_many
from shieldwall.hub.db.models import SecretAuditSource
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.errors import ConflictError, InvalidRequestError
from shieldwall.hub.secrets.schemas import AuditEntryIn
from shieldwall.hub.secrets.service import lock_audit
from shieldwall.secretstore.audit import GENESIS, chain_hash


def checkpoint(session: Session, source: str) -> SecretAuditSource | None:
    """The checkpoint of ``source``, if the hub has seen it."""
    return session.scalar(select(SecretAuditSource).where(SecretAuditSource.source == source))


def _locked_source(session: Session, source: str, label: str) -> SecretAuditSource:
    query = select(SecretAuditSource).where(SecretAuditSource.source == source).with_for_update()
    row = session.scalar(query)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = SecretAuditSource(source=source, label=label, last_seq=0, last_hash=GENESIS)
            session.add(row)
    except IntegrityError:
        row = session.scalar(query)  # created concurrently: take theirs, locked
        if row is None:
            raise ConflictError("concurrent shipping of the same log, retry") from None
    return row


def ingest(
    session: Session, source: str, label: str, entries: Sequence[AuditEntryIn], actor: str
) -> tuple[SecretAuditSource, int]:
    """Append the new entries of ``source`` to the hub's audit log; returns the checkpoint."""
    lock_audit(session)  # first: serialises shippers on SQLite too, before the checkpoint read
    row = _locked_source(session, source, label)
    specs: list[EventSpec] = []
    last_seq, last_hash = row.last_seq, row.last_hash
    for entry in sorted(entries, key=lambda e: e.seq):
        if entry.seq <= last_seq:
            continue  # already held: a retried batch
        if entry.seq != last_seq + 1 or entry.prev != last_hash:
            raise ConflictError(
                f"entry {entry.seq} does not continue the log at {last_seq}: "
                "ship from the checkpoint, or the log was altered"
            )
        body = entry.model_dump(exclude={"hash"})
        if not hmac.compare_digest(chain_hash(entry.prev, body), entry.hash):
            raise InvalidRequestError(f"entry {entry.seq} does not match its hash (edited)")
        if entry.seq == 1 and entry.hash != source:
            raise InvalidRequestError("the source must be the hash of the log's first entry")
        specs.append(
            EventSpec(
                actor=entry.identity,
                action=f"secret.{entry.operation}",
                object_type="secret",
                object_id=f"{entry.backend}:{entry.path}",
                details={
                    "via": "shipped",
                    "shipped_by": actor,
                    "source": source,
                    "seq": entry.seq,
                    "time": entry.time,
                    "version": entry.version,
                    "client": entry.client,
                    "outcome": entry.outcome,
                    "value_hmac": entry.value_hmac,
                    "hash": entry.hash,
                },
            )
        )
        last_seq, last_hash = entry.seq, entry.hash
    record_many(session, specs)
    row.last_seq, row.last_hash, row.updated_at = last_seq, last_hash, utcnow()
    if label:
        row.label = label
    return row, len(specs)
