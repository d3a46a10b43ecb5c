"""HTTP endpoints for login, logout, identity, users and tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from shieldwall.hub.auth import service
from shieldwall.hub.auth.schemas import (
    LoginPublic,
    LoginRequest,
    MePublic,
    TokenCreate,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from shieldwall.hub.db.models import ApiToken, User
from shieldwall.hub.deps import CSRF_COOKIE, SESSION_COOKIE, CurrentUser, SessionDep, StateDep
from shieldwall.hub.enums import ROLE_PERMISSIONS, SCOPE_PERMISSIONS, Role
from shieldwall.hub.errors import AuthenticationError, NotFoundError, PermissionDeniedError
from shieldwall.hub.permissions import project_role, require_global_admin
from shieldwall.hub.projects.service import project_by_name

router = APIRouter(tags=["auth"])


@router.post("/auth/login")
def login(
    body: LoginRequest, request: Request, response: Response, session: SessionDep, state: StateDep
) -> LoginPublic:
    """Open a browser session: HttpOnly, SameSite=Strict cookie plus a CSRF token."""
    settings = state.settings
    client = request.client.host if request.client else "-"
    try:
        user, issued = service.login(
            session,
            username=body.username,
            password=body.password,
            client=client,
            max_failures=settings.login_max_failures,
            window_seconds=settings.login_window_seconds,
            session_hours=settings.session_hours,
        )
    except AuthenticationError:
        session.commit()  # keep the failed attempt and its audit event for the rate limit
        raise
    max_age = settings.session_hours * 3600
    response.set_cookie(
        SESSION_COOKIE,
        issued.token,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
    )
    # Readable by the page's script (double submit); the server checks it against its hash.
    response.set_cookie(
        CSRF_COOKIE,
        issued.csrf,
        max_age=max_age,
        httponly=False,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
    )
    return LoginPublic(username=user.username, csrf_token=issued.csrf)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, response: Response, session: SessionDep, me: CurrentUser) -> None:
    """End the browser session."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        _, web_session = service.principal_from_session(session, cookie)
        service.logout(session, web_session, me.username)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.get("/auth/me")
def me(me: CurrentUser) -> MePublic:
    """The caller."""
    return MePublic(
        id=me.user_id,
        username=me.username,
        global_role=me.global_role,
        via=me.via,
        scope=me.scope,
    )


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, session: SessionDep, me: CurrentUser) -> UserPublic:
    """Create a user (global admins only)."""
    require_global_admin(me)
    user = service.create_user(session, body.username, body.password, body.role, me.username)
    return UserPublic.model_validate(user)


@router.post("/tokens", status_code=status.HTTP_201_CREATED)
def create_token(body: TokenCreate, session: SessionDep, me: CurrentUser) -> TokenPublic:
    """Issue a token for the caller; its scope cannot exceed the caller's role."""
    if me.via == "token" and me.scope is not None and me.scope.value != "admin":
        raise PermissionDeniedError("tokens are created from a session or an admin token")
    user = session.get(User, me.user_id)
    if user is None:
        raise AuthenticationError("invalid user")
    if body.project is not None:
        project = project_by_name(session, me, body.project)
        role = project_role(session, me, project.id)
    else:
        role = me.global_role
    if role is None or not SCOPE_PERMISSIONS[body.scope] <= ROLE_PERMISSIONS[role]:
        raise PermissionDeniedError("the scope exceeds your role")
    issued = service.create_token(
        session,
        user=user,
        name=body.name,
        scope=body.scope,
        project=body.project,
        expires_days=body.expires_days,
        actor=me.username,
    )
    return TokenPublic(
        id=issued.id,
        token=issued.token,
        scope=issued.scope,
        project=issued.project,
        expires_at=issued.expires_at,
    )


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: int, session: SessionDep, me: CurrentUser) -> None:
    """Revoke one of the caller's tokens (global admins: any token)."""
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != me.user_id and me.global_role is not Role.ADMIN):
        raise NotFoundError("not found")
    service.revoke_token(session, token_id, me.username)
