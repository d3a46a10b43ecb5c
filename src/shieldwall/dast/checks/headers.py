"""Passive checks of response headers: CSP, HSTS, nosniff, framing, Referrer-Policy, CORS,
version banners."""

from __future__ import annotations

import re
from collections.abc import Iterator

from shieldwall.core.finding import Finding
from shieldwall.dast import rules
from shieldwall.dast.evidence import make_finding
from shieldwall.dast.model import Exchange

_UNSAFE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")
_LEAKY_REFERRER = {"unsafe-url", "no-referrer-when-downgrade"}
_VERSION = re.compile(r"[A-Za-z][\w.-]*/\d+(?:\.\d+)+")
_BANNER_HEADERS = ("Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version")


def check_headers(exchange: Exchange) -> Iterator[Finding]:
    """Header findings for one response."""
    if 200 <= exchange.status < 300 and exchange.is_html:
        yield from _document_headers(exchange)
    yield from _banners(exchange)
    yield from _cors_wildcard(exchange)


def _document_headers(exchange: Exchange) -> Iterator[Finding]:
    csp = exchange.header("content-security-policy")
    if csp is None:
        yield make_finding(
            rules.CSP_MISSING,
            exchange,
            "The page has no Content-Security-Policy",
            parameter="Content-Security-Policy",
        )
    else:
        weak = weak_script_sources(csp)
        if weak:
            yield make_finding(
                rules.CSP_WEAK,
                exchange,
                f"The Content-Security-Policy allows scripts from {', '.join(weak)}",
                parameter="Content-Security-Policy",
                proof=csp,
            )
    if exchange.url.startswith("https:") and exchange.header("strict-transport-security") is None:
        yield make_finding(
            rules.HSTS_MISSING,
            exchange,
            "HTTPS response without Strict-Transport-Security",
            parameter="Strict-Transport-Security",
        )
    if (exchange.header("x-content-type-options") or "").strip().lower() != "nosniff":
        yield make_finding(
            rules.NOSNIFF_MISSING,
            exchange,
            "No X-Content-Type-Options: nosniff",
            parameter="X-Content-Type-Options",
        )
    if not _frame_protected(exchange, csp):
        yield make_finding(
            rules.CLICKJACKING,
            exchange,
            "Neither CSP frame-ancestors nor X-Frame-Options restricts framing",
            parameter="X-Frame-Options",
        )
    referrer = (exchange.header("referrer-policy") or "").strip().lower()
    last = referrer.split(",")[-1].strip()
    if not referrer or last in _LEAKY_REFERRER:
        yield make_finding(
            rules.REFERRER_POLICY,
            exchange,
            f"Referrer-Policy is {referrer or 'missing'}",
            parameter="Referrer-Policy",
        )


def csp_directives(policy: str) -> dict[str, list[str]]:
    """The directives of a CSP (the first policy when several are sent)."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(",")[0].split(";"):
        tokens = part.split()
        if tokens:
            directives.setdefault(tokens[0].lower(), [t.lower() for t in tokens[1:]])
    return directives


def weak_script_sources(policy: str) -> list[str]:
    """The unsafe sources scripts may come from under this policy (empty: none)."""
    directives = csp_directives(policy)
    sources = directives.get("script-src", directives.get("default-src"))
    if sources is None:
        return ["anywhere (no script-src or default-src)"]
    has_nonce = any(s.startswith(("'nonce-", "'sha")) or s == "'strict-dynamic'" for s in sources)
    weak = [s for s in sources if s in _UNSAFE_SOURCES]
    if has_nonce:  # browsers ignore 'unsafe-inline' when a nonce or hash is present
        weak = [s for s in weak if s != "'unsafe-inline'"]
    return weak


def _frame_protected(exchange: Exchange, csp: str | None) -> bool:
    if csp is not None and "frame-ancestors" in csp_directives(csp):
        return "*" not in csp_directives(csp)["frame-ancestors"]
    xfo = (exchange.header("x-frame-options") or "").strip().lower()
    return xfo in ("deny", "sameorigin")


def _banners(exchange: Exchange) -> Iterator[Finding]:
    for name in _BANNER_HEADERS:
        value = exchange.header(name)
        if value and (_VERSION.search(value) or name.startswith("X-Asp")):
            yield make_finding(
                rules.VERSION_BANNER,
                exchange,
                f"{name} discloses {value}",
                parameter=name,
                proof=value,
            )


def _cors_wildcard(exchange: Exchange) -> Iterator[Finding]:
    allow = (exchange.header("access-control-allow-origin") or "").strip()
    credentials = (exchange.header("access-control-allow-credentials") or "").strip().lower()
    if allow == "*" and credentials == "true":
        yield make_finding(
            rules.CORS_WILDCARD_CREDENTIALS,
            exchange,
            "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true",
            parameter="Access-Control-Allow-Origin",
        )
