"""Passive checks of ``Set-Cookie``: HttpOnly and SameSite on session cookies, Secure on HTTPS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from shieldwall.core.finding import Finding
from shieldwall.dast import rules
from shieldwall.dast.evidence import make_finding
from shieldwall.dast.model import Exchange

# Cookies scripts legitimately read (CSRF double-submit, preferences) are not session cookies;
# flagging them for HttpOnly would be noise.
_SESSION_NAME = re.compile(r"(?i)sess|sid$|^id$|auth|token|jwt|login|remember|user")
_NOT_SESSION = re.compile(r"(?i)csrf|xsrf|consent|lang|theme|locale|tz")


@dataclass(frozen=True, slots=True)
class SetCookie:
    """The name and attributes of one ``Set-Cookie`` header."""

    name: str
    deleting: bool
    attributes: dict[str, str]


def parse_set_cookie(header: str) -> SetCookie:
    """Parse ``name=value; Attr; Attr=value`` (attribute names lower-cased)."""
    first, *rest = header.split(";")
    name, _, value = first.strip().partition("=")
    attributes = {}
    for part in rest:
        key, _, val = part.strip().partition("=")
        attributes[key.strip().lower()] = val.strip()
    deleting = not value.strip('"') or attributes.get("max-age", "") in ("0", "-1")
    return SetCookie(name.strip(), deleting, attributes)


def is_session_cookie(name: str) -> bool:
    """Whether a cookie's name says it carries a session or credential."""
    return bool(_SESSION_NAME.search(name)) and not _NOT_SESSION.search(name)


def check_cookies(exchange: Exchange) -> Iterator[Finding]:
    """Cookie-flag findings for the cookies this response sets."""
    https = exchange.url.startswith("https:")
    for header in exchange.header_values("set-cookie"):
        cookie = parse_set_cookie(header)
        if not cookie.name or cookie.deleting:
            continue
        if https and "secure" not in cookie.attributes:
            yield make_finding(
                rules.COOKIE_SECURE,
                exchange,
                f"Cookie {cookie.name} is set without Secure",
                parameter=cookie.name,
            )
        if not is_session_cookie(cookie.name):
            continue
        if "httponly" not in cookie.attributes:
            yield make_finding(
                rules.COOKIE_HTTPONLY,
                exchange,
                f"Session cookie {cookie.name} is readable by scripts (no HttpOnly)",
                parameter=cookie.name,
            )
        if cookie.attributes.get("samesite", "").lower() not in ("lax", "strict"):
            yield make_finding(
                rules.COOKIE_SAMESITE,
                exchange,
                f"Session cookie {cookie.name} has no SameSite=Lax/Strict",
                parameter=cookie.name,
            )


def session_samesite(exchange: Exchange) -> dict[str, str]:
    """The SameSite value (lower-cased, "" when absent) of each session cookie a response sets."""
    found = {}
    for header in exchange.header_values("set-cookie"):
        cookie = parse_set_cookie(header)
        if cookie.name and not cookie.deleting and is_session_cookie(cookie.name):
            found[cookie.name] = cookie.attributes.get("samesite", "").lower()
    return found


def samesite_protects(session_cookies: dict[str, str]) -> bool:
    """Whether every session cookie seen is Lax or Strict: browsers then send none of them with
    a cross-site POST, so a form without a token cannot be forged (needs at least one cookie)."""
    return bool(session_cookies) and all(
        value in ("lax", "strict") for value in session_cookies.values()
    )
