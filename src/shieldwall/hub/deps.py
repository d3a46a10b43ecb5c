"""FastAPI dependencies: the request's database session and the authenticated caller."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from shieldwall.hub.auth.secrets import token_digest
from shieldwall.hub.auth.service import principal_from_session, principal_from_token
from shieldwall.hub.errors import AuthenticationError, PermissionDeniedError
from shieldwall.hub.permissions import Principal
from shieldwall.hub.state import HubState

SESSION_COOKIE = "sw_session"
CSRF_COOKIE = "sw_csrf"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_state(request: Request) -> HubState:
    """The app's resources."""
    state: HubState = request.app.state.hub
    return state


StateDep = Annotated[HubState, Depends(get_state)]


def get_session(state: StateDep) -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back on error."""
    with state.sessions() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# scope="function" commits before the response is sent, so a failed commit is a 500, not a
# success the client saw for a change that was lost.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_principal(request: Request, session: SessionDep) -> Principal:
    """The caller, from a bearer token or a session cookie (with CSRF check on changes)."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError("use 'Authorization: Bearer <token>'")
        return principal_from_token(session, token.strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise AuthenticationError("authentication required")
    principal, web_session = principal_from_session(session, cookie)
    if request.method not in _SAFE_METHODS:
        presented = request.headers.get(CSRF_HEADER, "")
        if not presented or not hmac.compare_digest(token_digest(presented), web_session.csrf_hash):
            raise PermissionDeniedError("missing or invalid CSRF token")
    return principal


CurrentUser = Annotated[Principal, Depends(get_principal)]
