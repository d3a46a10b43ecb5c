"""The larger fixed documents of the vulnerable app: its index page and its OpenAPI document."""

from __future__ import annotations

from typing import Any

_LINKS = [
    "/xss/reflect?q=hello",
    "/xss/safe?q=hello",
    "/xss/attr?q=hello",
    "/xss/attr-safe?q=hello",
    "/guestbook",
    "/guestbook-safe",
    "/feedback",
    "/feedback/wall",
    "/sqli/item?id=1",
    "/sqli/item-safe?id=1",
    "/sqli/blind?name=apple",
    "/sqli/blind-safe?name=apple",
    "/sqli/time?id=1",
    "/sqli/time-safe?id=1",
    "/ping?host=127.0.0.1",
    "/ping-safe?host=127.0.0.1",
    "/file?name=readme.txt",
    "/file-safe?name=readme.txt",
    "/redirect?next=/",
    "/redirect-safe?next=/",
    "/hello?name=world",
    "/hello-safe?name=world",
    "/headers/none",
    "/headers/weak-csp",
    "/cookie/bad",
    "/cookie/good",
    "/api/cors-bad",
    "/api/cors-wildcard",
    "/api/cors-good",
    "/debug/crash",
    "/debug/handled",
    "/powered",
    "/static/",
    "/assets/",
    "/login",
    "/register",
    "/account",
    "/transfer",
    "/transfer-safe",
    "/profile?api_key=sk_live_4f9a8b7c6d5e4f3a2b1c",
    "/profile?page=2",
    "/fetch?url=http://127.0.0.1:9/feed",
    "/fetch-safe?url=http://127.0.0.1:9/feed",
    "/logout",
]

_SCRIPT = """
<script src="/app.js"></script>
<script>
  function search() { fetch("/api/js-only?q=" + encodeURIComponent(term)); }
  function go() { window.location = "/js-page"; }
</script>
"""


def index_page(external_url: str) -> str:
    """The home page: every route, a logout link, an off-scope link and JavaScript navigation."""
    from tests.servers.vulnapp.extra import EXTRA_LINKS, EXTRA_SCRIPTS

    links = "".join(f'<li><a href="{link}">{link}</a></li>' for link in _LINKS + EXTRA_LINKS)
    external = f'<li><a href="{external_url}/stolen">partner</a></li>' if external_url else ""
    return f"<h1>Vulnerable shop</h1><ul>{links}{external}</ul>{_SCRIPT}{EXTRA_SCRIPTS}"


def _get(path: str, param: str, example: str) -> dict[str, Any]:
    return {
        "get": {
            "operationId": path.strip("/").replace("/", "_").replace("-", "_"),
            "parameters": [
                {
                    "name": param,
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string"},
                    "example": example,
                }
            ],
            "responses": {"200": {"description": "ok"}},
        }
    }


def _xml_post() -> dict[str, Any]:
    body = {"content": {"application/xml": {"example": "<order><item>apple</item></order>"}}}
    return {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}}


def openapi_document() -> dict[str, Any]:
    """An OpenAPI 3 document: the only way to learn of the ``/api/users`` routes."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "vulnapp", "version": "1"},
        "paths": {
            "/api/users": _get("/api/users", "name", "apple"),
            "/api/users-safe": _get("/api/users-safe", "name", "apple"),
            "/api/xml": _xml_post(),
            "/api/xml-safe": _xml_post(),
        },
    }
