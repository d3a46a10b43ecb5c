"""Passive checks on hand-made exchanges: a positive and a negative for every passive rule,
including those that need HTTPS (which the test app does not serve)."""

from __future__ import annotations

import pytest

from shieldwall.dast.checks.passive import passive_findings
from shieldwall.dast.html import parse_page
from shieldwall.dast.model import Exchange

GOOD = (
    ("Content-Type", "text/html"),
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Strict-Transport-Security", "max-age=31536000"),
)


def exchange(
    url: str = "https://shop.example/page",
    headers: tuple[tuple[str, str], ...] = GOOD,
    body: str = "<html><body>hi</body></html>",
    status: int = 200,
) -> Exchange:
    ctype = next((v for k, v in headers if k.lower() == "content-type"), "")
    return Exchange("GET", url, {}, "", status, headers, body, 0.01, content_type=ctype)


def rules_of(ex: Exchange) -> set[str]:
    page = parse_page(ex.body) if ex.is_html else None
    return {f.rule.id for f in passive_findings(ex, page)}


def without(name: str) -> tuple[tuple[str, str], ...]:
    return tuple(h for h in GOOD if h[0] != name)


def test_a_well_configured_https_page_has_no_findings() -> None:
    assert rules_of(exchange()) == set()


@pytest.mark.parametrize(
    ("headers", "rule"),
    [
        (without("Content-Security-Policy"), "SW-DAST-001"),
        (without("Strict-Transport-Security"), "SW-DAST-003"),
        (without("X-Content-Type-Options"), "SW-DAST-004"),
        ((*without("Referrer-Policy"), ("Referrer-Policy", "unsafe-url")), "SW-DAST-006"),
    ],
)
def test_header_rules(headers: tuple[tuple[str, str], ...], rule: str) -> None:
    assert rule in rules_of(exchange(headers=headers))


def test_hsts_is_only_asked_of_https() -> None:
    plain = exchange(url="http://shop.example/", headers=without("Strict-Transport-Security"))
    assert "SW-DAST-003" not in rules_of(plain)


@pytest.mark.parametrize(
    ("policy", "weak"),
    [
        ("script-src 'self' 'unsafe-inline'; frame-ancestors 'none'", True),
        ("default-src *; frame-ancestors 'none'", True),
        ("img-src 'self'; frame-ancestors 'none'", True),  # scripts not restricted at all
        ("script-src 'nonce-abc' 'unsafe-inline'; frame-ancestors 'none'", False),
        ("default-src 'self'; frame-ancestors 'none'", False),
    ],
)
def test_weak_csp(policy: str, weak: bool) -> None:
    headers = (*without("Content-Security-Policy"), ("Content-Security-Policy", policy))
    assert ("SW-DAST-002" in rules_of(exchange(headers=headers))) is weak


def test_framing_needs_frame_ancestors_or_x_frame_options() -> None:
    csp = ("Content-Security-Policy", "default-src 'self'")
    open_to_framing = (*without("Content-Security-Policy"), csp)
    assert "SW-DAST-005" in rules_of(exchange(headers=open_to_framing))
    protected = (*open_to_framing, ("X-Frame-Options", "SAMEORIGIN"))
    assert "SW-DAST-005" not in rules_of(exchange(headers=protected))


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        ("sessionid=1; Path=/", {"SW-DAST-007", "SW-DAST-008", "SW-DAST-009"}),
        ("sessionid=1; Secure; HttpOnly; SameSite=Lax", set()),
        ("theme=dark; Secure", set()),  # not a session cookie: scripts may read it
        ("theme=dark", {"SW-DAST-008"}),
        ("sessionid=; Max-Age=0", set()),  # deleting a cookie
    ],
)
def test_cookie_flags(cookie: str, expected: set[str]) -> None:
    assert rules_of(exchange(headers=(*GOOD, ("Set-Cookie", cookie)))) == expected


def test_cors_wildcard_with_credentials() -> None:
    both = (("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true"))
    assert rules_of(exchange(headers=(*GOOD, *both))) == {"SW-DAST-010"}
    assert rules_of(exchange(headers=(*GOOD, both[0]))) == set()


@pytest.mark.parametrize(
    ("body", "rule", "present"),
    [
        ("Traceback (most recent call last):\n  File", "SW-DAST-012", True),
        ("<p>We keep a traceback of every change</p>", "SW-DAST-012", False),
        ("<title>Index of /files</title>", "SW-DAST-014", True),
        ("<h1>Index of our products</h1>", "SW-DAST-014", False),
        ('<img src="http://cdn.example/a.png">', "SW-DAST-016", True),
        ('<img src="https://cdn.example/a.png">', "SW-DAST-016", False),
        (
            '<form method=post><input name=a><input type="password" name="p"></form>',
            "SW-DAST-017",
            True,
        ),
        (
            '<form><input type="password" name="p" autocomplete="new-password"></form>',
            "SW-DAST-017",
            False,
        ),
        ('<form method="POST" action="/pay"><input name="amount"></form>', "SW-DAST-019", True),
        (
            '<form method="POST"><input type=hidden name="_csrf" value=1></form>',
            "SW-DAST-019",
            False,
        ),
        ('<form method="GET" action="/search"><input name="q"></form>', "SW-DAST-019", False),
    ],
)
def test_body_rules(body: str, rule: str, present: bool) -> None:
    assert (rule in rules_of(exchange(body=body))) is present


def test_mixed_content_only_on_https() -> None:
    body = '<script src="http://cdn.example/a.js"></script>'
    assert "SW-DAST-016" not in rules_of(exchange(url="http://shop.example/", body=body))


def test_version_banners() -> None:
    assert "SW-DAST-013" in rules_of(exchange(headers=(*GOOD, ("Server", "nginx/1.18.0"))))
    assert "SW-DAST-013" not in rules_of(exchange(headers=(*GOOD, ("Server", "nginx"))))


def test_sensitive_data_in_url_is_reported_masked() -> None:
    ex = exchange(url="https://shop.example/cb?access_token=eyJhbGciOiJIUzI1NiJ9abc&page=2")
    findings = passive_findings(ex, None)
    hits = [f for f in findings if f.rule.id == "SW-DAST-018"]
    assert [f.location.parameter for f in hits] == ["access_token"]
    assert "eyJhbGciOiJIUzI1NiJ9abc" not in str(hits[0].properties)
    assert not [
        f
        for f in passive_findings(exchange(url="https://s.example/?page=2"), None)
        if f.rule.id == "SW-DAST-018"
    ]
