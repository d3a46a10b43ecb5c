"""A real HTTP server on 127.0.0.1 speaking the issue endpoints of GitHub, GitLab and Jira.

GitHub REST: ``POST /repos/{o}/{r}/issues`` (201, ``number``/``html_url``/``state``), ``GET`` and
``PATCH /repos/{o}/{r}/issues/{n}``, ``POST /repos/{o}/{r}/issues/{n}/comments``; ``Authorization:
Bearer``. GitLab v4: ``POST /api/v4/projects/:id/issues`` (``iid``/``web_url``/``state`` opened),
``GET``/``PUT /api/v4/projects/:id/issues/:iid`` (``state_event=close``), ``POST .../notes``;
``PRIVATE-TOKEN``. Jira v2: ``POST /rest/api/2/issue`` (``id``/``key``/``self``), ``GET
/rest/api/2/issue/{key}`` (``fields.status.statusCategory.key``), ``POST .../comment``, ``GET``/
``POST .../transitions`` (204); basic auth or bearer. Every request is recorded with its headers.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

TOKEN = "tracker-test-token"
JIRA_USER = "bot@example.org"

_GH_ISSUES = re.compile(r"^/repos/([^/]+)/([^/]+)/issues$")
_GH_ISSUE = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/(\d+)$")
_GH_COMMENTS = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/(\d+)/comments$")
_GL_ISSUES = re.compile(r"^/api/v4/projects/([^/]+)/issues$")
_GL_ISSUE = re.compile(r"^/api/v4/projects/([^/]+)/issues/(\d+)$")
_GL_NOTES = re.compile(r"^/api/v4/projects/([^/]+)/issues/(\d+)/notes$")
_JIRA_CREATE = re.compile(r"^/rest/api/2/issue$")
_JIRA_ISSUE = re.compile(r"^/rest/api/2/issue/([A-Z][A-Z0-9]*-\d+)$")
_JIRA_SUB = re.compile(r"^/rest/api/2/issue/([A-Z][A-Z0-9]*-\d+)/(comment|transitions)$")


@dataclass
class Request:
    """One request as the tracker saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Trackers:
    """Issues per (kind, project), keyed by number/iid/key."""

    issues: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    base_url: str = ""
    fail_with: int | None = None
    counter: int = 0

    def project(self, kind: str, name: str) -> dict[str, dict[str, Any]]:
        return self.issues.setdefault((kind, name), {})

    def close_remote(self, kind: str, name: str, number: str) -> None:
        """Close a ticket as a person in the tracker would."""
        issue = self.project(kind, name)[number]
        if kind == "jira":
            issue["status"] = "done"
        else:
            issue["state"] = "closed"


