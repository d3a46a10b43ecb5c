"""Turning forms and URLs into endpoints, with values a real user would type per input type."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from shieldwall.dast.html import Form, FormInput
from shieldwall.dast.model import Endpoint, Param, ParamIn

_TOKEN_NAME = re.compile(r"(?i)csrf|xsrf|authenticity_token|__requestverification|nonce")
_VALUES = {
    "email": "shieldwall@example.com",
    "number": "1",
    "range": "1",
    "tel": "5555550100",
    "url": "https://example.com/",
    "date": "2024-01-01",
    "datetime-local": "2024-01-01T12:00",
    "time": "12:00",
    "month": "2024-01",
    "week": "2024-W01",
    "color": "#000000",
    "password": "Shieldwall-Test-1",  # shieldwall: ignore[SW-SEC-002] form filler, not a secret
    "search": "test",
    "text": "test",
    "textarea": "test",
    "select": "1",
}
_NOT_SENT = frozenset({"file", "image", "reset", "button"})


def value_for(control: FormInput) -> str:
    """The value a user would send for one control."""
    if control.value:
        return control.value
    if control.type in ("checkbox", "radio"):
        return "on"
    return _VALUES.get(control.type, "test")


def form_endpoint(form: Form, page_url: str) -> Endpoint:
    """The endpoint a form submits to; the page it is on is where stored input shows."""
    action = urljoin(page_url, form.action) if form.action else page_url
    where = ParamIn.QUERY if form.method == "GET" else ParamIn.FORM
    params = []
    for control in form.inputs:
        if control.type in _NOT_SENT:
            continue
        attackable = control.type != "submit" and not _TOKEN_NAME.search(control.name)
        params.append(Param(control.name, value_for(control), where, attackable))
    url = action if where is ParamIn.FORM else strip_query(action)
    return Endpoint(form.method, url, tuple(params), origin=page_url)


def strip_query(url: str) -> str:
    """The URL without query string and fragment."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def url_endpoint(url: str) -> Endpoint | None:
    """A GET endpoint for a URL with query parameters (None when it has none)."""
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    if not query:
        return None
    params = tuple(Param(name, value) for name, value in query)
    return Endpoint("GET", strip_query(url), params)
