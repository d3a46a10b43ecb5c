"""Users, teams, profiles, repositories, tokens and the SLA policy as the settings pages change
them. Global admins manage the hub; everyone manages their own profile and tokens. Every change
is audited. Never imports FastAPI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shieldwall.hub import sla
from shieldwall.hub.audit.service import EventSpec, record
from shieldwall.hub.auth.service import IssuedToken, create_token, revoke_token
from shieldwall.hub.db.models import (
    ApiToken,
    NotificationChannel,
    Project,
    ProjectMember,
    ProjectRepository,
    Team,
    TeamMember,
    User,
    UserProfile,
    WebSession,
)
from shieldwall.hub.enums import ROLE_PERMISSIONS, SCOPE_PERMISSIONS, Role, TokenScope
from shieldwall.hub.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
)
from shieldwall.hub.integrations.forge_links import Forge, check_web_url
from shieldwall.hub.permissions import Principal, project_role, require_global_admin
from shieldwall.hub.settings import SlaPolicy
from shieldwall.hub.workspace.sla_store import store_sla


def _audit(
    session: Session,
    principal: Principal,
    action: str,
    kind: str,
    object_id: object,
    project_id: int | None = None,
    **details: object,
) -> None:
    record(
        session,
        EventSpec(
            actor=principal.username,
            action=action,
            object_type=kind,
            object_id=str(object_id),
            project_id=project_id,
            details=details,
        ),
    )


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("no such user")
    return user


def _project(session: Session, name: str) -> Project:
    project = session.scalar(select(Project).where(Project.name == name))
    if project is None:
        raise NotFoundError(f"no project {name!r}")
    return project


def set_global_role(
    session: Session, principal: Principal, user_id: int, role: Role | None
) -> None:
    """Give a user a hub-wide role (or none: project memberships only)."""
    require_global_admin(principal)
    user = _user(session, user_id)
    if user.id == principal.user_id and role is not Role.ADMIN:
        raise InvalidRequestError("you cannot take away your own admin role")
    user.global_role = role.value if role else None
    _audit(session, principal, "user.role_set", "user", user.id, role=user.global_role)


def set_active(session: Session, principal: Principal, user_id: int, active: bool) -> None:
    """Deactivate (ending their sessions) or reactivate a user."""
    require_global_admin(principal)
    user = _user(session, user_id)
    if user.id == principal.user_id and not active:
        raise InvalidRequestError("you cannot deactivate yourself")
    user.is_active = active
    if not active:
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    _audit(session, principal, "user.activated" if active else "user.deactivated", "user", user.id)


def list_users(session: Session) -> list[User]:
    """Every user, by name."""
    return list(session.scalars(select(User).order_by(User.username)))


@dataclass(frozen=True, slots=True)
class TeamView:
    """A team with its members and project roles, for the teams page."""

    team: Team
    members: list[str]
    projects: list[tuple[str, str]]


def list_teams(session: Session) -> list[TeamView]:
    """Every team with members and roles."""
    views = []
    for team in session.scalars(select(Team).order_by(Team.name)):
        members = session.scalars(
            select(User.username)
            .join(TeamMember, TeamMember.user_id == User.id)
            .where(TeamMember.team_id == team.id)
            .order_by(User.username)
        )
        roles = session.execute(
            select(Project.name, ProjectMember.role)
            .join(ProjectMember, ProjectMember.project_id == Project.id)
            .where(ProjectMember.team_id == team.id)
            .order_by(Project.name)
        ).all()
        views.append(TeamView(team, list(members), [(str(p), str(r)) for p, r in roles]))
    return views


def create_team(session: Session, principal: Principal, name: str) -> Team:
    """A new, empty team."""
    require_global_admin(principal)
    name = name.strip()
    if not name or len(name) > 150:
        raise InvalidRequestError("a team name has 1 to 150 characters")
    if session.scalar(select(Team.id).where(Team.name == name)) is not None:
        raise ConflictError(f"team {name!r} exists")
    team = Team(name=name)
    session.add(team)
    session.flush()
    _audit(session, principal, "team.created", "team", team.id, name=name)
    return team


def delete_team(session: Session, principal: Principal, team_id: int) -> None:
    """Delete a team (its members keep their own roles)."""
    require_global_admin(principal)
    team = session.get(Team, team_id)
    if team is None:
        raise NotFoundError("no such team")
    session.delete(team)
    _audit(session, principal, "team.deleted", "team", team_id, name=team.name)


def set_team_member(
    session: Session, principal: Principal, team_id: int, username: str, member: bool
) -> None:
    """Add a user to a team or remove them."""
    require_global_admin(principal)
    if session.get(Team, team_id) is None:
        raise NotFoundError("no such team")
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFoundError(f"no user {username.strip()!r}")
    row = session.get(TeamMember, (team_id, user.id))
    if member and row is None:
        session.add(TeamMember(team_id=team_id, user_id=user.id))
    elif not member and row is not None:
        session.delete(row)
    action = "team.member_added" if member else "team.member_removed"
    _audit(session, principal, action, "team", team_id, user=user.username)


def set_team_role(
    session: Session, principal: Principal, team_id: int, project: str, role: Role | None
) -> None:
    """Give the team a role on a project (None removes it)."""
    require_global_admin(principal)
    if session.get(Team, team_id) is None:
        raise NotFoundError("no such team")
    target = _project(session, project)
    row = session.scalar(
        select(ProjectMember).where(
            ProjectMember.project_id == target.id, ProjectMember.team_id == team_id
        )
    )
    if role is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(ProjectMember(project_id=target.id, team_id=team_id, role=role.value))
    else:
        row.role = role.value
    _audit(
        session,
        principal,
        "project.team_role_set",
        "project",
        target.id,
        target.id,
        team=team_id,
        role=role.value if role else None,
    )


def profile_of(session: Session, user_id: int) -> UserProfile:
    """The user's profile (an empty one when never saved)."""
    return session.get(UserProfile, user_id) or UserProfile(user_id=user_id, email="")


