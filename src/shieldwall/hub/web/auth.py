"""Who is looking at a page: the session cookie, and the CSRF check for form posts."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from shieldwall.hub.auth.secrets import token_digest
from shieldwall.hub.auth.service import principal_from_session
from shieldwall.hub.deps import CSRF_COOKIE, SESSION_COOKIE, SessionDep
from shieldwall.hub.errors import AuthenticationError, PermissionDeniedError
from shieldwall.hub.permissions import Principal


class LoginRequiredError(Exception):
    """The page needs a logged-in user; the handler redirects to the login page."""

    def __init__(self, target: str) -> None:
        super().__init__("login required")
        self.target = target


@dataclass(frozen=True, slots=True)
class Viewer:
    """The logged-in user of a page, with the CSRF token its forms must carry."""

    principal: Principal
    csrf: str
    csrf_hash: str

    def check_csrf(self, presented: str) -> None:
        """Reject a form whose token is not the session's (double submit, checked by hash)."""
        if not presented or not hmac.compare_digest(token_digest(presented), self.csrf_hash):
            raise PermissionDeniedError("missing or invalid CSRF token")


def safe_next(target: str | None) -> str:
    """A local path to go back to; anything else (other hosts, ``//x``, ``\\x``) is ``/``."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    # Browsers drop tabs and newlines from URLs ("/\t/evil" becomes "//evil"), so any control
    # character or backslash disqualifies the target.
    if any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return "/"
    return target


def login_url(request: Request) -> str:
    """The login page, returning to the current page afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(safe_next(here), safe="")


def get_viewer(request: Request, session: SessionDep) -> Viewer:
    """The page's user, or a redirect to the login page."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise LoginRequiredError(login_url(request))
    try:
        principal, web_session = principal_from_session(session, cookie)
    except AuthenticationError:
        raise LoginRequiredError(login_url(request)) from None
    return Viewer(principal, request.cookies.get(CSRF_COOKIE, ""), web_session.csrf_hash)


ViewerDep = Annotated[Viewer, Depends(get_viewer)]
