"""HTTP endpoints for projects, members and scan history."""

from __future__ import annotations

from fastapi import APIRouter, status

from shieldwall.hub.deps import CurrentUser, SessionDep
from shieldwall.hub.enums import Permission
from shieldwall.hub.permissions import require_global_admin
from shieldwall.hub.projects import service
from shieldwall.hub.projects.schemas import MemberUpdate, ProjectCreate, ProjectPublic, ScanPublic
from shieldwall.hub.schemas import PagePublic

router = APIRouter(tags=["projects"])


@router.get("/projects")
def list_projects(
    session: SessionDep, me: CurrentUser, page: int = 1, page_size: int = 50
) -> PagePublic[ProjectPublic]:
    """Projects the caller may read."""
    result = service.list_projects(session, me, page, page_size)
    return PagePublic(
        items=[ProjectPublic.model_validate(p) for p in result.items],
        total=result.total,
        page=result.page,
        page_size=result.page_size,
    )


@router.post("/projects", status_code=status.HTTP_201_CREATED)
def create_project(body: ProjectCreate, session: SessionDep, me: CurrentUser) -> ProjectPublic:
    """Create a project (global admins only)."""
    require_global_admin(me)
    project = service.create_project(session, body.name, body.description, me.username)
    return ProjectPublic.model_validate(project)


@router.get("/projects/{name}")
def get_project(name: str, session: SessionDep, me: CurrentUser) -> ProjectPublic:
    """One project."""
    return ProjectPublic.model_validate(service.project_by_name(session, me, name))


@router.put("/projects/{name}/members", status_code=status.HTTP_204_NO_CONTENT)
def set_member(name: str, body: MemberUpdate, session: SessionDep, me: CurrentUser) -> None:
    """Give a user a role on the project (project admins)."""
    project = service.project_by_name(session, me, name, Permission.ADMIN)
    service.set_member(session, project, body.username, body.role, me.username)


@router.get("/projects/{name}/scans")
def list_scans(
    name: str, session: SessionDep, me: CurrentUser, page: int = 1, page_size: int = 50
) -> PagePublic[ScanPublic]:
    """The project's scans, newest first."""
    project = service.project_by_name(session, me, name)
    result = service.list_scans(session, project, page, page_size)
    branches = service.branch_names(session, project)
    items = [
        ScanPublic.model_validate(s).model_copy(update={"branch": branches.get(s.branch_id, "")})
        for s in result.items
    ]
    return PagePublic(items=items, total=result.total, page=result.page, page_size=result.page_size)


@router.delete("/projects/{name}/branches/{branch:path}", status_code=status.HTTP_204_NO_CONTENT)
def delete_branch(name: str, branch: str, session: SessionDep, me: CurrentUser) -> None:
    """Forget a deleted or merged branch: what no other branch reports becomes fixed."""
    service.delete_branch(session, me, name, branch)
