"""Settings pages: profile and tokens for everyone; users, teams, SLA, notifications and
integrations for global admins. HTTP only: the logic is in the services. Every POST checks the
session's CSRF token first; admin pages answer 403 to everyone else."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, Form
from starlette.responses import HTMLResponse, RedirectResponse

from shieldwall.hub.auth import service as auth
from shieldwall.hub.deps import SessionDep, StateDep
from shieldwall.hub.enums import Role, TokenScope
from shieldwall.hub.errors import InvalidRequestError
from shieldwall.hub.integrations import service as trackers
from shieldwall.hub.integrations.contract import TrackerKind
from shieldwall.hub.integrations.crypto import SecretBox
from shieldwall.hub.integrations.forge_links import Forge
from shieldwall.hub.metrics.service import SEVERITIES
from shieldwall.hub.notify import config as notify
from shieldwall.hub.notify.channels import ChannelKind, ChannelSpec
from shieldwall.hub.notify.config import RULE_EVENTS, RuleSpec
from shieldwall.hub.notify.contract import EventKind
from shieldwall.hub.permissions import require_global_admin
from shieldwall.hub.projects import service as projects
from shieldwall.hub.settings import SlaPolicy
from shieldwall.hub.web.auth import ViewerDep
from shieldwall.hub.web.rendering import render
from shieldwall.hub.workspace import service as workspace
from shieldwall.hub.workspace.sla_store import load_sla

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=200)]
Text = Annotated[str, Form(max_length=500)]
Secret = Annotated[str, Form(max_length=4000)]


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _role(value: str) -> Role | None:
    if not value:
        return None
    if value not in {r.value for r in Role}:
        raise InvalidRequestError(f"unknown role {value!r}")
    return Role(value)


def _days(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidRequestError("days must be a whole number, or empty for none")
    return int(value)


@router.get("/settings", response_class=HTMLResponse)
def settings_index(viewer: ViewerDep) -> HTMLResponse:
    """What the user may configure."""
    return render(
        "settings/index.html", viewer=viewer, admin=viewer.principal.global_role is Role.ADMIN
    )


# -- profile and tokens (everyone) ------------------------------------------------------------


@router.get("/settings/profile", response_class=HTMLResponse)
def profile_page(session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Where @mentions reach the user."""
    return render(
        "settings/profile.html",
        viewer=viewer,
        profile=workspace.profile_of(session, viewer.principal.user_id),
        channels=notify.list_channels(session),
    )


@router.post("/settings/profile")
def profile_submit(
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    email: Text = "",
    channel_id: Annotated[str, Form(max_length=20)] = "",
) -> RedirectResponse:
    """Save the profile."""
    viewer.check_csrf(csrf_token)
    channel = int(channel_id) if channel_id.isdigit() else None
    workspace.save_profile(session, viewer.principal, email, channel)
    return _back("/settings/profile")


def _tokens_page(
    session: SessionDep, viewer: ViewerDep, issued: auth.IssuedToken | None = None
) -> HTMLResponse:
    return render(
        "settings/tokens.html",
        viewer=viewer,
        tokens=workspace.list_tokens(session, viewer.principal),
        scopes=[s.value for s in TokenScope],
        issued=issued,
    )