def save_profile(
    session: Session, principal: Principal, email: str, channel_id: int | None
) -> None:
    """Where the caller wants @mentions to reach them."""
    email = email.strip()
    if email and ("@" not in email or any(c in email for c in " \r\n,<>") or len(email) > 320):
        raise InvalidRequestError("not an e-mail address")
    if channel_id is not None and session.get(NotificationChannel, channel_id) is None:
        raise NotFoundError("no such channel")
    profile = session.get(UserProfile, principal.user_id)
    if profile is None:
        profile = UserProfile(user_id=principal.user_id)
        session.add(profile)
    profile.email, profile.channel_id = email, channel_id
    _audit(session, principal, "user.profile_saved", "user", principal.user_id)


def list_tokens(session: Session, principal: Principal) -> list[ApiToken]:
    """The caller's tokens, newest first (only hashes are stored)."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == principal.user_id)
            .order_by(ApiToken.id.desc())
        )
    )


def issue_token(
    session: Session,
    principal: Principal,
    *,
    name: str,
    scope: TokenScope,
    project: str | None,
    expires_days: int | None,
) -> IssuedToken:
    """A token for the caller; its scope cannot exceed the caller's role (as the API's)."""
    name = name.strip()
    if not name:
        raise InvalidRequestError("give the token a name")
    user = _user(session, principal.user_id)
    if project:
        role = project_role(session, principal, _project(session, project).id)
    else:
        role = principal.global_role
    if role is None or not SCOPE_PERMISSIONS[scope] <= ROLE_PERMISSIONS[role]:
        raise PermissionDeniedError("the scope exceeds your role")
    return create_token(
        session,
        user=user,
        name=name,
        scope=scope,
        project=project or None,
        expires_days=expires_days,
        actor=principal.username,
    )


def revoke_own_token(session: Session, principal: Principal, token_id: int) -> None:
    """Revoke one of the caller's tokens (admins: anyone's)."""
    row = session.get(ApiToken, token_id)
    if row is None or (
        row.user_id != principal.user_id and principal.global_role is not Role.ADMIN
    ):
        raise NotFoundError("not found")
    revoke_token(session, token_id, principal.username)


def save_sla(session: Session, principal: Principal, policy: SlaPolicy) -> int:
    """Store the SLA policy and recompute every open finding's due date; returns how many."""
    require_global_admin(principal)
    for value in policy.model_dump().values():
        if value is not None and not 0 < value <= 3650:
            raise InvalidRequestError("days must be between 1 and 3650, or empty for none")
    store_sla(session, policy, principal.username)
    changed = sla.recompute(session, policy)
    _audit(session, principal, "sla.policy_set", "hub", "sla", **policy.model_dump())
    return changed


def list_repositories(session: Session) -> list[tuple[str, ProjectRepository]]:
    """Every project's repository link."""
    rows = session.execute(
        select(Project.name, ProjectRepository)
        .join(ProjectRepository, ProjectRepository.project_id == Project.id)
        .order_by(Project.name)
    ).all()
    return [(str(name), repo) for name, repo in rows]


def set_repository(
    session: Session,
    principal: Principal,
    project: str,
    forge: Forge,
    web_url: str,
    default_branch: str,
) -> None:
    """Link a project to its repository's web address."""
    require_global_admin(principal)
    target = _project(session, project)
    url = check_web_url(web_url)
    branch = default_branch.strip() or "main"
    row = session.get(ProjectRepository, target.id)
    if row is None:
        session.add(
            ProjectRepository(
                project_id=target.id, forge=forge.value, web_url=url, default_branch=branch
            )
        )
    else:
        row.forge, row.web_url, row.default_branch = forge.value, url, branch
    _audit(session, principal, "project.repository_set", "project", target.id, target.id, url=url)


def remove_repository(session: Session, principal: Principal, project: str) -> None:
    """Forget a project's repository link."""
    require_global_admin(principal)
    target = _project(session, project)
    row = session.get(ProjectRepository, target.id)
    if row is not None:
        session.delete(row)
        _audit(session, principal, "project.repository_removed", "project", target.id, target.id)


def project_names(session: Session) -> dict[int, str]:
    """Every project's name by id (admin pages list them all)."""
    return {int(i): str(n) for i, n in session.execute(select(Project.id, Project.name)).all()}


def project_named(session: Session, name: str) -> Project:
    """The project with this name (admin pages: no per-project read check)."""
    return _project(session, name)
