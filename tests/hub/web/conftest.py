"""Browser-session helpers for the page tests: log in through the real login form."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from shieldwall.hub.auth.service import create_user
from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import Project
from shieldwall.hub.enums import Role
from shieldwall.hub.projects.service import set_member
from tests.hub.conftest import PASSWORD, World

XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = _CSRF.search(html)
    assert match, "no csrf field on the page"
    return match.group(1)


def browser(world: World, role: Role | None, *, name: str | None = None) -> TestClient:
    """A new client logged in through ``/login`` as a user with ``role`` on project 'shop'."""
    username = name or f"web-{role.value if role else 'outsider'}"
    with transaction(world.sessions) as session:
        create_user(session, username, PASSWORD, None, "test")
        if role is not None:
            shop = session.scalars(select(Project).where(Project.name == "shop")).one()
            set_member(session, shop, username, role, "test")
    client = TestClient(world.client.app)
    form = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORD,
            "csrf_token": csrf_of(form.text),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def sarif(results: list[dict[str, object]], rules: list[dict[str, object]] | None = None) -> bytes:
    """A minimal SARIF 2.1.0 document."""
    doc = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "evil-scanner", "rules": rules or []}},
                "results": results,
            }
        ],
    }
    return json.dumps(doc).encode()


def result(
    rule: str, message: str, path: str, snippet: str, level: str = "error"
) -> dict[str, object]:
    """A SARIF result with a region and snippet."""
    return {
        "ruleId": rule,
        "level": level,
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": path},
                    "region": {"startLine": 3, "snippet": {"text": snippet}},
                }
            }
        ],
    }


def upload(world: World, body: bytes, project: str = "shop", branch: str = "main") -> None:
    """Upload a report through the API as the project's developer."""
    response = world.client.post(
        f"/api/v1/projects/{project}/scans?branch={branch}",
        content=body,
        headers=world.auth("developer"),
    )
    assert response.status_code == 201, response.text
