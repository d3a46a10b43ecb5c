"""The routes of the vulnerable app: one per vulnerability class, each with a safe twin.

This file is deliberately insecure (SQL built by concatenation, a shell command built from input,
templates built from input, unescaped reflections). It only ever listens on 127.0.0.1 in tests.
"""

from __future__ import annotations

import asyncio
import html
import io
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
import xml.sax
import xml.sax.handler
from pathlib import Path
from urllib.parse import urlsplit

from jinja2.sandbox import SandboxedEnvironment
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from tests.servers.vulnapp.expected import EXPECTED
from tests.servers.vulnapp.pages import index_page, openapi_document

SAFE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
SESSION = "auth"

__all__ = ["EXPECTED", "create_app"]


def page(body: str, *, status: int = 200, secure: bool = True) -> HTMLResponse:
    """An HTML page, with every security header unless ``secure`` is false."""
    headers = SAFE_HEADERS if secure else {}
    # shieldwall: ignore[SW-PY-007] DAST test target, flawed on purpose
    return HTMLResponse(f"<html><body>{body}</body></html>", status, headers=dict(headers))


def text(body: str, status: int = 200) -> PlainTextResponse:
    """A plain-text answer (never rendered as HTML by a browser with nosniff)."""
    return PlainTextResponse(body, status, headers={"X-Content-Type-Options": "nosniff"})


def _database() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price INTEGER)")
    db.executemany("INSERT INTO items VALUES (?, ?, ?)", [(1, "apple", 3), (2, "pear", 4)])
    return db


