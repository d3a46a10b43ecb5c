"""Verdicts on responses: allowed or denied, hygiene problems, leaked stack traces. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable

import httpx

__all__ = ["cookie_problems", "denied", "error_leaks", "missing_headers"]

# Strings that only a stack trace or a framework's debug page contains.
_LEAKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Python traceback", re.compile(r"Traceback \(most recent call last\)")),
    ("Werkzeug debugger", re.compile(r"Werkzeug Debugger|__debugger__")),
    # Django's HTML page has a typographic apostrophe and <code>, its text version neither.
    (
        "Django debug page",
        re.compile(r"You.re seeing this error because you have (?:<code>)?DEBUG"),
    ),
    ("Python frame", re.compile(r'File "[^"\n]+\.py", line \d+')),
    ("Java stack trace", re.compile(r"\n\s+at [\w$.]+\([\w$]+\.java:\d+\)")),
    ("Node.js stack trace", re.compile(r"\n\s+at .+ \(/[^)]+\.js:\d+:\d+\)")),
    ("PHP error", re.compile(r"<b>(?:Fatal error|Warning|Parse error)</b>:")),
)


def denied(response: httpx.Response, deny_status: Iterable[int]) -> bool:
    """Whether the app refused: a deny status, or a redirect to a login page."""
    if response.status_code in set(deny_status):
        return True
    location = response.headers.get("location", "")
    return response.is_redirect and "login" in location.lower()


def missing_headers(response: httpx.Response, required: Iterable[str]) -> list[str]:
    """Required security headers the response lacks."""
    return [name for name in required if name not in response.headers]


def cookie_problems(response: httpx.Response, *, require_secure: bool) -> list[str]:
    """``name: missing X`` for every Set-Cookie without Secure, HttpOnly or SameSite."""
    problems = []
    for header in response.headers.get_list("set-cookie"):
        name = header.split("=", 1)[0].strip()
        attributes = {part.strip().split("=", 1)[0].lower() for part in header.split(";")[1:]}
        wanted = ["httponly", "samesite", *(["secure"] if require_secure else [])]
        missing = [attribute for attribute in wanted if attribute not in attributes]
        if missing:
            problems.append(f"{name}: missing {', '.join(missing)}")
    return problems


def error_leaks(response: httpx.Response) -> list[str]:
    """What an error response gives away (stack traces, debug pages)."""
    text = response.text[:200_000]
    return [label for label, pattern in _LEAKS if pattern.search(text)]
