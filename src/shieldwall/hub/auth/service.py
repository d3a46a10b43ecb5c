"""Users, tokens, sessions and logins. Never imports FastAPI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import EventSpec, record
from shieldwall.hub.auth.secrets import (
    SESSION_PREFIX,
    TOKEN_PREFIX,
    hash_password,
    new_token,
    same_digest,
    token_digest,
    verify_password,
)
from shieldwall.hub.db.models import ApiToken, LoginAttempt, Project, User, WebSession
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import Role, TokenScope
from shieldwall.hub.errors import (
    AuthenticationError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    RateLimitedError,
)
from shieldwall.hub.permissions import Principal

MIN_PASSWORD = 10


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token as shown once to its owner."""

    id: int
    token: str
    scope: TokenScope
    project: str | None
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class IssuedSession:
    """A new browser session: the cookie value and the CSRF token, shown once."""

    token: str
    csrf: str
    expires_at: datetime


def create_user(
    session: Session, username: str, password: str | None, role: Role | None, actor: str
) -> User:
    """Create a user; the password (if any) is stored as an argon2id hash."""
    username = username.strip()
    if not username or len(username) > 150:
        raise InvalidRequestError("username must be 1-150 characters")
    if password is not None and len(password) < MIN_PASSWORD:
        raise InvalidRequestError(f"password must have at least {MIN_PASSWORD} characters")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ConflictError(f"user {username!r} exists")
    user = User(
        username=username,
        password_hash=hash_password(password) if password is not None else None,
        global_role=role.value if role else None,
    )
    session.add(user)
    session.flush()
    record(
        session,
        EventSpec(
            actor=actor,
            action="user.created",
            object_type="user",
            object_id=str(user.id),
            details={"username": username, "role": role.value if role else None},
        ),
    )
    return user


def user_by_name(session: Session, username: str) -> User:
    """The user with this name."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    return user


def create_token(
    session: Session,
    *,
    user: User,
    name: str,
    scope: TokenScope,
    project: str | None,
    expires_days: int | None,
    actor: str,
) -> IssuedToken:
    """Issue an API token; only its hash is stored."""
    project_id = None
    if project is not None:
        project_id = session.scalar(select(Project.id).where(Project.name == project))
        if project_id is None:
            raise NotFoundError(f"no project {project!r}")
    token = new_token(TOKEN_PREFIX)
    expires = utcnow() + timedelta(days=expires_days) if expires_days else None
    row = ApiToken(
        user_id=user.id,
        name=name[:150],
        token_hash=token_digest(token),
        scope=scope.value,
        project_id=project_id,
        expires_at=expires,
    )
    session.add(row)
    session.flush()
    record(
        session,
        EventSpec(
            actor=actor,
            action="token.created",
            object_type="token",
            object_id=str(row.id),
            project_id=project_id,
            details={"user": user.username, "scope": scope.value, "name": row.name},
        ),
    )
    return IssuedToken(row.id, token, scope, project, expires)


def revoke_token(session: Session, token_id: int, actor: str) -> None:
    """Revoke a token; idempotent."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFoundError("no such token")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(
            session,
            EventSpec(
                actor=actor,
                action="token.revoked",
                object_type="token",
                object_id=str(row.id),
                project_id=row.project_id,
            ),
        )


def _principal(
    user: User,
    *,
    scope: TokenScope | None = None,
    token_project_id: int | None = None,
    via: str = "session",
) -> Principal:
    role = Role(user.global_role) if user.global_role else None
    return Principal(
        user_id=user.id,
        username=user.username,
        global_role=role,
        scope=scope,
        token_project_id=token_project_id,
        via=via,
    )


def principal_from_token(session: Session, token: str) -> Principal:
    """The caller behind an API token."""
    if not token.startswith(TOKEN_PREFIX):
        raise AuthenticationError("invalid token")
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    now = utcnow()
    if row is None or not same_digest(token, row.token_hash) or row.revoked_at is not None:
        raise AuthenticationError("invalid token")
    if row.expires_at is not None and row.expires_at <= now:
        raise AuthenticationError("token expired")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("invalid token")
    return _principal(
        user, scope=TokenScope(row.scope), token_project_id=row.project_id, via="token"
    )


def principal_from_session(session: Session, cookie: str) -> tuple[Principal, WebSession]:
    """The caller behind a session cookie, and the session (for the CSRF check)."""
    if not cookie.startswith(SESSION_PREFIX):
        raise AuthenticationError("invalid session")
    row = session.scalar(select(WebSession).where(WebSession.token_hash == token_digest(cookie)))
    if row is None or row.expires_at <= utcnow():
        raise AuthenticationError("session expired")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("invalid session")
    return _principal(user, via="session"), row


def login(
    session: Session,
    *,
    username: str,
    password: str,
    client: str,
    max_failures: int,
    window_seconds: int,
    session_hours: int,
) -> tuple[User, IssuedSession]:
    """Check a password and open a session; too many recent failures give 429 first."""
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    failures = session.scalar(
        select(func.count()).where(
            LoginAttempt.username == username[:150],
            LoginAttempt.success.is_(False),
            LoginAttempt.at >= since,
        )
    )
    if (failures or 0) >= max_failures:
        raise RateLimitedError("too many failed logins; try again later")
    user = session.scalar(select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user else None, password)
    session.add(LoginAttempt(username=username[:150], client=client[:64], success=ok, at=now))
    record(
        session,
        EventSpec(
            actor=username[:150],
            action="auth.login" if ok else "auth.login_failed",
            object_type="user",
            object_id=str(user.id) if user else "-",
            details={"client": client[:64]},
        ),
    )
    if not ok or user is None or not user.is_active:
        raise AuthenticationError("invalid username or password")
    token, csrf = new_token(SESSION_PREFIX), new_token("")
    expires = now + timedelta(hours=session_hours)
    session.add(
        WebSession(
            token_hash=token_digest(token),
            csrf_hash=token_digest(csrf),
            user_id=user.id,
            expires_at=expires,
        )
    )
    return user, IssuedSession(token, csrf, expires)


def logout(session: Session, web_session: WebSession, actor: str) -> None:
    """End a session."""
    session.delete(web_session)
    record(
        session,
        EventSpec(
            actor=actor,
            action="auth.logout",
            object_type="user",
            object_id=str(web_session.user_id),
        ),
    )
