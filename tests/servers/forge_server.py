"""A real HTTP server on 127.0.0.1 speaking the GitHub and GitLab comment APIs we use.

GitHub (REST, issue comments): ``GET/POST /repos/{owner}/{repo}/issues/{n}/comments`` (paged with
``per_page``/``page``), ``PATCH /repos/{owner}/{repo}/issues/comments/{id}``; ``Authorization:
Bearer``; 201 on create, 200 on update. GitLab (v4, merge request notes): ``GET/POST
/api/v4/projects/{id}/merge_requests/{iid}/notes``, ``PUT .../notes/{note_id}``; ``PRIVATE-TOKEN``.
``mode`` makes it misbehave: ``ratelimit`` (GitHub's 403 with ``x-ratelimit-remaining: 0``, GitLab's
429 with ``Retry-After``) or ``error`` (HTTP 500).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

TOKEN = "forge-test-token"

_GH_LIST = re.compile(r"^/repos/([^/]+/[^/]+)/issues/(\d+)/comments$")
_GH_ITEM = re.compile(r"^/repos/([^/]+/[^/]+)/issues/comments/(\d+)$")
_GL_LIST = re.compile(r"^/api/v4/projects/([^/]+)/merge_requests/(\d+)/notes$")
_GL_ITEM = re.compile(r"^/api/v4/projects/([^/]+)/merge_requests/(\d+)/notes/(\d+)$")


@dataclass
class Forge:
    """The comments the forge holds, keyed by (project, number), and the requests it saw."""

    comments: dict[tuple[str, int], list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    mode: str = ""
    next_id: int = 1000
    base_url: str = ""

    def add(self, project: str, number: int, body: str) -> int:
        self.next_id += 1
        self.comments.setdefault((project, number), []).append({"id": self.next_id, "body": body})
        return self.next_id


def _handler(forge: Forge) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _gate(self, gitlab: bool) -> bool:
            """Auth and fault injection; True when the request may proceed."""
            if forge.mode == "ratelimit":
                if gitlab:
                    self._send(429, {"message": "429 Too Many Requests"}, {"Retry-After": "60"})
                else:
                    self._send(
                        403,
                        {"message": "API rate limit exceeded"},
                        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000"},
                    )
                return False
            if forge.mode == "error":
                self._send(500, {"message": "boom"})
                return False
            token = (
                self.headers.get("PRIVATE-TOKEN")
                if gitlab
                else (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            )
            if token != TOKEN:
                self._send(401, {"message": "401 Unauthorized"})
                return False
            return True

        def _body(self) -> str:
            length = int(self.headers.get("Content-Length") or 0)
            return str(json.loads(self.rfile.read(length))["body"])

        def _route(self, method: str) -> None:
            url = urlsplit(self.path)
            path = url.path
            forge.requests.append((method, self.path))
            gitlab = path.startswith("/api/v4/")
            if not self._gate(gitlab):
                return
            if (m := _GH_LIST.match(path) or _GL_LIST.match(path)) is not None:
                key = (unquote(m.group(1)), int(m.group(2)))
                if method == "GET":
                    query = parse_qs(url.query)
                    per_page = int(query.get("per_page", ["30"])[0])
                    page = int(query.get("page", ["1"])[0])
                    items = forge.comments.get(key, [])
                    self._send(200, items[(page - 1) * per_page : page * per_page])
                    return
                if method == "POST":
                    new_id = forge.add(key[0], key[1], self._body())
                    self._send(201, {"id": new_id, "body": forge.comments[key][-1]["body"]})
                    return
            if method == "PATCH" and (m := _GH_ITEM.match(path)) is not None:
                self._update(unquote(m.group(1)), None, int(m.group(2)))
                return
            if method == "PUT" and (m := _GL_ITEM.match(path)) is not None:
                self._update(unquote(m.group(1)), int(m.group(2)), int(m.group(3)))
                return
            self._send(404, {"message": "Not Found"})

        def _update(self, project: str, number: int | None, comment_id: int) -> None:
            body = self._body()
            for (proj, num), items in forge.comments.items():
                if proj != project or (number is not None and num != number):
                    continue
                for item in items:
                    if item["id"] == comment_id:
                        item["body"] = body
                        self._send(200, item)
                        return
            self._send(404, {"message": "Not Found"})

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
def serve_forge(forge: Forge | None = None) -> Iterator[Forge]:
    """Run the fake forge on an ephemeral port for the duration of the block."""
    forge = forge or Forge()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(forge))
    forge.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield forge
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
