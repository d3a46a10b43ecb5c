"""A small Flask shop with deliberate holes (``vulnerable``) and its fixed twin (``fixed``).

Holes: any logged-in user reaches /admin/users; orders are fetched, changed and deleted by id
without an owner check; /reports/export needs no login; errors return the traceback; no security
headers; the session cookie has no flags. /crash raises in both (an app bug, not a security hole).
"""

from __future__ import annotations

import secrets
import traceback
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from tests.qa.apps.shop_openapi import OPENAPI, USERS


def create_app(*, secure: bool, catch_errors: bool = True) -> Flask:
    """The shop; ``secure`` closes every hole; without ``catch_errors`` exceptions escape."""
    app = Flask(__name__)
    sessions: dict[str, str] = {}
    orders: dict[int, dict[str, Any]] = {}

    def user() -> str | None:
        return sessions.get(request.cookies.get("sid", ""))

    def need_login() -> tuple[Any, int] | None:
        return None if user() else (jsonify(error="login required"), 401)

    @app.after_request
    def headers(response: Any) -> Any:
        if secure:
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Content-Security-Policy"] = "default-src 'self'"
            response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def error(exc: Exception) -> Any:
        if isinstance(exc, HTTPException):
            return exc
        if secure:
            return jsonify(error="internal error"), 500
        return traceback.format_exc(), 500

    if catch_errors:
        app.register_error_handler(Exception, error)

    @app.get("/")
    def index() -> Any:
        return "<h1>shop</h1>"

    @app.get("/health")
    def health() -> Any:
        return jsonify(ok=True)

    @app.get("/openapi.json")
    def openapi() -> Any:
        return jsonify(OPENAPI)

    @app.post("/login")
    def login() -> Any:
        body = request.get_json(silent=True) or {}
        name = body.get("user", "")
        if USERS.get(name, ("", ""))[0] != body.get("password") or not name:
            return jsonify(error="bad credentials"), 401
        sid = secrets.token_hex(16)
        sessions[sid] = name
        response = jsonify(ok=True)
        if secure:
            response.set_cookie("sid", sid, httponly=True, secure=True, samesite="Lax")
        else:
            response.set_cookie("sid", sid)
        return response

    @app.get("/admin/users")
    def admin_users() -> Any:
        if (refused := need_login()) is not None:
            return refused
        if secure and USERS[user() or ""][1] != "admin":
            return jsonify(error="forbidden"), 403
        return jsonify(sorted(USERS))

    @app.get("/reports/export")
    def export() -> Any:
        if secure and (refused := need_login()) is not None:
            return refused
        return jsonify(orders=len(orders))

    @app.route("/orders", methods=["GET", "POST"])
    def order_list() -> Any:
        if (refused := need_login()) is not None:
            return refused
        if request.method == "POST":
            new_id = len(orders) + 1
            orders[new_id] = {
                "id": new_id,
                "owner": user(),
                **(request.get_json(silent=True) or {}),
            }
            return jsonify(id=new_id), 201
        return jsonify([o for o in orders.values() if o["owner"] == user()])

    @app.route("/orders/<int:order_id>", methods=["GET", "PUT", "DELETE"])
    def order(order_id: int) -> Any:
        if (refused := need_login()) is not None:
            return refused
        found = orders.get(order_id)
        if found is None or (secure and found["owner"] != user()):
            return jsonify(error="not found"), 404
        if request.method == "PUT":
            found.update(request.get_json(silent=True) or {})
        if request.method == "DELETE":
            del orders[order_id]
            return "", 204
        return jsonify(found)

    @app.get("/boom")
    def boom() -> Any:
        raise RuntimeError("database password=hunter2 rejected")

    return app


def vulnerable() -> Flask:
    """The shop with its holes."""
    return create_app(secure=False)


def fixed() -> Flask:
    """The fixed twin."""
    return create_app(secure=True)


def crashing() -> Flask:
    """The shop in Flask's testing mode: exceptions propagate out of the app."""
    app = create_app(secure=True, catch_errors=False)
    app.config["PROPAGATE_EXCEPTIONS"] = True
    return app
