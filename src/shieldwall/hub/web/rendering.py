"""The template environment and the HTML response every page goes through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

# Scanned content (titles, snippets, paths) is attacker-controlled: autoescape everything, and
# let the page load only our own stylesheet; no script is needed to read any page.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(("html", "svg"), default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template to an HTML response with the page security policy."""
    html = _ENV.get_template(name).render(**context)
    return HTMLResponse(
        html, status_code=status_code, headers={"content-security-policy": PAGE_CSP}
    )
