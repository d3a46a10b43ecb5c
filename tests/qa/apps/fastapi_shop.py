"""The same shop on FastAPI (ASGI): deliberate holes in ``vulnerable``, closed in ``fixed``.

Its OpenAPI document is FastAPI's own; public operations say so with ``security: []``.
"""

from __future__ import annotations

import secrets
import traceback
from typing import Annotated, Any

from fastapi import Cookie, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

USERS = {"alice": ("a-pass", "user"), "bob": ("b-pass", "user"), "root": ("r-pass", "admin")}
PUBLIC: dict[str, Any] = {"security": []}
SidCookie = Annotated[str | None, Cookie()]


def create_app(*, secure: bool) -> FastAPI:
    """The shop; ``secure`` closes every hole."""
    app = FastAPI()
    sessions: dict[str, str] = {}
    orders: dict[int, dict[str, Any]] = {}

    def current(sid: str | None) -> str:
        name = sessions.get(sid or "")
        if name is None:
            raise HTTPException(401, "login required")
        return name

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Any:
        try:
            response = await call_next(request)
        except Exception:
            if secure:
                response = JSONResponse({"error": "internal error"}, status_code=500)
            else:
                response = PlainTextResponse(traceback.format_exc(), status_code=500)
        if secure:
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Content-Security-Policy"] = "default-src 'self'"
            response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.get("/", openapi_extra=PUBLIC)
    def index() -> dict[str, str]:
        return {"shop": "welcome"}

    @app.get("/health", openapi_extra=PUBLIC)
    def health() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/login", openapi_extra=PUBLIC)
    def login(body: dict[str, str], response: Response) -> dict[str, Any]:
        name = body.get("user", "")
        if not name or USERS.get(name, ("", ""))[0] != body.get("password"):
            raise HTTPException(401, "bad credentials")
        sid = secrets.token_hex(16)
        sessions[sid] = name
        if secure:
            response.set_cookie("sid", sid, httponly=True, secure=True, samesite="lax")
        else:
            response.set_cookie("sid", sid, samesite=None)  # type: ignore[arg-type]
        return {"ok": True, "token": sid}

    @app.get("/admin/users")
    def admin_users(sid: SidCookie = None) -> list[str]:
        name = current(sid)
        if secure and USERS[name][1] != "admin":
            raise HTTPException(403, "forbidden")
        return sorted(USERS)

    @app.get("/reports/export")
    def export(sid: SidCookie = None) -> dict[str, int]:
        if secure:
            current(sid)
        return {"orders": len(orders)}

    @app.get("/orders")
    def list_orders(sid: SidCookie = None) -> list[dict[str, Any]]:
        name = current(sid)
        return [o for o in orders.values() if o["owner"] == name]

    @app.post("/orders", status_code=201)
    def create_order(body: dict[str, Any], sid: SidCookie = None) -> dict[str, int]:
        name = current(sid)
        new_id = len(orders) + 1
        orders[new_id] = {**body, "id": new_id, "owner": name}
        return {"id": new_id}

    def owned(order_id: int, sid: str | None) -> dict[str, Any]:
        name = current(sid)
        found = orders.get(order_id)
        if found is None or (secure and found["owner"] != name):
            raise HTTPException(404, "not found")
        return found

    @app.get("/orders/{order_id}")
    def get_order(order_id: int, sid: SidCookie = None) -> dict[str, Any]:
        return owned(order_id, sid)

    @app.put("/orders/{order_id}")
    def put_order(order_id: int, body: dict[str, Any], sid: SidCookie = None) -> dict[str, Any]:
        found = owned(order_id, sid)
        found.update(body)
        return found

    @app.delete("/orders/{order_id}", status_code=204)
    def delete_order(order_id: int, sid: SidCookie = None) -> None:
        owned(order_id, sid)
        del orders[order_id]

    @app.get("/boom", openapi_extra=PUBLIC)
    def boom() -> None:
        raise RuntimeError("database password=hunter2 rejected")

    return app


def vulnerable() -> FastAPI:
    """The shop with its holes."""
    return create_app(secure=False)


def fixed() -> FastAPI:
    """The fixed twin."""
    return create_app(secure=True)
