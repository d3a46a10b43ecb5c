"""Projects and memberships. Never imports FastAPI."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import EventSpec, record
from shieldwall.hub.db.models import Branch, Project, ProjectMember, Scan, User
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import Permission, Role
from shieldwall.hub.errors import ConflictError, InvalidRequestError, NotFoundError
from shieldwall.hub.pagination import Page, paginate
from shieldwall.hub.permissions import Principal, readable_project_ids, require
from shieldwall.hub.scans.lifecycle import forget_branch, snapshot_open_counts

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,149}$")


def create_project(session: Session, name: str, description: str, actor: str) -> Project:
    """Create a project (names are URL-safe slugs)."""
    if not _NAME.match(name):
        raise InvalidRequestError("project names use letters, digits, '.', '_' and '-'")
    if session.scalar(select(Project.id).where(Project.name == name)) is not None:
        raise ConflictError(f"project {name!r} exists")
    project = Project(name=name, description=description[:2000])
    session.add(project)
    session.flush()
    record(
        session,
        EventSpec(
            actor=actor,
            action="project.created",
            object_type="project",
            object_id=str(project.id),
            project_id=project.id,
            details={"name": name},
        ),
    )
    return project


def project_by_name(
    session: Session, principal: Principal, name: str, needed: Permission = Permission.READ
) -> Project:
    """The named project if the caller has ``needed`` on it (404 when it cannot read it)."""
    project = session.scalar(select(Project).where(Project.name == name))
    if project is None:
        raise NotFoundError("not found")
    require(session, principal, project.id, needed)
    return project


def list_projects(session: Session, principal: Principal, page: int, size: int) -> Page[Project]:
    """The projects the caller may read."""
    query = select(Project).order_by(Project.name)
    allowed = readable_project_ids(session, principal)
    if allowed is not None:
        query = query.where(Project.id.in_(allowed))
    return paginate(session, query, page, size)


def set_member(
    session: Session, project: Project, username: str, role: Role, actor: str
) -> ProjectMember:
    """Give a user a role on the project (replacing any direct role they had)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    member = session.scalar(
        select(ProjectMember).where(
            ProjectMember.project_id == project.id, ProjectMember.user_id == user.id
        )
    )
    if member is None:
        member = ProjectMember(project_id=project.id, user_id=user.id, role=role.value)
        session.add(member)
    else:
        member.role = role.value
    session.flush()
    record(
        session,
        EventSpec(
            actor=actor,
            action="project.member_set",
            object_type="project",
            object_id=str(project.id),
            project_id=project.id,
            details={"user": username, "role": role.value},
        ),
    )
    return member


def list_scans(session: Session, project: Project, page: int, size: int) -> Page[Scan]:
    """The project's scans, newest first."""
    query = select(Scan).where(Scan.project_id == project.id).order_by(Scan.id.desc())
    return paginate(session, query, page, size)


def branch_names(session: Session, project: Project) -> dict[int, str]:
    """Branch ids to names for the project."""
    rows = session.execute(
        select(Branch.id, Branch.name).where(Branch.project_id == project.id)
    ).all()
    return {int(bid): str(name) for bid, name in rows}


def delete_branch(session: Session, principal: Principal, project: str, branch: str) -> int:
    """Forget a deleted or merged branch (project admins); returns how many findings it fixed."""
    target = project_by_name(session, principal, project, Permission.ADMIN)
    row = session.scalars(
        select(Branch).where(Branch.project_id == target.id, Branch.name == branch)
    ).first()
    if row is None:
        raise NotFoundError("not found")
    fixed = forget_branch(session, row, utcnow(), principal.username)
    snapshot_open_counts(session, target.id, utcnow())
    return len(fixed)
