"""Who may do what on which project: roles, token scopes and the checks every service runs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import ProjectMember, TeamMember
from shieldwall.hub.enums import (
    ROLE_PERMISSIONS,
    SCOPE_PERMISSIONS,
    Permission,
    Role,
    TokenScope,
)
from shieldwall.hub.errors import NotFoundError, PermissionDeniedError


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller: a user, through a token (with a scope) or a session."""

    user_id: int
    username: str
    global_role: Role | None
    scope: TokenScope | None = None  # None for a browser session: the user's full rights
    token_project_id: int | None = None
    via: str = "session"


def project_role(session: Session, principal: Principal, project_id: int) -> Role | None:
    """The strongest role the user holds on the project (global, direct or through a team)."""
    team_ids = select(TeamMember.team_id).where(TeamMember.user_id == principal.user_id)
    roles = session.scalars(
        select(ProjectMember.role).where(
            ProjectMember.project_id == project_id,
            or_(ProjectMember.user_id == principal.user_id, ProjectMember.team_id.in_(team_ids)),
        )
    ).all()
    candidates = [Role(r) for r in roles]
    if principal.global_role is not None:
        candidates.append(principal.global_role)
    return max(candidates, key=lambda r: r.rank) if candidates else None


def permissions(session: Session, principal: Principal, project_id: int) -> frozenset[Permission]:
    """What the caller may do on the project: the role's rights narrowed by the token."""
    if principal.token_project_id is not None and principal.token_project_id != project_id:
        return frozenset()
    role = project_role(session, principal, project_id)
    if role is None:
        return frozenset()
    granted = ROLE_PERMISSIONS[role]
    if principal.scope is not None:
        granted = granted & SCOPE_PERMISSIONS[principal.scope]
    return granted


def require(session: Session, principal: Principal, project_id: int, needed: Permission) -> None:
    """Raise unless the caller has ``needed`` on the project.

    A caller who cannot even read the project gets :class:`NotFoundError`, so ids of other
    projects' objects reveal nothing.
    """
    granted = permissions(session, principal, project_id)
    if Permission.READ not in granted:
        raise NotFoundError("not found")
    if needed not in granted:
        raise PermissionDeniedError(f"this needs the {needed.value!r} permission on the project")


def require_global_admin(principal: Principal) -> None:
    """Raise unless the caller is a global admin acting with full rights."""
    if principal.global_role is not Role.ADMIN or (
        principal.scope is not None and principal.scope is not TokenScope.ADMIN
    ):
        raise PermissionDeniedError("this needs a global admin")
    if principal.token_project_id is not None:
        raise PermissionDeniedError("a project token cannot act on the whole hub")


def readable_project_ids(session: Session, principal: Principal) -> set[int] | None:
    """Projects the caller may read, or ``None`` for all of them (a global role)."""
    if principal.token_project_id is not None:
        allowed = permissions(session, principal, principal.token_project_id)
        return {principal.token_project_id} if Permission.READ in allowed else set()
    if principal.global_role is not None:
        return None
    team_ids = select(TeamMember.team_id).where(TeamMember.user_id == principal.user_id)
    return set(
        session.scalars(
            select(ProjectMember.project_id).where(
                or_(
                    ProjectMember.user_id == principal.user_id,
                    ProjectMember.team_id.in_(team_ids),
                )
            )
        ).all()
    )
