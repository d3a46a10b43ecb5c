"""The rules behind the plugin's tests, so failures become findings in SARIF and in the hub."""

from __future__ import annotations

from shieldwall.core.rule import Rule

__all__ = ["ACCESS", "AUTHN", "BOLA", "COOKIE", "ERROR_LEAK", "HEADER", "QA_RULES", "SCANNER"]

SCANNER = "qa"

ACCESS = Rule.create(
    id="SW-QA-001",
    title="Access-control matrix violated",
    severity="high",
    scanner=SCANNER,
    description="A role reached an endpoint the access-control matrix denies it, or was refused "
    "one it should reach.",
    remediation="Enforce the role check on the endpoint (server side, deny by default).",
    cwe=("CWE-285",),
)
BOLA = Rule.create(
    id="SW-QA-002",
    title="Object-level authorisation missing (BOLA/IDOR)",
    severity="high",
    scanner=SCANNER,
    description="One user could read, change or delete an object another user created.",
    remediation="Check that the object belongs to the caller before every read and write.",
    cwe=("CWE-639",),
    references=(
        "https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/",
    ),
)
AUTHN = Rule.create(
    id="SW-QA-003",
    title="Operation does not require authentication",
    severity="high",
    scanner=SCANNER,
    description="An operation of the OpenAPI document answered an anonymous request, and it is "
    "not marked public.",
    remediation="Require authentication, or mark the operation public (`security: []` or the "
    "plan's `public:` list) if that is intended.",
    cwe=("CWE-306",),
)
HEADER = Rule.create(
    id="SW-QA-004",
    title="Security header missing",
    severity="low",
    scanner=SCANNER,
    description="A response lacks a security header the plan requires.",
    remediation="Set the header on every response (middleware).",
    cwe=("CWE-693",),
)
COOKIE = Rule.create(
    id="SW-QA-005",
    title="Cookie without Secure, HttpOnly or SameSite",
    severity="medium",
    scanner=SCANNER,
    description="A Set-Cookie header lacks a protective attribute.",
    remediation="Set Secure, HttpOnly and SameSite=Lax (or Strict) on session cookies.",
    cwe=("CWE-614", "CWE-1004"),
)
ERROR_LEAK = Rule.create(
    id="SW-QA-006",
    title="Stack trace or debug page in an error response",
    severity="medium",
    scanner=SCANNER,
    description="An error response shows a stack trace or a framework debug page.",
    remediation="Turn debug mode off in production and serve a generic error page.",
    cwe=("CWE-209",),
)

QA_RULES = (ACCESS, BOLA, AUTHN, HEADER, COOKIE, ERROR_LEAK)
