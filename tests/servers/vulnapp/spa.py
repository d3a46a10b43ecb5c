"""A single-page app: its links and API calls exist only once its JavaScript runs.

The script builds every URL from pieces (no URL literal a regular expression could find), adds a
link to the DOM, calls the API with ``fetch`` on load and on a button click, and moves to a
client-side route with ``history.pushState``. Only a browser crawl reaches ``/spa/api/*`` and
``/spa/view/report``. Deliberately insecure; only ever served on 127.0.0.1 in tests.
"""

from __future__ import annotations

import html
import sqlite3

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tests.servers.vulnapp.app import page

SPA_JS = """
const parts = ['', 'spa'];
const api = parts.concat(['api']).join('/');
function show(text) { document.getElementById('out').textContent = text; }
window.addEventListener('load', () => {
  const link = document.createElement('a');
  link.href = parts.concat(['view', 'report']).join('/') + '?q=' + 'weekly';
  link.textContent = 'report';
  document.body.appendChild(link);
  fetch(api + '/greet?name=' + encodeURIComponent('guest')).then(r => r.text()).then(show);
  fetch(api + '/greet-safe?name=' + encodeURIComponent('guest')).then(r => r.text()).then(show);
  document.getElementById('find').addEventListener('click', () => lookup('lookup'));
  document.getElementById('find-safe').addEventListener('click', () => lookup('lookup-safe'));
});
function lookup(which) {
  const options = {method: 'POST', headers: {'Content-Type': 'application/json'},
                   body: JSON.stringify({item: 'apple'})};
  fetch(api + '/' + which, options).then(r => r.text()).then(show);
  history.pushState({}, '', parts.concat(['route', 'settings']).join('/'));
}
"""
SHELL = (
    '<h1>Shop app</h1><div id="out"></div>'
    # Handlers are attached by the script (the page's CSP forbids inline ones).
    '<button id="find">find</button><button id="find-safe">find safely</button>'
    '<script src="/spa/app.js"></script>'
)


def spa_routes(db: sqlite3.Connection) -> list[Route]:
    """The shell, its script, its API and the pages it links to."""

    async def shell(request: Request) -> HTMLResponse:
        return page(SHELL)

    async def script(request: Request) -> Response:
        return Response(SPA_JS, headers={"Content-Type": "application/javascript"})

    async def greet(request: Request) -> HTMLResponse:
        # shieldwall: ignore[SW-PY-007] DAST test target, flawed on purpose
        return page(f"<p>Hello {request.query_params.get('name', '')}</p>")

    async def greet_safe(request: Request) -> HTMLResponse:
        return page(f"<p>Hello {html.escape(request.query_params.get('name', ''))}</p>")

    async def lookup(request: Request) -> JSONResponse:
        item = str((await request.json()).get("item", ""))
        try:
            # shieldwall: ignore[SW-PY-001] DAST test target, flawed on purpose
            row = db.execute(f"SELECT price FROM items WHERE name = '{item}'").fetchone()  # noqa: S608
        except sqlite3.Error as exc:
            return JSONResponse({"error": f"sqlite3.OperationalError: {exc}"}, 500)
        return JSONResponse({"price": row[0] if row else None})

    async def lookup_safe(request: Request) -> JSONResponse:
        item = str((await request.json()).get("item", ""))
        row = db.execute("SELECT price FROM items WHERE name = ?", (item,)).fetchone()
        return JSONResponse({"price": row[0] if row else None})

    async def report(request: Request) -> HTMLResponse:
        # shieldwall: ignore[SW-PY-007] DAST test target, flawed on purpose
        return page(f"<p>Report {request.query_params.get('q', '')}</p>")

    return [
        Route("/spa/", shell),
        Route("/spa/route/{name:path}", shell),  # client-side routes serve the same shell
        Route("/spa/app.js", script),
        Route("/spa/api/greet", greet),
        Route("/spa/api/greet-safe", greet_safe),
        Route("/spa/api/lookup", lookup, methods=["POST"]),
        Route("/spa/api/lookup-safe", lookup_safe, methods=["POST"]),
        Route("/spa/view/report", report),
    ]
