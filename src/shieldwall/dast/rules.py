"""The DAST rules: stable ids, metadata and remediation. Ids are never reused.

``SW-DAST-0xx`` are passive (read from responses the crawl received anyway, or one harmless probe);
``SW-DAST-1xx`` are active (attack payloads, each confirmed before it is reported).
"""

from __future__ import annotations

from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence, Severity

SCANNER = "dast"
_OWASP = "https://owasp.org/www-project-web-security-testing-guide/"


def _rule(
    id: str,
    title: str,
    severity: Severity,
    cwe: str,
    remediation: str,
    confidence: Confidence = Confidence.HIGH,
    description: str = "",
) -> Rule:
    return Rule.create(
        id=id,
        title=title,
        severity=severity,
        scanner=SCANNER,
        cwe=(cwe,),
        remediation=remediation,
        confidence=confidence,
        description=description or title,
        references=(_OWASP,),
        tags=("dast",),
    )


CSP_MISSING = _rule(
    "SW-DAST-001",
    "Content-Security-Policy header missing",
    Severity.MEDIUM,
    "CWE-693",
    "Send a Content-Security-Policy that restricts script sources (no 'unsafe-inline').",
)
CSP_WEAK = _rule(
    "SW-DAST-002",
    "Content-Security-Policy allows inline or arbitrary scripts",
    Severity.MEDIUM,
    "CWE-693",
    "Remove 'unsafe-inline', 'unsafe-eval', '*', 'data:' and plain schemes from script-src; use "
    "nonces or hashes.",
)
HSTS_MISSING = _rule(
    "SW-DAST-003",
    "Strict-Transport-Security missing on an HTTPS site",
    Severity.MEDIUM,
    "CWE-319",
    "Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response.",
)
NOSNIFF_MISSING = _rule(
    "SW-DAST-004",
    "X-Content-Type-Options: nosniff missing",
    Severity.LOW,
    "CWE-693",
    "Send X-Content-Type-Options: nosniff on every response.",
)
CLICKJACKING = _rule(
    "SW-DAST-005",
    "Page can be framed by any site (clickjacking)",
    Severity.MEDIUM,
    "CWE-1021",
    "Send Content-Security-Policy: frame-ancestors 'self' (or X-Frame-Options: DENY).",
)
REFERRER_POLICY = _rule(
    "SW-DAST-006",
    "Referrer-Policy missing or leaks full URLs",
    Severity.INFO,
    "CWE-200",
    "Send Referrer-Policy: strict-origin-when-cross-origin (or stricter).",
)
COOKIE_HTTPONLY = _rule(
    "SW-DAST-007",
    "Session cookie without HttpOnly",
    Severity.MEDIUM,
    "CWE-1004",
    "Set the HttpOnly attribute on session cookies so scripts cannot read them.",
)
COOKIE_SECURE = _rule(
    "SW-DAST-008",
    "Cookie without Secure on an HTTPS site",
    Severity.MEDIUM,
    "CWE-614",
    "Set the Secure attribute so the cookie is never sent over plain HTTP.",
)
COOKIE_SAMESITE = _rule(
    "SW-DAST-009",
    "Session cookie without SameSite",
    Severity.LOW,
    "CWE-1275",
    "Set SameSite=Lax (or Strict) on session cookies.",
)
CORS_WILDCARD_CREDENTIALS = _rule(
    "SW-DAST-010",
    "CORS allows any origin together with credentials",
    Severity.MEDIUM,
    "CWE-942",
    "Never combine Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true.",
)
CORS_REFLECTED = _rule(
    "SW-DAST-011",
    "CORS trusts an arbitrary or null origin with credentials",
    Severity.HIGH,
    "CWE-942",
    "Check the Origin header against an allow-list; never reflect it or allow 'null'.",
)
STACK_TRACE = _rule(
    "SW-DAST-012",
    "Stack trace or framework debug page disclosed",
    Severity.MEDIUM,
    "CWE-209",
    "Turn off debug mode in production and answer errors with a generic page.",
)
VERSION_BANNER = _rule(
    "SW-DAST-013",
    "Server software version disclosed in a header",
    Severity.LOW,
    "CWE-200",
    "Remove version numbers from Server, X-Powered-By and similar headers.",
)
DIRECTORY_LISTING = _rule(
    "SW-DAST-014",
    "Directory listing enabled",
    Severity.MEDIUM,
    "CWE-548",
    "Turn off automatic directory indexes in the web server.",
)
EXPOSED_FILE = _rule(
    "SW-DAST-015",
    "Sensitive file exposed (.git, .env, backup or editor file)",
    Severity.HIGH,
    "CWE-538",
    "Do not deploy version-control, environment, backup or editor files; deny them in the server.",
)
MIXED_CONTENT = _rule(
    "SW-DAST-016",
    "HTTPS page loads resources over HTTP (mixed content)",
    Severity.LOW,
    "CWE-319",
    "Load every script, style, frame and image over HTTPS.",
)
PASSWORD_AUTOCOMPLETE = _rule(
    "SW-DAST-017",
    "Password field allows browser autocomplete",
    Severity.INFO,
    "CWE-522",
    'Use autocomplete="new-password" or "off" on password fields of shared-device forms.',
    Confidence.MEDIUM,
)
SENSITIVE_URL = _rule(
    "SW-DAST-018",
    "Sensitive data in a URL",
    Severity.MEDIUM,
    "CWE-598",
    "Send passwords, tokens and keys in headers or request bodies, never in the query string.",
)
CSRF = _rule(
    "SW-DAST-019",
    "State-changing form without an anti-CSRF token",
    Severity.MEDIUM,
    "CWE-352",
    "Add a per-session anti-CSRF token to the form and check it, and set SameSite on cookies.",
    Confidence.MEDIUM,
)
GRAPHQL_INTROSPECTION = _rule(
    "SW-DAST-020",
    "GraphQL introspection enabled",
    Severity.LOW,
    "CWE-200",
    "Turn off introspection in production (or restrict it to authenticated developers).",
    description="The GraphQL endpoint answers the introspection query with its whole schema, "
    "handing every query, mutation and argument to an attacker.",
)
GRAPHQL_BATCHING = _rule(
    "SW-DAST-021",
    "GraphQL accepts unlimited batched queries",
    Severity.LOW,
    "CWE-770",
    "Limit the number of operations per request (or refuse batches), and count each operation "
    "against rate limits.",
    Confidence.MEDIUM,
    description="One HTTP request carries many operations (a JSON array or aliases): rate "
    "limits per request, such as on login or one-time codes, are bypassed.",
)
GRAPHQL_DEPTH = _rule(
    "SW-DAST-022",
    "GraphQL has no query depth limit",
    Severity.LOW,
    "CWE-400",
    "Reject queries deeper than the application needs (a depth or cost limit in the server).",
    Confidence.MEDIUM,
    description="A deeply nested query over a recursive type is executed: a few such requests "
    "can exhaust the server.",
)
XSS_REFLECTED = _rule(
    "SW-DAST-101",
    "Reflected cross-site scripting",
    Severity.HIGH,
    "CWE-79",
    "Encode output for its context (HTML body, attribute, script) with the template engine's "
    "autoescaping; add a strict Content-Security-Policy.",
)
XSS_STORED = _rule(
    "SW-DAST-102",
    "Stored cross-site scripting",
    Severity.HIGH,
    "CWE-79",
    "Encode stored data for its output context wherever it is displayed.",
)
SQL_INJECTION = _rule(
    "SW-DAST-103",
    "SQL injection",
    Severity.CRITICAL,
    "CWE-89",
    "Use parameterised queries; never build SQL from request data.",
)
COMMAND_INJECTION = _rule(
    "SW-DAST-104",
    "OS command injection",
    Severity.CRITICAL,
    "CWE-78",
    "Do not pass request data to a shell; call programs with an argument list.",
)
PATH_TRAVERSAL = _rule(
    "SW-DAST-105",
    "Path traversal / local file inclusion",
    Severity.HIGH,
    "CWE-22",
    "Resolve the path and check that it stays inside the allowed directory; prefer ids to names.",
)
OPEN_REDIRECT = _rule(
    "SW-DAST-106",
    "Open redirect",
    Severity.MEDIUM,
    "CWE-601",
    "Redirect only to relative paths or to an allow-list of hosts.",
)
TEMPLATE_INJECTION = _rule(
    "SW-DAST-107",
    "Server-side template injection",
    Severity.CRITICAL,
    "CWE-1336",
    "Never build templates from request data; pass data to the template as variables.",
)
CRLF_INJECTION = _rule(
    "SW-DAST-108",
    "CRLF injection into response headers",
    Severity.MEDIUM,
    "CWE-113",
    "Reject or strip CR and LF from any value written to a response header.",
)
SSRF = _rule(
    "SW-DAST-109",
    "Server-side request forgery",
    Severity.HIGH,
    "CWE-918",
    "Fetch only allow-listed hosts and schemes; resolve and block internal addresses.",
)
XXE = _rule(
    "SW-DAST-110",
    "XML external entity injection",
    Severity.HIGH,
    "CWE-611",
    "Turn off DTDs and external entities in the XML parser (defusedxml in Python).",
)

RULES: tuple[Rule, ...] = (
    CSP_MISSING,
    CSP_WEAK,
    HSTS_MISSING,
    NOSNIFF_MISSING,
    CLICKJACKING,
    REFERRER_POLICY,
    COOKIE_HTTPONLY,
    COOKIE_SECURE,
    COOKIE_SAMESITE,
    CORS_WILDCARD_CREDENTIALS,
    CORS_REFLECTED,
    STACK_TRACE,
    VERSION_BANNER,
    DIRECTORY_LISTING,
    EXPOSED_FILE,
    MIXED_CONTENT,
    PASSWORD_AUTOCOMPLETE,
    SENSITIVE_URL,
    CSRF,
    GRAPHQL_INTROSPECTION,
    GRAPHQL_BATCHING,
    GRAPHQL_DEPTH,
    XSS_REFLECTED,
    XSS_STORED,
    SQL_INJECTION,
    COMMAND_INJECTION,
    PATH_TRAVERSAL,
    OPEN_REDIRECT,
    TEMPLATE_INJECTION,
    CRLF_INJECTION,
    SSRF,
    XXE,
)
