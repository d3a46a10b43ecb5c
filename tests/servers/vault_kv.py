"""A Vault-KV-v2-compatible HTTP server on 127.0.0.1, for hvac-based tests.

No Vault or OpenBao build is installable here (neither PyPI nor Debian has one), so this speaks the
subset of the KV v2 HTTP API that hvac's ``secrets.kv.v2`` uses, with Vault's response shapes and
status codes: read (``?version=``), write, ``LIST`` on metadata, read metadata, delete latest,
delete versions; token auth (``X-Vault-Token``) with per-token path prefixes (403 otherwise);
AppRole login; ``sealed`` answers 503 like a sealed Vault.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "123Z"


@dataclass
class KvState:
    """Secrets, tokens and switches of the fake server."""

    mount: str = "secret"
    tokens: dict[str, tuple[str, ...]] = field(default_factory=lambda: {"root-token": ("",)})
    sealed: bool = False
    approles: dict[tuple[str, str], str] = field(default_factory=dict)  # (role, secret) -> token
    secrets: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""


def _handler(state: KvState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def _send(self, status: int, body: dict[str, Any] | None = None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _route(self) -> tuple[str, str, dict[str, list[str]]] | None:
            if state.sealed:
                self._send(503, {"errors": ["Vault is sealed"]})
                return None
            parts = urlsplit(self.path)
            prefix = f"/v1/{state.mount}/"
            if not parts.path.startswith(prefix):
                self._send(404, {"errors": ["no handler for route"]})
                return None
            kind, _, path = parts.path[len(prefix) :].partition("/")
            allowed = state.tokens.get(self.headers.get("X-Vault-Token", ""))
            if allowed is None or not any(path.startswith(p) for p in allowed):
                self._send(403, {"errors": ["permission denied"]})
                return None
            return kind, path.strip("/"), parse_qs(parts.query)

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")  # type: ignore[no-any-return]

        def do_GET(self) -> None:
            route = self._route()
            if route is None:
                return
            kind, path, query = route
            with state.lock:
                secret = state.secrets.get(path)
                if kind == "metadata" and query.get("list"):
                    return self._list(path)
                if secret is None:
                    return self._send(404, {"errors": []})
                if kind == "metadata":
                    return self._send(200, {"data": _metadata(secret)})
                number = int(query.get("version", ["0"])[0]) or secret["current"]
                version = secret["versions"].get(number)
                if version is None:
                    return self._send(404, {"errors": []})
                meta = {k: v for k, v in version.items() if k != "data"} | {"version": number}
                if version["deletion_time"] or version["destroyed"]:
                    return self._send(404, {"data": {"data": None, "metadata": meta}})
                return self._send(200, {"data": {"data": version["data"], "metadata": meta}})

        def do_LIST(self) -> None:
            route = self._route()
            if route is not None:
                with state.lock:
                    self._list(route[1])

        def _list(self, folder: str) -> None:
            base = f"{folder}/" if folder else ""
            keys = set()
            for path in state.secrets:
                if path.startswith(base):
                    head, sep, _ = path[len(base) :].partition("/")
                    keys.add(head + sep)
            if not keys:
                return self._send(404, {"errors": []})
            return self._send(200, {"data": {"keys": sorted(keys)}})

        def do_POST(self) -> None:
            if self.path == "/v1/auth/approle/login" and not state.sealed:
                body = self._body()
                token = state.approles.get((body.get("role_id"), body.get("secret_id")))
                if token is None:
                    return self._send(400, {"errors": ["invalid role or secret ID"]})
                return self._send(200, {"auth": {"client_token": token, "lease_duration": 3600}})
            route = self._route()
            if route is None:
                return
            kind, path, _ = route
            body = self._body()
            with state.lock:
                if kind == "data":
                    now = _now()
                    secret = state.secrets.setdefault(
                        path, {"current": 0, "versions": {}, "created_time": now}
                    )
                    secret["current"] += 1
                    secret["updated_time"] = now
                    version = {"created_time": now, "deletion_time": "", "destroyed": False}
                    secret["versions"][secret["current"]] = {**version, "data": body["data"]}
                    return self._send(200, {"data": {**version, "version": secret["current"]}})
                if kind == "delete" and path in state.secrets:
                    for number in body.get("versions", []):
                        state.secrets[path]["versions"][int(number)]["deletion_time"] = _now()
                    return self._send(204)
                return self._send(404, {"errors": []})

        def do_DELETE(self) -> None:
            route = self._route()
            if route is None:
                return
            kind, path, _ = route
            with state.lock:
                secret = state.secrets.get(path)
                if kind != "data" or secret is None:
                    return self._send(404, {"errors": []})
                secret["versions"][secret["current"]]["deletion_time"] = _now()
                return self._send(204)

    return Handler


def _metadata(secret: dict[str, Any]) -> dict[str, Any]:
    versions = {
        str(n): {k: v for k, v in info.items() if k != "data"}
        for n, info in secret["versions"].items()
    }
    return {
        "created_time": secret["created_time"],
        "updated_time": secret["updated_time"],
        "current_version": secret["current"],
        "versions": versions,
    }


@contextmanager
def vault_kv_server(state: KvState | None = None) -> Iterator[KvState]:
    """Serve ``state`` on a free port of 127.0.0.1; ``state.url`` is the base URL."""
    state = state or KvState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
