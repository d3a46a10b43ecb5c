"""Findings with evidence: the request and the excerpt of the response that proves the issue.

Credentials never reach a report: cookie, authorization and token header values are masked in
the recorded request and response headers.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from shieldwall.core.finding import Finding
from shieldwall.core.location import UrlLocation
from shieldwall.core.redaction import redact
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence
from shieldwall.dast.model import Exchange

_SECRET_HEADERS = frozenset(
    {"cookie", "set-cookie", "authorization", "proxy-authorization", "x-api-key", "x-auth-token"}
)
_EXCERPT = 240


def endpoint_url(url: str) -> str:
    """The URL without its query and fragment: one finding per endpoint, whatever the values."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def safe_headers(headers: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Headers with credential values masked."""
    shown: dict[str, str] = {}
    for name, value in headers:
        if name.lower() in _SECRET_HEADERS:
            value = _mask_cookie(value) if "cookie" in name.lower() else redact(value)
        shown[name] = value if name not in shown else f"{shown[name]}, {value}"
    return shown


def _mask_cookie(value: str) -> str:
    """``name=value; attrs`` with each value masked and the attribute names kept."""
    parts = []
    for part in value.split(";"):
        name, sep, val = part.strip().partition("=")
        is_attribute = name.lower() in {"path", "domain", "expires", "max-age", "samesite"}
        parts.append(f"{name}{sep}{val if is_attribute else redact(val) if sep else ''}")
    return "; ".join(parts)


def excerpt(body: str, proof: str = "") -> str:
    """The part of the body around ``proof`` (or its beginning)."""
    at = body.find(proof) if proof else -1
    if at < 0:
        return body[: _EXCERPT * 2]
    start = max(0, at - _EXCERPT)
    return body[start : at + len(proof) + _EXCERPT]


def evidence(exchange: Exchange, proof: str = "") -> dict[str, Any]:
    """The request and response of an exchange, shortened to what proves the point."""
    return {
        "request": {
            "method": exchange.method,
            "url": exchange.url,
            "headers": safe_headers(tuple(exchange.request_headers.items())),
            "body": exchange.request_body[:1000],
        },
        "response": {
            "status": exchange.status,
            "headers": safe_headers(exchange.headers),
            "body_excerpt": excerpt(exchange.body, proof),
        },
        "proof": proof,
    }


def make_finding(
    rule: Rule,
    exchange: Exchange,
    message: str,
    *,
    parameter: str = "",
    method: str | None = None,
    url: str | None = None,
    proof: str = "",
    confidence: Confidence | None = None,
    hide: tuple[str, ...] = (),
    details: dict[str, Any] | None = None,
    secret: str | None = None,
) -> Finding:
    """A finding on (rule, method, endpoint, parameter) with the exchange as evidence.

    Every string in ``hide`` (a token seen in a URL, say) is masked throughout the evidence.
    ``secret`` (a credential the response disclosed) becomes the finding's salted hash and
    identity, so two different keys on one page stay two findings across scans.
    """
    where = UrlLocation(
        url=endpoint_url(url or exchange.url),
        method=(method or exchange.method).upper(),
        parameter=parameter,
    )
    shown = evidence(exchange, proof)
    for value in hide:
        shown = _mask_everywhere(shown, value)
    properties: dict[str, Any] = {"evidence": shown, **(details or {})}
    return Finding.create(
        rule=rule,
        message=message,
        location=where,
        confidence=confidence,
        identity=f"{where.method}|{parameter}",
        properties=properties,
        secret=secret,
    )


def _mask_everywhere(value: Any, secret: str) -> Any:
    """``value`` (nested dicts and strings) with ``secret`` masked in every string."""
    if isinstance(value, str):
        return value.replace(secret, redact(secret))
    if isinstance(value, dict):
        return {key: _mask_everywhere(item, secret) for key, item in value.items()}
    return value
