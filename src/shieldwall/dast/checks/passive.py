"""Every passive check, run on each response the crawl receives."""

from __future__ import annotations

from shieldwall.analyzers.secrets.config import SecretsConfig
from shieldwall.core.finding import Finding
from shieldwall.dast.checks.content import check_body, check_page, check_url
from shieldwall.dast.checks.cookies import check_cookies
from shieldwall.dast.checks.headers import check_headers
from shieldwall.dast.checks.secrets import secrets_in
from shieldwall.dast.html import Page
from shieldwall.dast.model import Exchange


def passive_findings(
    exchange: Exchange, page: Page | None, secrets: SecretsConfig | None = None
) -> list[Finding]:
    """The findings of one response (and its parsed page, for HTML)."""
    findings = [
        *check_headers(exchange),
        *check_cookies(exchange),
        *check_body(exchange),
        *check_url(exchange),
        *secrets_in(exchange, secrets),
    ]
    if page is not None:
        findings += check_page(exchange, page)
    return findings