def create_app(external_url: str = "") -> Recording:
    """The app; ``app.hits`` records every request (method and path), for the safety tests."""
    db = _database()
    files = Path(tempfile.mkdtemp(prefix="vulnapp-"))
    (files / "readme.txt").write_text("just a readme\n")
    hits: list[str] = []
    jinja = SandboxedEnvironment()
    session = {"value": "s3ss10n-1"}  # /account/rotate ends every session (server-side)

    async def index(request: Request) -> HTMLResponse:
        return page(index_page(external_url))

    async def app_js(request: Request) -> PlainTextResponse:
        js = 'function load() { axios.get("/api/from-linked-js?q=1").then(show); }\n'
        return PlainTextResponse(js, headers={"Content-Type": "application/javascript"})

    async def robots(request: Request) -> PlainTextResponse:
        return text("User-agent: *\nDisallow: /robots-only/\nDisallow: /logout\n")

    async def sitemap(request: Request) -> PlainTextResponse:
        base = str(request.base_url).rstrip("/")
        xml = (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{base}/from-sitemap?q=a</loc></url></urlset>"
        )
        return PlainTextResponse(xml, headers={"Content-Type": "application/xml"})

    async def reflect(request: Request) -> HTMLResponse:
        # /xss/reflect, /api/js-only, /api/from-linked-js, /robots-only/search, /from-sitemap
        return page(f"<p>You searched for {request.query_params.get('q', '')}</p>")

    async def reflect_safe(request: Request) -> HTMLResponse:
        return page(f"<p>You searched for {html.escape(request.query_params.get('q', ''))}</p>")

    async def attr(request: Request) -> HTMLResponse:
        return page(f'<input name="q" value="{request.query_params.get("q", "")}">')

    async def attr_safe(request: Request) -> HTMLResponse:
        value = html.escape(request.query_params.get("q", ""), quote=True)
        return page(f'<input name="q" value="{value}">')

    def guestbook_route(safe: bool):  # type: ignore[no-untyped-def]
        guestbook: list[str] = []  # one per route: what the safe twin stores shows only there

        async def handler(request: Request) -> HTMLResponse | RedirectResponse:
            if request.method == "POST":
                form = await request.form()
                guestbook.append(str(form.get("message", "")))
                return RedirectResponse(request.url.path, 303)
            shown = [html.escape(m) if safe else m for m in guestbook]
            entries = "".join(f"<li>{m}</li>" for m in shown)
            form = (
                f'<form method="post" action="{request.url.path}">'
                '<input type="hidden" name="csrf_token" value="t0k3n">'
                '<textarea name="message"></textarea><input type="submit"></form>'
            )
            return page(f"<ul>{entries}</ul>{form}")

        return handler

    feedback: list[str] = []

    async def feedback_form(request: Request) -> HTMLResponse | RedirectResponse:
        # Stored here, shown on another page (/feedback/wall): only a sweep of all pages sees it.
        if request.method == "POST":
            feedback.append(str((await request.form()).get("comment", "")))
            return RedirectResponse("/feedback", 303)
        return page(
            '<form method="post" action="/feedback">'
            '<input type="hidden" name="csrf_token" value="t0k3n">'
            '<input name="comment"><input type="submit"></form>'
        )

    async def feedback_wall(request: Request) -> HTMLResponse:
        return page("".join(f"<blockquote>{entry}</blockquote>" for entry in feedback))

    async def sqli_item(request: Request) -> PlainTextResponse:
        ident = request.query_params.get("id", "1")
        try:
            # shieldwall: ignore[SW-PY-001] DAST test target, flawed on purpose
            row = db.execute(f"SELECT name FROM items WHERE id = {ident}").fetchone()  # noqa: S608
        except sqlite3.Error as exc:
            return text(f"Traceback: sqlite3.OperationalError: {exc}", 500)
        return text(f"Item: {row[0]}" if row else "No such item")

    async def sqli_item_safe(request: Request) -> PlainTextResponse:
        try:
            ident = int(request.query_params.get("id", "1"))
        except ValueError:
            return text("bad id", 400)
        row = db.execute("SELECT name FROM items WHERE id = ?", (ident,)).fetchone()
        return text(f"Item: {row[0]}" if row else "No such item")

    async def sqli_blind(request: Request) -> PlainTextResponse:
        name = request.query_params.get("name", "apple")
        query = f"SELECT name, price FROM items WHERE name = '{name}'"  # noqa: S608
        try:
            # shieldwall: ignore[SW-PY-001] DAST test target, flawed on purpose
            row = db.execute(query).fetchone()
        except sqlite3.Error:
            row = None
        return text(f"Item: {row[0]}, price {row[1]}" if row else "Nothing found")

    async def sqli_blind_safe(request: Request) -> PlainTextResponse:
        name = request.query_params.get("name", "apple")
        row = db.execute("SELECT name, price FROM items WHERE name = ?", (name,)).fetchone()
        return text(f"Item: {row[0]}, price {row[1]}" if row else "Nothing found")

    def timed_lookup(query: str, params: tuple[str, ...] = ()) -> None:
        # A connection of its own, in a worker thread: a sleeping query must not stall the
        # event loop, or every other request would look slow too.
        own = _database()
        own.create_function("sleep", 1, time.sleep)
        try:
            own.execute(query, params).fetchall()
        except sqlite3.Error:
            pass  # errors are hidden: only timing tells
        finally:
            own.close()

    async def sqli_time(request: Request) -> PlainTextResponse:
        ident = request.query_params.get("id", "1")
        # shieldwall: ignore[*] DAST test target, flawed on purpose
        query = f"SELECT name FROM items WHERE id = {ident}"  # noqa: S608
        await asyncio.to_thread(timed_lookup, query)
        return text("ok")

    async def sqli_time_safe(request: Request) -> PlainTextResponse:
        ident = request.query_params.get("id", "1")
        await asyncio.to_thread(timed_lookup, "SELECT name FROM items WHERE id = ?", (ident,))
        return text("ok")

    async def api_users(request: Request) -> JSONResponse:
        name = request.query_params.get("name", "apple")
        try:
            # shieldwall: ignore[SW-PY-001] DAST test target, flawed on purpose
            rows = db.execute(f"SELECT id FROM items WHERE name = '{name}'").fetchall()  # noqa: S608
        except sqlite3.Error as exc:
            return JSONResponse({"error": f"sqlite3.OperationalError: {exc}"}, 500)
        return JSONResponse({"ids": [r[0] for r in rows]})

    async def api_users_safe(request: Request) -> JSONResponse:
        name = request.query_params.get("name", "apple")
        rows = db.execute("SELECT id FROM items WHERE name = ?", (name,)).fetchall()
        return JSONResponse({"ids": [r[0] for r in rows]})

    async def ping(request: Request) -> PlainTextResponse:
        host = request.query_params.get("host", "127.0.0.1")
        out = subprocess.run(
            ["sh", "-c", f"echo ping {host}"], capture_output=True, text=True, timeout=5
        )
        return text(out.stdout)

    async def ping_safe(request: Request) -> PlainTextResponse:
        host = request.query_params.get("host", "127.0.0.1")
        out = subprocess.run(["echo", "ping", host], capture_output=True, text=True, timeout=5)
        return text(out.stdout)

    async def read_file(request: Request) -> PlainTextResponse:
        try:
            return text((files / request.query_params.get("name", "readme.txt")).read_text())
        except (OSError, UnicodeDecodeError):
            return text("no such file", 404)

    async def read_file_safe(request: Request) -> PlainTextResponse:
        # shieldwall: ignore[SW-PY-005] DAST test target, flawed on purpose
        name = Path(request.query_params.get("name", "readme.txt")).name
        try:
            return text((files / name).read_text())
        except (OSError, UnicodeDecodeError):
            return text("no such file", 404)

    async def redirect(request: Request) -> RedirectResponse:
        # shieldwall: ignore[SW-PY-009] DAST test target, flawed on purpose
        return RedirectResponse(request.query_params.get("next", "/"), 302)

    async def redirect_safe(request: Request) -> RedirectResponse:
        target = request.query_params.get("next", "/")
        ok = target.startswith("/") and not target.startswith("//") and "\\" not in target
        # shieldwall: ignore[SW-PY-009] DAST test target, flawed on purpose
        return RedirectResponse(target if ok else "/", 302)

    async def hello(request: Request) -> PlainTextResponse:
        template = "Hello " + request.query_params.get("name", "world")
        try:
            return text(jinja.from_string(template).render())
        except Exception:
            return text("template error", 500)

    async def hello_safe(request: Request) -> PlainTextResponse:
        name = request.query_params.get("name", "world")
        return text(jinja.from_string("Hello {{ name }}").render(name=name))

    async def headers_none(request: Request) -> HTMLResponse:
        return page("<p>no security headers here</p>", secure=False)

    async def headers_weak_csp(request: Request) -> HTMLResponse:
        response = page("<p>weak policy</p>")
        response.headers["Content-Security-Policy"] = "script-src 'self' 'unsafe-inline'"
        return response

    async def cookie_bad(request: Request) -> HTMLResponse:
        response = page("<p>cookie set</p>")
        response.headers.append("Set-Cookie", "sessionid=abc123; Path=/")
        return response

    async def cookie_good(request: Request) -> HTMLResponse:
        response = page("<p>cookie set</p>")
        response.headers.append("Set-Cookie", "sessionid2=abc123; Path=/; HttpOnly; SameSite=Lax")
        return response

    async def cors_bad(request: Request) -> JSONResponse:
        origin = request.headers.get("origin", "")
        headers = {"Access-Control-Allow-Credentials": "true"}
        if origin:
            headers["Access-Control-Allow-Origin"] = origin
        return JSONResponse({"balance": 10}, headers=headers)

    async def cors_wildcard(request: Request) -> JSONResponse:
        headers = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true"}
        return JSONResponse({"balance": 10}, headers=headers)

    async def cors_good(request: Request) -> JSONResponse:
        headers = {"Access-Control-Allow-Origin": "https://trusted.example", "Vary": "Origin"}
        return JSONResponse({"balance": 10}, headers=headers)

    async def crash(request: Request) -> PlainTextResponse:
        trace = (
            "Traceback (most recent call last):\n"
            '  File "/srv/app/views.py", line 12, in crash\n'
            "    1 / 0\nZeroDivisionError: division by zero\n"
        )
        return text(trace, 500)

    async def handled(request: Request) -> PlainTextResponse:
        return text("Something went wrong; the error was logged.", 500)

    async def powered(request: Request) -> HTMLResponse:
        response = page("<p>legacy</p>")
        response.headers["X-Powered-By"] = "PHP/7.4.3"
        return response

    async def static_listing(request: Request) -> HTMLResponse:
        return page(
            "<h1>Index of /static/</h1><ul><li><a href='../'>Parent Directory</a></li>"
            "<li><a href='style.css'>style.css</a></li></ul>"
        )

    async def assets(request: Request) -> HTMLResponse:
        return page("<h1>Assets</h1><p>Our brand assets are on request.</p>")

    async def git_head(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ref: refs/heads/main\n")

    async def soft_404(request: Request) -> HTMLResponse:
        # /.env answers 200 with an HTML "not found" page: a signature check must not fire.
        return page("<h1>Page not found</h1>")

    async def login(request: Request) -> HTMLResponse | RedirectResponse:
        if request.method == "POST":
            form = await request.form()
            if form.get("username") == "admin" and form.get("password") == "admin":
                response = RedirectResponse("/account", 303)
                # shieldwall: ignore[SW-PY-033] DAST test target, flawed on purpose
                response.set_cookie(SESSION, session["value"], httponly=True, samesite="lax")
                return response
            return page("<p>Login failed</p>", status=401)
        return page(
            '<form method="post" action="/login">'
            '<input type="hidden" name="csrf_token" value="t0k3n">'
            '<input name="username"><input type="password" name="password" autocomplete="off">'
            "</form>"
        )

    async def register(request: Request) -> HTMLResponse:
        return page(
            '<form method="post" action="/register-done">'
            '<input type="hidden" name="csrf_token" value="t0k3n">'
            '<input name="username"><input type="password" name="password"></form>'
        )

    async def register_done(request: Request) -> HTMLResponse:
        return page("<p>Thanks</p>")

    def logged_in(request: Request) -> bool:
        return request.cookies.get(SESSION) == session["value"]

    async def account(request: Request) -> HTMLResponse | RedirectResponse:
        if not logged_in(request):
            return RedirectResponse("/login", 302)
        return page(
            '<p>Welcome admin</p><a href="/account/search?q=x">search</a>'
            '<a href="/account/rotate">rotate</a>'
        )

    async def account_rotate(request: Request) -> HTMLResponse:
        session["value"] = f"s3ss10n-{int(session['value'].rsplit('-', 1)[1]) + 1}"
        return page("<p>All sessions ended</p>")

    async def account_search(request: Request) -> HTMLResponse | RedirectResponse:
        if not logged_in(request):
            return RedirectResponse("/login", 302)
        return page(f"<p>Results for {request.query_params.get('q', '')}</p>")

    async def logout(request: Request) -> RedirectResponse:
        response = RedirectResponse("/", 302)
        response.delete_cookie(SESSION)
        return response

    async def transfer(request: Request) -> HTMLResponse:
        if request.method == "POST":
            form = await request.form()
            amount = html.escape(str(form.get("amount", "")))
            return page(f"<p>Sent {amount}</p>")
        return page(
            '<form method="post" action="/transfer"><input name="amount" value="1">'
            '<input name="to" value="bob"><input type="submit"></form>'
        )

    async def transfer_safe(request: Request) -> HTMLResponse:
        if request.method == "POST":
            return page("<p>Sent</p>")
        return page(
            '<form method="post" action="/transfer-safe">'
            '<input type="hidden" name="csrf_token" value="t0k3n">'
            '<input name="amount" value="1"><input type="submit"></form>'
        )

    async def profile(request: Request) -> HTMLResponse:
        return page("<p>Your profile</p>")

    def fetch_url(url: str) -> str:
        try:
            # shieldwall: ignore[*] DAST test target, flawed on purpose
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310
                return answer.read(200).decode("utf-8", "replace")
        except (OSError, ValueError):
            return "fetch failed"

    async def fetch(request: Request) -> PlainTextResponse:
        url = request.query_params.get("url", "")
        return text(await asyncio.to_thread(fetch_url, url))

    async def fetch_safe(request: Request) -> PlainTextResponse:
        url = request.query_params.get("url", "")
        if urlsplit(url).hostname != "trusted.example":
            return text("only trusted.example may be fetched", 400)
        return text(await asyncio.to_thread(fetch_url, url))

    def parse_xml(document: bytes, external: bool) -> str:
        handler = _TextCollector()
        parser = xml.sax.make_parser()  # noqa: S317 - the XXE under test
        # shieldwall: ignore[*] DAST test target, flawed on purpose
        parser.setFeature(xml.sax.handler.feature_external_ges, external)
        parser.setContentHandler(handler)
        try:
            parser.parse(io.BytesIO(document))
        except (xml.sax.SAXException, OSError, ValueError):
            return "bad xml"
        return "".join(handler.text)[:200]

    async def xml_api(request: Request) -> PlainTextResponse:
        return text(await asyncio.to_thread(parse_xml, await request.body(), True))

    async def xml_api_safe(request: Request) -> PlainTextResponse:
        return text(await asyncio.to_thread(parse_xml, await request.body(), False))

    async def js_page(request: Request) -> HTMLResponse:
        return page("<p>Reached through JavaScript only</p>")

    async def openapi(request: Request) -> JSONResponse:
        return JSONResponse(openapi_document())

    from tests.servers.vulnapp.extra import extra_routes  # it imports page() from here
    from tests.servers.vulnapp.graphql_app import graphql_routes
    from tests.servers.vulnapp.spa import spa_routes

    both = ["GET", "POST"]
    routes = [
        Route("/", index),
        Route("/app.js", app_js),
        Route("/robots.txt", robots),
        Route("/sitemap.xml", sitemap),
        Route("/openapi.json", openapi),
        Route("/xss/reflect", reflect),
        Route("/xss/safe", reflect_safe),
        Route("/xss/attr", attr),
        Route("/xss/attr-safe", attr_safe),
        Route("/api/js-only", reflect),
        Route("/api/from-linked-js", reflect),
        Route("/robots-only/", page_route('<a href="search?q=a">search</a>')),
        Route("/robots-only/search", reflect),
        Route("/from-sitemap", reflect),
        Route("/guestbook", guestbook_route(safe=False), methods=both),
        Route("/guestbook-safe", guestbook_route(safe=True), methods=both),
        Route("/feedback", feedback_form, methods=both),
        Route("/feedback/wall", feedback_wall),
        Route("/sqli/item", sqli_item),
        Route("/sqli/item-safe", sqli_item_safe),
        Route("/sqli/blind", sqli_blind),
        Route("/sqli/blind-safe", sqli_blind_safe),
        Route("/sqli/time", sqli_time),
        Route("/sqli/time-safe", sqli_time_safe),
        Route("/api/users", api_users),
        Route("/api/users-safe", api_users_safe),
        Route("/ping", ping),
        Route("/ping-safe", ping_safe),
        Route("/file", read_file),
        Route("/file-safe", read_file_safe),
        Route("/redirect", redirect),
        Route("/redirect-safe", redirect_safe),
        Route("/hello", hello),
        Route("/hello-safe", hello_safe),
        Route("/headers/none", headers_none),
        Route("/headers/weak-csp", headers_weak_csp),
        Route("/cookie/bad", cookie_bad),
        Route("/cookie/good", cookie_good),
        Route("/api/cors-bad", cors_bad),
        Route("/api/cors-wildcard", cors_wildcard),
        Route("/api/cors-good", cors_good),
        Route("/debug/crash", crash),
        Route("/debug/handled", handled),
        Route("/powered", powered),
        Route("/static/", static_listing),
        Route("/assets/", assets),
        Route("/.git/HEAD", git_head),
        Route("/.env", soft_404),
        Route("/login", login, methods=both),
        Route("/register", register),
        Route("/register-done", register_done, methods=both),
        Route("/account", account),
        Route("/account/search", account_search),
        Route("/account/rotate", account_rotate),
        Route("/logout", logout),
        Route("/transfer", transfer, methods=both),
        Route("/transfer-safe", transfer_safe, methods=both),
        Route("/profile", profile),
        Route("/js-page", js_page),
        Route("/fetch", fetch),
        Route("/fetch-safe", fetch_safe),
        Route("/api/xml", xml_api, methods=["POST"]),
        Route("/api/xml-safe", xml_api_safe, methods=["POST"]),
        *extra_routes(),
        *graphql_routes(db),
        *spa_routes(db),
    ]
    return Recording(Starlette(routes=routes), hits)


class _TextCollector(xml.sax.handler.ContentHandler):
    """Collects the character data of a document (where an expanded entity shows)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def characters(self, content: str) -> None:
        self.text.append(content)


class Recording:
    """The app, recording every requested path in ``hits`` (for the scope tests)."""

    def __init__(self, app: Starlette, hits: list[str]) -> None:
        self.app = app
        self.hits = hits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = scope["query_string"].decode("latin-1")
            self.hits.append(f"{scope['method']} {scope['path']}" + (f"?{query}" if query else ""))
        await self.app(scope, receive, send)


def page_route(body: str):  # type: ignore[no-untyped-def]
    """A route answering a fixed page."""

    async def handler(request: Request) -> HTMLResponse:
        return page(body)

    return handler