@router.get("/settings/tokens", response_class=HTMLResponse)
def tokens_page(session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The user's API tokens (names and dates; the values are never stored)."""
    return _tokens_page(session, viewer)


@router.post("/settings/tokens", response_class=HTMLResponse)
def token_create(
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    name: Annotated[str, Form(max_length=150)] = "",
    scope: Annotated[TokenScope, Form()] = TokenScope.READ,
    project: Annotated[str, Form(max_length=150)] = "",
    expires_days: Annotated[str, Form(max_length=6)] = "90",
) -> HTMLResponse:
    """Issue a token and show it this once (the response is not cacheable)."""
    viewer.check_csrf(csrf_token)
    issued = workspace.issue_token(
        session,
        viewer.principal,
        name=name,
        scope=scope,
        project=project.strip() or None,
        expires_days=_days(expires_days),
    )
    response = _tokens_page(session, viewer, issued)
    response.headers["cache-control"] = "no-store"
    return response


@router.post("/settings/tokens/{token_id}/revoke")
def token_revoke(
    token_id: int, session: SessionDep, viewer: ViewerDep, csrf_token: Csrf = ""
) -> RedirectResponse:
    """Revoke a token."""
    viewer.check_csrf(csrf_token)
    workspace.revoke_own_token(session, viewer.principal, token_id)
    return _back("/settings/tokens")


# -- users and teams (admins) -----------------------------------------------------------------


@router.get("/settings/users", response_class=HTMLResponse)
def users_page(session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Every user with their hub-wide role."""
    require_global_admin(viewer.principal)
    return render(
        "settings/users.html",
        viewer=viewer,
        users=workspace.list_users(session),
        roles=[r.value for r in Role],
        projects=sorted(workspace.project_names(session).values()),
    )


@router.post("/settings/users")
def user_create(
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    username: Annotated[str, Form(max_length=150)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
) -> RedirectResponse:
    """Create a user (with a password, so they can log in)."""
    viewer.check_csrf(csrf_token)
    require_global_admin(viewer.principal)
    auth.create_user(session, username, password, _role(role), viewer.principal.username)
    return _back("/settings/users")


@router.post("/settings/users/{user_id}")
def user_update(
    user_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    role: Annotated[str, Form(max_length=20)] = "",
    active: Annotated[str, Form(max_length=5)] = "",
) -> RedirectResponse:
    """Change a user's hub-wide role and whether they may log in."""
    viewer.check_csrf(csrf_token)
    workspace.set_global_role(session, viewer.principal, user_id, _role(role))
    workspace.set_active(session, viewer.principal, user_id, active == "on")
    return _back("/settings/users")


@router.post("/settings/members")
def member_set(
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    username: Annotated[str, Form(max_length=150)] = "",
    project: Annotated[str, Form(max_length=150)] = "",
    role: Annotated[Role, Form()] = Role.VIEWER,
) -> RedirectResponse:
    """Give a user a role on one project."""
    viewer.check_csrf(csrf_token)
    require_global_admin(viewer.principal)
    target = workspace.project_named(session, project)
    projects.set_member(session, target, username.strip(), role, viewer.principal.username)
    return _back("/settings/users")


@router.get("/settings/teams", response_class=HTMLResponse)
def teams_page(session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Teams, their members and their roles on projects."""
    require_global_admin(viewer.principal)
    return render(
        "settings/teams.html",
        viewer=viewer,
        teams=workspace.list_teams(session),
        roles=[r.value for r in Role],
        projects=[p.name for p in projects.list_projects(session, viewer.principal, 1, 500).items],
    )


@router.post("/settings/teams")
def team_create(
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    name: Annotated[str, Form(max_length=150)] = "",
) -> RedirectResponse:
    """Create a team."""
    viewer.check_csrf(csrf_token)
    workspace.create_team(session, viewer.principal, name)
    return _back("/settings/teams")


@router.post("/settings/teams/{team_id}/members")
def team_member(
    team_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    username: Annotated[str, Form(max_length=150)] = "",
    remove: Annotated[str, Form(max_length=5)] = "",
) -> RedirectResponse:
    """Add or remove a member."""
    viewer.check_csrf(csrf_token)
    workspace.set_team_member(session, viewer.principal, team_id, username, not remove)
    return _back("/settings/teams")


@router.post("/settings/teams/{team_id}/projects")
def team_project_role(
    team_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    project: Annotated[str, Form(max_length=150)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
) -> RedirectResponse:
    """Give the team a role on a project (empty role removes it)."""
    viewer.check_csrf(csrf_token)
    workspace.set_team_role(session, viewer.principal, team_id, project, _role(role))
    return _back("/settings/teams")


@router.post("/settings/teams/{team_id}/delete")
def team_delete(
    team_id: int, session: SessionDep, viewer: ViewerDep, csrf_token: Csrf = ""
) -> RedirectResponse:
    """Delete a team."""
    viewer.check_csrf(csrf_token)
    workspace.delete_team(session, viewer.principal, team_id)
    return _back("/settings/teams")


# -- SLA (admins) -------------------------------------------------------------------------------


@router.get("/settings/sla", response_class=HTMLResponse)
def sla_page(session: SessionDep, state: StateDep, viewer: ViewerDep) -> HTMLResponse:
    """Days to fix per severity."""
    require_global_admin(viewer.principal)
    policy = load_sla(session, state.settings.sla)
    return render("settings/sla.html", viewer=viewer, policy=policy.model_dump(), done=None)


@router.post("/settings/sla", response_class=HTMLResponse)
def sla_submit(
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    critical: Annotated[str, Form(max_length=6)] = "",
    high: Annotated[str, Form(max_length=6)] = "",
    medium: Annotated[str, Form(max_length=6)] = "",
    low: Annotated[str, Form(max_length=6)] = "",
    info: Annotated[str, Form(max_length=6)] = "",
) -> HTMLResponse:
    """Save the policy and recompute the due dates of open findings."""
    viewer.check_csrf(csrf_token)
    policy = SlaPolicy(
        critical=_days(critical),
        high=_days(high),
        medium=_days(medium),
        low=_days(low),
        info=_days(info),
    )
    changed = workspace.save_sla(session, viewer.principal, policy)
    return render("settings/sla.html", viewer=viewer, policy=policy.model_dump(), done=changed)


# -- notifications (admins) -----------------------------------------------------------------------


@router.get("/settings/notifications", response_class=HTMLResponse)
def notifications_page(session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Channels, rules and the delivery log."""
    require_global_admin(viewer.principal)
    channels = notify.list_channels(session)
    return render(
        "settings/notifications.html",
        viewer=viewer,
        channels=channels,
        channel_names={c.id: c.name for c in channels},
        rules=notify.list_rules(session),
        deliveries=notify.recent_deliveries(session),
        kinds=[k.value for k in ChannelKind],
        events=[e.value for e in RULE_EVENTS],
        severities=SEVERITIES,
        projects=workspace.project_names(session),
        teams={t.team.id: t.team.name for t in workspace.list_teams(session)},
    )


@router.post("/settings/channels")
def channel_create(
    session: SessionDep,
    state: StateDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    name: Annotated[str, Form(max_length=150)] = "",
    kind: Annotated[ChannelKind, Form()] = ChannelKind.WEBHOOK,
    url: Annotated[str, Form(max_length=2000)] = "",
    signing_key: Secret = "",
    smtp_host: Text = "",
    smtp_port: Annotated[int, Form(ge=1, le=65535)] = 25,
    sender: Text = "",
    recipients: Annotated[str, Form(max_length=5000)] = "",
    starttls: Annotated[str, Form(max_length=5)] = "",
    username: Text = "",
    password: Secret = "",
) -> RedirectResponse:
    """Store a channel; its credentials are sealed and never shown again."""
    viewer.check_csrf(csrf_token)
    spec = ChannelSpec(
        name=name,
        kind=kind,
        url=url,
        signing_key=signing_key,
        smtp_host=smtp_host,
        smtp_port=smtp_port,
        sender=sender,
        recipients=tuple(r.strip() for r in recipients.replace("\n", ",").split(",")),
        starttls=starttls == "on",
        username=username,
        password=password,
    )
    notify.create_channel(session, viewer.principal, spec, SecretBox.from_settings(state.settings))
    return _back("/settings/notifications")


@router.post("/settings/channels/{channel_id}/delete")
def channel_delete(
    channel_id: int, session: SessionDep, viewer: ViewerDep, csrf_token: Csrf = ""
) -> RedirectResponse:
    """Delete a channel and its rules."""
    viewer.check_csrf(csrf_token)
    notify.delete_channel(session, viewer.principal, channel_id)
    return _back("/settings/notifications")


@router.post("/settings/channels/{channel_id}/test")
def channel_test(
    channel_id: int, state: StateDep, viewer: ViewerDep, csrf_token: Csrf = ""
) -> RedirectResponse:
    """Send a test message now; the delivery log shows how it went."""
    viewer.check_csrf(csrf_token)
    with httpx.Client() as client:
        notify.send_test(
            state.sessions,
            viewer.principal,
            channel_id,
            SecretBox.from_settings(state.settings),
            client,
        )
    return _back("/settings/notifications#log")


@router.post("/settings/rules")
def rule_create(
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    channel: Annotated[str, Form(max_length=150)] = "",
    event: Annotated[EventKind, Form()] = EventKind.NEW_FINDINGS,
    project: Annotated[str, Form(max_length=150)] = "",
    team: Annotated[str, Form(max_length=150)] = "",
    min_severity: Annotated[str, Form(max_length=10)] = "info",
) -> RedirectResponse:
    """Store a rule."""
    viewer.check_csrf(csrf_token)
    spec = RuleSpec(channel, event, project.strip() or None, team.strip() or None, min_severity)
    notify.create_rule(session, viewer.principal, spec)
    return _back("/settings/notifications")


@router.post("/settings/rules/{rule_id}/delete")
def rule_delete(
    rule_id: int, session: SessionDep, viewer: ViewerDep, csrf_token: Csrf = ""
) -> RedirectResponse:
    """Delete a rule."""
    viewer.check_csrf(csrf_token)
    notify.delete_rule(session, viewer.principal, rule_id)
    return _back("/settings/notifications")


# -- integrations (admins) ----------------------------------------------------------------------


@router.get("/settings/integrations", response_class=HTMLResponse)
def integrations_page(session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Issue trackers and repository links."""
    require_global_admin(viewer.principal)
    return render(
        "settings/integrations.html",
        viewer=viewer,
        trackers=trackers.list_trackers(session),
        repositories=workspace.list_repositories(session),
        kinds=[k.value for k in TrackerKind],
        forges=[f.value for f in Forge],
        projects=workspace.project_names(session),
    )


@router.post("/settings/trackers")
def tracker_create(
    session: SessionDep,
    state: StateDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    name: Annotated[str, Form(max_length=150)] = "",
    kind: Annotated[TrackerKind, Form()] = TrackerKind.GITHUB,
    base_url: Text = "",
    remote_project: Annotated[str, Form(max_length=255)] = "",
    token: Secret = "",
    username: Text = "",
    issue_type: Annotated[str, Form(max_length=50)] = "Bug",
    project: Annotated[str, Form(max_length=150)] = "",
    close_on_fix: Annotated[str, Form(max_length=5)] = "",
) -> RedirectResponse:
    """Store a tracker; the token is sealed and never shown again."""
    viewer.check_csrf(csrf_token)
    spec = trackers.TrackerSpec(
        name=name,
        kind=kind,
        base_url=base_url,
        remote_project=remote_project,
        token=token,
        username=username,
        issue_type=issue_type,
        project=project.strip() or None,
        close_on_fix=close_on_fix == "on",
    )
    trackers.create_tracker(
        session, viewer.principal, spec, SecretBox.from_settings(state.settings)
    )
    return _back("/settings/integrations")


@router.post("/settings/trackers/{tracker_id}/delete")
def tracker_delete(
    tracker_id: int, session: SessionDep, viewer: ViewerDep, csrf_token: Csrf = ""
) -> RedirectResponse:
    """Delete a tracker."""
    viewer.check_csrf(csrf_token)
    trackers.delete_tracker(session, viewer.principal, tracker_id)
    return _back("/settings/integrations")


@router.post("/settings/repositories")
def repository_set(
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Csrf = "",
    project: Annotated[str, Form(max_length=150)] = "",
    forge: Annotated[Forge, Form()] = Forge.GITHUB,
    web_url: Text = "",
    default_branch: Annotated[str, Form(max_length=255)] = "main",
    remove: Annotated[str, Form(max_length=5)] = "",
) -> RedirectResponse:
    """Link a project to its repository (or remove the link)."""
    viewer.check_csrf(csrf_token)
    if remove:
        workspace.remove_repository(session, viewer.principal, project)
    else:
        workspace.set_repository(session, viewer.principal, project, forge, web_url, default_branch)
    return _back("/settings/integrations")
