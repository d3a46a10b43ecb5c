"""The shop on Django (WSGI): holes in ``vulnerable`` (DEBUG = True too), closed in ``fixed``.

Django's settings are process-wide, so the factories reset the shop's state and flip the settings;
one twin is used at a time.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="shop-test-key-not-secret",
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["testserver"],
        MIDDLEWARE=[f"{__name__}.headers"],
        INSTALLED_APPS=[],
        USE_TZ=True,
        LOGGING_CONFIG=None,  # keep Django's error log out of the test output
    )
    django.setup()

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from tests.qa.apps.shop_openapi import OPENAPI, USERS

STATE: dict[str, Any] = {"secure": True, "sessions": {}, "orders": {}}


def headers(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Middleware: the security headers, in the fixed twin only."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if STATE["secure"]:
            response["X-Content-Type-Options"] = "nosniff"
            response["Content-Security-Policy"] = "default-src 'self'"
            response["Referrer-Policy"] = "no-referrer"
        return response

    return middleware


def _user(request: HttpRequest) -> str | None:
    return STATE["sessions"].get(request.COOKIES.get("sid", ""))  # type: ignore[no-any-return]


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _refused() -> JsonResponse:
    return JsonResponse({"error": "login required"}, status=401)


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<h1>shop</h1>")


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(OPENAPI)


def login(request: HttpRequest) -> JsonResponse:
    body = _body(request)
    name = body.get("user", "")
    if not name or USERS.get(name, ("", ""))[0] != body.get("password"):
        return JsonResponse({"error": "bad credentials"}, status=401)
    sid = secrets.token_hex(16)
    STATE["sessions"][sid] = name
    response = JsonResponse({"ok": True})
    if STATE["secure"]:
        response.set_cookie("sid", sid, httponly=True, secure=True, samesite="Lax")
    else:
        response.set_cookie("sid", sid)
    return response


def admin_users(request: HttpRequest) -> JsonResponse:
    name = _user(request)
    if name is None:
        return _refused()
    if STATE["secure"] and USERS[name][1] != "admin":
        return JsonResponse({"error": "forbidden"}, status=403)
    return JsonResponse(sorted(USERS), safe=False)


def export(request: HttpRequest) -> JsonResponse:
    if STATE["secure"] and _user(request) is None:
        return _refused()
    return JsonResponse({"orders": len(STATE["orders"])})


def orders(request: HttpRequest) -> JsonResponse:
    name = _user(request)
    if name is None:
        return _refused()
    if request.method == "POST":
        new_id = len(STATE["orders"]) + 1
        STATE["orders"][new_id] = {**_body(request), "id": new_id, "owner": name}
        return JsonResponse({"id": new_id}, status=201)
    mine = [o for o in STATE["orders"].values() if o["owner"] == name]
    return JsonResponse(mine, safe=False)


def order(request: HttpRequest, order_id: int) -> HttpResponse:
    name = _user(request)
    if name is None:
        return _refused()
    found = STATE["orders"].get(order_id)
    if found is None or (STATE["secure"] and found["owner"] != name):
        return JsonResponse({"error": "not found"}, status=404)
    if request.method == "PUT":
        found.update(_body(request))
    if request.method == "DELETE":
        del STATE["orders"][order_id]
        return HttpResponse(status=204)
    return JsonResponse(found)


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("database password=hunter2 rejected")


urlpatterns = [
    path("", index),
    path("health", health),
    path("openapi.json", openapi),
    path("login", login),
    path("admin/users", admin_users),
    path("reports/export", export),
    path("orders", orders),
    path("orders/<int:order_id>", order),
    path("boom", boom),
]


def _app(*, secure: bool) -> WSGIHandler:
    STATE.update(secure=secure, sessions={}, orders={})
    settings.DEBUG = not secure  # the vulnerable twin runs with Django's debug pages on
    return WSGIHandler()


def vulnerable() -> WSGIHandler:
    """The shop with its holes."""
    return _app(secure=False)


def fixed() -> WSGIHandler:
    """The fixed twin."""
    return _app(secure=True)
