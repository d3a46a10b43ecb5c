"""A Kubernetes API server on 127.0.0.1 that answers TokenReviews, for Kubernetes auth tests.

``POST /apis/authentication.k8s.io/v1/tokenreviews`` as the real API server does: the caller
must present the reviewer token (401 otherwise); a known service-account JWT is authenticated as
``system:serviceaccount:<namespace>:<name>``, anything else answers ``authenticated: false``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class K8sState:
    """Known JWTs (jwt -> (namespace, service account)) and the reviewer token."""

    reviewer: str = "reviewer-jwt"
    accounts: dict[str, tuple[str, str]] = field(default_factory=dict)
    reviews: int = 0
    url: str = ""


def _handler(state: K8sState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if self.path != "/apis/authentication.k8s.io/v1/tokenreviews":
                self._send(404, {"kind": "Status", "code": 404})
                return
            if self.headers.get("Authorization") != f"Bearer {state.reviewer}":
                self._send(401, {"kind": "Status", "code": 401, "reason": "Unauthorized"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            review = json.loads(self.rfile.read(length) or b"{}")
            state.reviews += 1
            token = review.get("spec", {}).get("token", "")
            found = state.accounts.get(token)
            status: dict[str, Any] = {"authenticated": False}
            if found is not None:
                namespace, name = found
                status = {
                    "authenticated": True,
                    "user": {
                        "username": f"system:serviceaccount:{namespace}:{name}",
                        "groups": ["system:serviceaccounts", f"system:serviceaccounts:{namespace}"],
                    },
                }
            self._send(201, {**review, "status": status})

    return Handler


@contextmanager
def k8s_api_server() -> Iterator[K8sState]:
    """Serve on a free port until the block ends."""
    state = K8sState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
