"""Browser-session helpers for the page tests: log in through the real login form."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import select

from shieldwall.hub.auth.service import create_user
from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import Project
from shieldwall.hub.enums import Role
from shieldwall.hub.projects.service import set_member
from tests.hub.conftest import PASSWORD, World, build_world, data

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


SECRET_KEY = "test-secret-key-for-sealing"  # shieldwall: ignore[SW-PY-051] a test-only sealing key
HUB_URL = "http://hub.example"


def build_settings_world(db_url: str) -> Iterator[World]:
    """A hub with a fixed sealing key and public URL (nothing written to the home directory)."""
    yield from build_world(db_url, secret_key=SECRET_KEY, public_url=HUB_URL, periodic_seconds=0)


@pytest.fixture
def sworld(db_url: str) -> Iterator[World]:
    """The standard world, with settings fit for stored secrets."""
    yield from build_settings_world(db_url)


def bandit_subset(keep: int) -> bytes:
    """The bandit fixture with only its first ``keep`` results (a later scan that fixed some)."""
    doc = json.loads(data("bandit.json"))
    doc["results"] = doc["results"][:keep]
    return json.dumps(doc).encode()


def wait_jobs(world: World) -> None:
    """Wait for the in-process runner's background work (notifications, tickets)."""
    world.client.app.state.hub.jobs.drain()  # type: ignore[attr-defined]


class Receiver:
    """A stdlib HTTP server that records requests and answers with scripted statuses."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                receiver.requests.append((self.path, dict(self.headers), body))
                code = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(code)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                del format, args

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


class Mailbox:
    """aiosmtpd handler keeping what it receives; can refuse with a scripted code."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse: str | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        del server, session
        if self.refuse:
            return self.refuse
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()
