"""HTTP endpoints to read and verify the audit log (global admins)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from shieldwall.hub.audit import service
from shieldwall.hub.db.models import AuditEvent
from shieldwall.hub.deps import CurrentUser, SessionDep
from shieldwall.hub.findings.schemas import EventPublic
from shieldwall.hub.pagination import paginate
from shieldwall.hub.permissions import require_global_admin
from shieldwall.hub.schemas import PagePublic

router = APIRouter(tags=["audit"])


class VerifyPublic(BaseModel):
    """The outcome of a chain verification."""

    ok: bool
    checked: int
    first_bad_id: int | None
    reason: str


@router.get("/audit")
def list_events(
    session: SessionDep, me: CurrentUser, page: int = 1, page_size: int = 100
) -> PagePublic[EventPublic]:
    """Audit events, newest first."""
    require_global_admin(me)
    result = paginate(session, select(AuditEvent).order_by(AuditEvent.id.desc()), page, page_size)
    return PagePublic(
        items=[EventPublic.model_validate(e) for e in result.items],
        total=result.total,
        page=result.page,
        page_size=result.page_size,
    )


@router.get("/audit/verify")
def verify(session: SessionDep, me: CurrentUser) -> VerifyPublic:
    """Check the hash chain."""
    require_global_admin(me)
    result = service.verify(session)
    return VerifyPublic(
        ok=result.ok,
        checked=result.checked,
        first_bad_id=result.first_bad_id,
        reason=result.reason,
    )
