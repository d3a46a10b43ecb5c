"""Passive checks of response bodies and page structure: stack traces and debug pages, directory
listings, mixed content, password autocomplete, forms without anti-CSRF tokens, sensitive data in
URLs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urljoin, urlsplit

from shieldwall.core.finding import Finding
from shieldwall.dast import rules
from shieldwall.dast.evidence import make_finding
from shieldwall.dast.html import Page
from shieldwall.dast.model import Exchange

# Each signature is specific to an error page or debugger, never to ordinary prose.
_DEBUG_SIGNATURES = (
    re.compile(r"Traceback \(most recent call last\):"),  # Python
    re.compile(r"Werkzeug Debugger|The debugger caught an exception"),  # Flask/Werkzeug
    re.compile(r"You're seeing this error because you have <code>DEBUG = True"),  # Django
    re.compile(r"at [\w$.]+\([\w]+\.java:\d+\)"),  # Java stack frame
    re.compile(r"(?:Fatal error|Warning|Parse error)</b>:.{0,200} on line <b>\d+"),  # PHP
    re.compile(r"Microsoft \.NET Framework Version:|Server Error in '/' Application"),  # ASP.NET
    re.compile(r"\n\s+at [\w.<>$]+ \((?:/|[A-Za-z]:\\|node:)[^)]+:\d+:\d+\)"),  # Node.js
    re.compile(r"Whoops! There was an error|Illuminate\\\\"),  # Laravel
)
_LISTING = re.compile(r"<title>\s*Index of /|<h1>\s*Index of /|\[To Parent Directory\]", re.I)
_SENSITIVE_PARAM = re.compile(
    r"(?i)^(?:pass(?:word|wd)?|pwd|secret|token|access_token|api_?key|apikey|auth|session(?:id)?|"
    r"jsessionid|phpsessid|credit_?card|ssn)$"
)
_CSRF_FIELD = re.compile(r"(?i)csrf|xsrf|token|authenticity|nonce|__requestverification")


def check_body(exchange: Exchange) -> Iterator[Finding]:
    """Disclosure findings in any response body."""
    for signature in _DEBUG_SIGNATURES:
        match = signature.search(exchange.body)
        if match:
            yield make_finding(
                rules.STACK_TRACE,
                exchange,
                "The response shows a stack trace or debug page",
                proof=match.group(0),
            )
            break
    if exchange.is_html and 200 <= exchange.status < 300:
        match = _LISTING.search(exchange.body)
        if match:
            yield make_finding(
                rules.DIRECTORY_LISTING,
                exchange,
                "The server lists the directory's files",
                proof=match.group(0),
            )


def check_page(exchange: Exchange, page: Page) -> Iterator[Finding]:
    """Findings from the structure of an HTML page: forms and resources."""
    if exchange.url.startswith("https:"):
        for resource in page.resources:
            if resource.lower().startswith("http:"):
                yield make_finding(
                    rules.MIXED_CONTENT,
                    exchange,
                    f"HTTPS page loads {resource} over HTTP",
                    proof=resource,
                )
                break
    for form in page.forms:
        action = urljoin(exchange.url, form.action or exchange.url)
        for control in form.inputs:
            if control.type == "password" and (control.autocomplete or "on").lower() not in (
                "off",
                "new-password",
            ):
                yield make_finding(
                    rules.PASSWORD_AUTOCOMPLETE,
                    exchange,
                    f"Password field {control.name} allows autocomplete",
                    parameter=control.name,
                )
        if form.method == "POST" and not any(_CSRF_FIELD.search(i.name) for i in form.inputs):
            yield make_finding(
                rules.CSRF,
                exchange,
                f"POST form to {action} has no anti-CSRF token",
                method="POST",
                url=action,
                details={"found_on": exchange.url},
            )


def check_url(exchange: Exchange) -> Iterator[Finding]:
    """Sensitive parameters in the requested URL's query string."""
    for name, value in parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True):
        if value and _SENSITIVE_PARAM.match(name):
            yield make_finding(
                rules.SENSITIVE_URL,
                exchange,
                f"Query parameter {name} carries sensitive data",
                parameter=name,
                hide=(value,),
            )
