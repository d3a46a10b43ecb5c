"""More routes of the vulnerable app: secrets in responses, XSS inside script strings, backup and
editor files (with catch-all twins that answer 200 to anything), a sensitive file in a
subdirectory. Deliberately insecure; only ever served on 127.0.0.1 in tests."""

from __future__ import annotations

import asyncio
import json
import subprocess

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.servers.vulnapp.app import page, text

# Fake credentials in the shape of real ones (a Stripe live key, an AWS key id): what the
# secrets rules must find in a served script. The safe twin serves placeholders.
STRIPE = "sk_live_51HxQ2vK8mN3pR7tY9wZ4bC6dF1gJ0"  # shieldwall: ignore[SW-SEC-086] fake, for tests
AWS_KEY_ID = "AKIAQX7N3PLM4RT2ZK5W"  # shieldwall: ignore[SW-SEC-010] fake, for tests
LEAKY_JS = f'window.CONFIG = {{\n  stripeKey: "{STRIPE}",\n  awsKeyId: "{AWS_KEY_ID}",\n}};\n'
SAFE_JS = (
    'window.CONFIG = {\n  stripeKey: "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx",\n'
    '  apiKey: "YOUR_API_KEY",\n};\n'
)
LEAKED_VALUES = (STRIPE, AWS_KEY_ID)
PHP_SOURCE = "<?php\n$db = new PDO('mysql:host=db', 'shop', getenv('DB_PASS'));\n"
EXTRA_LINKS = [
    "/xss/script?q=hello",
    "/xss/script-quoted?q=hello",
    "/xss/script-safe?q=hello",
    "/download.php",
    "/notes/index.php",
    "/mirror/page.html",
    "/legacy/index.html",
    "/spa/",
    "/ping-blind?host=127.0.0.1",
    "/ping-blind-safe?host=127.0.0.1",
]
EXTRA_SCRIPTS = '<script src="/config.js"></script><script src="/config-safe.js"></script>'


def _js(body: str) -> Response:
    return Response(body, headers={"Content-Type": "application/javascript"})


async def config_js(request: Request) -> Response:
    return _js(LEAKY_JS)


async def config_safe_js(request: Request) -> Response:
    return _js(SAFE_JS)


def _script_page(literal: str) -> HTMLResponse:
    # shieldwall: ignore[SW-PY-007] DAST test target, flawed on purpose
    return page(f"<p>Searching…</p><script>var term = {literal}; show(term);</script>")


async def xss_script(request: Request) -> HTMLResponse:
    # Raw inside a string: a quote ends the string, and </script> ends the element.
    return _script_page(f'"{request.query_params.get("q", "")}"')


async def xss_script_quoted(request: Request) -> HTMLResponse:
    # Quotes escaped, but not </script>: the HTML tokenizer ends the element anyway.
    escaped = request.query_params.get("q", "").replace("\\", "\\\\").replace('"', '\\"')
    return _script_page(f'"{escaped}"')


async def xss_script_safe(request: Request) -> HTMLResponse:
    # JSON with <, > and & escaped: safe in a script element.
    literal = json.dumps(request.query_params.get("q", ""))
    literal = literal.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _script_page(literal)


async def download(request: Request) -> HTMLResponse:
    return page("<p>Downloads</p>")


async def download_backup(request: Request) -> PlainTextResponse:
    return text(PHP_SOURCE)


async def notes(request: Request) -> HTMLResponse:
    # A catch-all: every path answers 200 and echoes its name (a soft 404).
    name = request.path_params["name"]
    if name == "index.php":
        return page("<h1>Notes</h1><p>Nothing here yet.</p>")
    return page(f"<h1>Notes</h1><p>No note called {name}.</p>")


async def mirror(request: Request) -> HTMLResponse:
    # Ignores whatever follows the name: page.html~ is page.html again.
    return page("<h1>Mirror</h1><p>The same page, whatever the suffix.</p>")


async def legacy_index(request: Request) -> HTMLResponse:
    return page("<p>Legacy area</p>")


async def legacy_env(request: Request) -> PlainTextResponse:
    return PlainTextResponse("APP_ENV=production\nDB_HOST=db\n")


async def samesite_home(request: Request) -> HTMLResponse:
    # Not linked from the index: scanned on its own, every session cookie here is SameSite=Strict.
    response = page('<a href="/samesite/transfer">transfer</a>')
    response.headers.append("Set-Cookie", "sid=s1; Path=/; HttpOnly; SameSite=Strict")
    return response


async def samesite_transfer(request: Request) -> HTMLResponse:
    return page(
        '<form method="post" action="/samesite/transfer"><input name="amount" value="1"></form>'
    )


def _run(argv: list[str]) -> None:
    subprocess.run(argv, capture_output=True, timeout=10, check=False)


async def ping_blind(request: Request) -> PlainTextResponse:
    # The shell's output is never shown: only timing tells. In a worker thread, so a sleeping
    # command does not stall the other requests.
    host = request.query_params.get("host", "127.0.0.1")
    # shieldwall: ignore[*] DAST test target, flawed on purpose
    await asyncio.to_thread(_run, ["sh", "-c", f"echo ping {host} >/dev/null"])
    return text("queued")


async def ping_blind_safe(request: Request) -> PlainTextResponse:
    host = request.query_params.get("host", "127.0.0.1")
    await asyncio.to_thread(_run, ["echo", "ping", host])
    return text("queued")


def extra_routes() -> list[Route]:
    """The routes above, to append to the app's."""
    return [
        Route("/config.js", config_js),
        Route("/config-safe.js", config_safe_js),
        Route("/xss/script", xss_script),
        Route("/xss/script-quoted", xss_script_quoted),
        Route("/xss/script-safe", xss_script_safe),
        Route("/download.php", download),
        Route("/download.php.bak", download_backup),
        Route("/notes/{name:path}", notes),
        Route("/mirror/{name:path}", mirror),
        Route("/legacy/index.html", legacy_index),
        Route("/legacy/.env", legacy_env),
        Route("/samesite/", samesite_home),
        Route("/samesite/transfer", samesite_transfer, methods=["GET", "POST"]),
        Route("/ping-blind", ping_blind),
        Route("/ping-blind-safe", ping_blind_safe),
    ]
