"""Form posts: log in and out, triage, comment, upload.

Every post from a logged-in page carries the session's CSRF token in a hidden field; on top of
that the cookies are SameSite=Strict.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, time
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from shieldwall.hub.auth import service as auth
from shieldwall.hub.auth.secrets import new_token
from shieldwall.hub.deps import CSRF_COOKIE, SESSION_COOKIE, SessionDep, StateDep
from shieldwall.hub.errors import AuthenticationError, InvalidRequestError, RateLimitedError
from shieldwall.hub.notify.dispatch import mentioned_names
from shieldwall.hub.scans.service import create_import_job
from shieldwall.hub.triage import service as triage
from shieldwall.hub.triage.service import MAX_BULK, TriageAction, TriageRequest
from shieldwall.hub.web.auth import ViewerDep, get_viewer, safe_next
from shieldwall.hub.web.rendering import render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "sw_login_csrf"
_MAX_FIELD = 2000


def _see_other(target: str) -> RedirectResponse:
    return RedirectResponse(safe_next(target), status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(next: str = "/") -> HTMLResponse:
    """The login form, with a pre-session CSRF token (login CSRF)."""
    token = new_token("")
    response = render("login.html", next=safe_next(next), csrf=token, error=None, viewer=None)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login")
    return response


@router.post("/login", response_model=None)
def login_submit(
    request: Request,
    session: SessionDep,
    state: StateDep,
    username: Annotated[str, Form(max_length=150)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=_MAX_FIELD)] = "/",
) -> Response:
    """Check the password; on success set the session and CSRF cookies and go to ``next``."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return render(
            "login.html",
            403,
            next=safe_next(next),
            csrf=expected,
            viewer=None,
            error="The form expired; please try again.",
        )
    settings = state.settings
    try:
        _, issued = auth.login(
            session,
            username=username,
            password=password,
            client=request.client.host if request.client else "-",
            max_failures=settings.login_max_failures,
            window_seconds=settings.login_window_seconds,
            session_hours=settings.session_hours,
        )
    except (AuthenticationError, RateLimitedError) as exc:
        session.commit()  # keep the failed attempt for the rate limit and the audit log
        code = 429 if isinstance(exc, RateLimitedError) else 401
        return render(
            "login.html", code, next=safe_next(next), csrf=expected, viewer=None, error=str(exc)
        )
    response = _see_other(next)
    max_age = settings.session_hours * 3600
    for name, value, http_only in (
        (SESSION_COOKIE, issued.token, True),
        (CSRF_COOKIE, issued.csrf, False),
    ):
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            httponly=http_only,
            samesite="strict",
            secure=settings.cookie_secure,
            path="/",
        )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    """End the session and go to the login page."""
    viewer.check_csrf(csrf_token)
    _, web_session = auth.principal_from_session(session, request.cookies[SESSION_COOKIE])
    auth.logout(session, web_session, viewer.principal.username)
    response = _see_other("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


def _expiry(value: str) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidRequestError("the expiry date must look like 2030-12-31") from None
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


@router.post("/triage")
def triage_submit(
    session: SessionDep,
    viewer: ViewerDep,
    state: StateDep,
    action: Annotated[TriageAction, Form()],
    ids: Annotated[list[int], Form()],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=_MAX_FIELD)] = "",
    expires: Annotated[str, Form(max_length=20)] = "",
    assignee: Annotated[str, Form(max_length=150)] = "",
    next: Annotated[str, Form(max_length=_MAX_FIELD)] = "/findings",
) -> RedirectResponse:
    """Apply one triage action to the selected findings, all or nothing."""
    viewer.check_csrf(csrf_token)
    if not ids or len(ids) > MAX_BULK:
        raise InvalidRequestError(f"select between 1 and {MAX_BULK} findings")
    request = TriageRequest(
        finding_ids=ids,
        action=action,
        reason=reason.strip(),
        expires_at=_expiry(expires.strip()),
        assignee=assignee.strip() or None,
    )
    triage.triage(session, viewer.principal, request, state.org_policy)
    return _see_other(next)


@router.post("/findings/{finding_id}/comments")
def comment_submit(
    finding_id: int,
    session: SessionDep,
    state: StateDep,
    viewer: ViewerDep,
    background: BackgroundTasks,
    body: Annotated[str, Form(max_length=10000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    """Add a comment and go back to the finding; @mentioned users are notified."""
    viewer.check_csrf(csrf_token)
    if not body.strip():
        raise InvalidRequestError("a comment cannot be empty")
    comment = triage.add_comment(session, viewer.principal, finding_id, body)
    if mentioned_names(body):
        # Background tasks run after the response, so after the request's commit.
        background.add_task(state.jobs.submit_mentions, comment.id)
    return _see_other(f"/findings/{finding_id}#comments")


@router.post("/projects/{name}/scans")
async def upload_submit(
    name: str,
    request: Request,
    state: StateDep,
    report: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    branch: Annotated[str, Form(max_length=255)] = "main",
) -> RedirectResponse:
    """Upload a report from the browser; it is imported like an API upload."""
    # The form parser already spooled the file (to disk past 1 MiB): hand over the file, not
    # its bytes, so a large report is never held in memory whole.
    data = report.file

    def store() -> int:
        """Check the session and CSRF token and queue the import (blocking: in a thread)."""
        with state.sessions() as session:
            viewer = get_viewer(request, session)
            viewer.check_csrf(csrf_token)
            job = create_import_job(
                session,
                viewer.principal,
                project=name,
                branch=branch,
                data=data,
                fmt=None,
                commit=None,
                complete=True,
            )
            session.commit()
            return job.id

    job_id = await run_in_threadpool(store)
    await run_in_threadpool(state.jobs.submit_import, job_id)
    return _see_other(f"/projects/{name}")
