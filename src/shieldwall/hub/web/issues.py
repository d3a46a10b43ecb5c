"""Issue export from the browser: one finding from its page, or the selected ones from the list.
HTTP only; :mod:`shieldwall.hub.integrations.service` does the work."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, Form
from starlette.responses import RedirectResponse

from shieldwall.hub.deps import SessionDep, StateDep
from shieldwall.hub.errors import InvalidRequestError
from shieldwall.hub.integrations.crypto import SecretBox
from shieldwall.hub.integrations.service import MAX_BULK_EXPORT, export_findings
from shieldwall.hub.web.auth import ViewerDep, safe_next

router = APIRouter(include_in_schema=False)


@router.post("/issues/export")
def export_submit(
    session: SessionDep,
    state: StateDep,
    viewer: ViewerDep,
    ids: Annotated[list[int], Form()],
    tracker_id: Annotated[int, Form()],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/findings",
) -> RedirectResponse:
    """Create a ticket per selected finding (already linked ones are skipped)."""
    viewer.check_csrf(csrf_token)
    if not ids or len(ids) > MAX_BULK_EXPORT:
        raise InvalidRequestError(f"select between 1 and {MAX_BULK_EXPORT} findings")
    with httpx.Client() as client:
        export_findings(
            session,
            viewer.principal,
            ids,
            tracker_id,
            SecretBox.from_settings(state.settings),
            client,
            state.settings.public_url,
        )
    return RedirectResponse(safe_next(next), status_code=303)