def _handler(trackers: Trackers) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def _send(self, status: int, payload: Any = None) -> None:
            body = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _authorised(self, kind: str) -> bool:
            if kind == "gitlab":
                return self.headers.get("PRIVATE-TOKEN") == TOKEN
            auth = self.headers.get("Authorization") or ""
            if kind == "jira" and auth.startswith("Basic "):
                return base64.b64decode(auth[6:]).decode() == f"{JIRA_USER}:{TOKEN}"
            return auth == f"Bearer {TOKEN}"

        def _route(self, method: str) -> None:
            path = urlsplit(self.path).path
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            trackers.requests.append(Request(method, self.path, dict(self.headers), body))
            kind = (
                "gitlab"
                if path.startswith("/api/v4/")
                else "jira"
                if path.startswith("/rest/api/2/")
                else "github"
            )
            if trackers.fail_with is not None:
                self._send(trackers.fail_with, {"message": "scripted failure"})
                return
            if not self._authorised(kind):
                self._send(401, {"message": "Bad credentials"})
                return
            handler = getattr(self, f"_{kind}")
            if not handler(method, path, body):
                self._send(404, {"message": "Not Found"})

        def _github(self, method: str, path: str, body: Any) -> bool:
            base = trackers.base_url
            if (m := _GH_ISSUES.match(path)) and method == "POST":
                if not body.get("title"):
                    self._send(422, {"message": "Validation Failed"})
                    return True
                issues = trackers.project("github", f"{m[1]}/{m[2]}")
                number = str(len(issues) + 1)
                issues[number] = {
                    "number": int(number),
                    "title": body["title"],
                    "body": body.get("body"),
                    "labels": [{"name": n} for n in body.get("labels", [])],
                    "state": "open",
                    "comments": [],
                    "html_url": f"{base}/{m[1]}/{m[2]}/issues/{number}",
                }
                self._send(201, issues[number])
                return True
            if m := _GH_ISSUE.match(path):
                issue = trackers.project("github", f"{m[1]}/{m[2]}").get(m[3])
                if issue is None:
                    return False
                if method == "PATCH":
                    issue.update({k: v for k, v in body.items() if k in ("state", "state_reason")})
                self._send(200, issue)
                return True
            if (m := _GH_COMMENTS.match(path)) and method == "POST":
                issue = trackers.project("github", f"{m[1]}/{m[2]}").get(m[3])
                if issue is None:
                    return False
                issue["comments"].append(body["body"])
                self._send(201, {"id": len(issue["comments"]), "body": body["body"]})
                return True
            return False

        def _gitlab(self, method: str, path: str, body: Any) -> bool:
            base = trackers.base_url
            if (m := _GL_ISSUES.match(path)) and method == "POST":
                project = unquote(m[1])
                issues = trackers.project("gitlab", project)
                iid = str(len(issues) + 1)
                trackers.counter += 1
                issues[iid] = {
                    "id": 9000 + trackers.counter,
                    "iid": int(iid),
                    "title": body["title"],
                    "description": body.get("description"),
                    "labels": [x for x in str(body.get("labels", "")).split(",") if x],
                    "state": "opened",
                    "notes": [],
                    "web_url": f"{base}/{project}/-/issues/{iid}",
                }
                self._send(201, issues[iid])
                return True
            if m := _GL_ISSUE.match(path):
                issue = trackers.project("gitlab", unquote(m[1])).get(m[2])
                if issue is None:
                    return False
                if method == "PUT" and body.get("state_event") == "close":
                    issue["state"] = "closed"
                self._send(200, issue)
                return True
            if (m := _GL_NOTES.match(path)) and method == "POST":
                issue = trackers.project("gitlab", unquote(m[1])).get(m[2])
                if issue is None:
                    return False
                issue["notes"].append(body["body"])
                self._send(201, {"id": len(issue["notes"]), "body": body["body"]})
                return True
            return False

        def _jira(self, method: str, path: str, body: Any) -> bool:
            base = trackers.base_url
            if _JIRA_CREATE.match(path) and method == "POST":
                fields = body["fields"]
                key_prefix = fields["project"]["key"]
                if "\n" in fields["summary"] or len(fields["summary"]) > 255:
                    self._send(400, {"errors": {"summary": "bad summary"}})
                    return True
                issues = trackers.project("jira", key_prefix)
                trackers.counter += 1
                key = f"{key_prefix}-{len(issues) + 1}"
                issues[key] = {"fields": fields, "status": "new", "comments": []}
                self._send(
                    201,
                    {
                        "id": str(10000 + trackers.counter),
                        "key": key,
                        "self": f"{base}{path}/{key}",
                    },
                )
                return True
            if (m := _JIRA_ISSUE.match(path)) and method == "GET":
                issue = trackers.project("jira", m[1].split("-")[0]).get(m[1])
                if issue is None:
                    return False
                category = "done" if issue["status"] == "done" else "new"
                self._send(
                    200,
                    {"key": m[1], "fields": {"status": {"statusCategory": {"key": category}}}},
                )
                return True
            if m := _JIRA_SUB.match(path):
                issue = trackers.project("jira", m[1].split("-")[0]).get(m[1])
                if issue is None:
                    return False
                if m[2] == "comment" and method == "POST":
                    issue["comments"].append(body["body"])
                    self._send(201, {"id": str(len(issue["comments"])), "body": body["body"]})
                    return True
                if m[2] == "transitions" and method == "GET":
                    self._send(
                        200,
                        {
                            "transitions": [
                                {"id": "11", "to": {"statusCategory": {"key": "indeterminate"}}},
                                {"id": "31", "to": {"statusCategory": {"key": "done"}}},
                            ]
                        },
                    )
                    return True
                if m[2] == "transitions" and method == "POST":
                    if body["transition"]["id"] == "31":
                        issue["status"] = "done"
                    self._send(204)
                    return True
            return False

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

        def do_PATCH(self) -> None:
            self._route("PATCH")

        def do_PUT(self) -> None:
            self._route("PUT")

    return Handler


@contextmanager
def serve_trackers() -> Iterator[Trackers]:
    """Run the fake trackers on an ephemeral port for the duration of the block."""
    trackers = Trackers()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(trackers))
    trackers.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield trackers
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
