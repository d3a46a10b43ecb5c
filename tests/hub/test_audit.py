"""The audit log is append-only in effect: any edit, deletion or truncation is detected."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.audit.service import EventSpec, record_many, verify
from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import AuditEvent


def seed(sessions: sessionmaker[Session], n: int = 5) -> None:
    with transaction(sessions) as session:
        record_many(
            session,
            (
                EventSpec(
                    actor="alice",
                    action="finding.status_changed",
                    object_type="finding",
                    object_id=str(i),
                    project_id=1,
                    details={"to": "false_positive"},
                )
                for i in range(n)
            ),
        )


def ids(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def check(sessions: sessionmaker[Session]) -> tuple[bool, int | None]:
    with sessions() as session:
        result = verify(session)
    return result.ok, result.first_bad_id


def test_an_untouched_chain_verifies(sessions: sessionmaker[Session]) -> None:
    seed(sessions)
    seed(sessions, 3)
    with sessions() as session:
        result = verify(session)
    assert result.ok and result.checked == 8


def test_an_edited_event_is_detected(sessions: sessionmaker[Session]) -> None:
    seed(sessions)
    with transaction(sessions) as session:
        session.execute(
            update(AuditEvent).where(AuditEvent.id == ids(sessions)[2]).values(actor="mallory")
        )
    assert check(sessions) == (False, ids(sessions)[2])


def test_an_edited_detail_is_detected(sessions: sessionmaker[Session]) -> None:
    seed(sessions)
    second = ids(sessions)[1]
    with transaction(sessions) as session:
        session.execute(
            update(AuditEvent).where(AuditEvent.id == second).values(details={"to": "open"})
        )
    assert check(sessions) == (False, second)


def test_a_deleted_event_is_detected(sessions: sessionmaker[Session]) -> None:
    seed(sessions)
    second, third = ids(sessions)[1:3]
    with transaction(sessions) as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id == second))
    assert check(sessions) == (False, third)


def test_a_truncated_tail_is_detected(sessions: sessionmaker[Session]) -> None:
    seed(sessions)
    with transaction(sessions) as session:
        last = session.scalar(select(func.max(AuditEvent.id)))
        session.execute(delete(AuditEvent).where(AuditEvent.id == last))
    ok, _ = check(sessions)
    assert not ok


def test_concurrent_writers_never_fork_the_chain(sessions: sessionmaker[Session]) -> None:
    """SQLite ignores SELECT ... FOR UPDATE: a write must lock the head before it is read."""
    from concurrent.futures import ThreadPoolExecutor

    def write(worker: int) -> None:
        for _ in range(8):
            seed(sessions, 2)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    assert len(ids(sessions)) == 4 * 8 * 2
    assert check(sessions) == (True, None)
