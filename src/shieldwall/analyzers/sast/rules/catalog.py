"""How SAST rule metadata is written: one call per rule, OWASP category as a tag."""

from __future__ import annotations

from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence, Severity

SCANNER = "sast"

# Pattern rules about a value "built at run time": when the taint analysis proves the value carries
# only constants or sanitised data, the pattern finding is noise and is dropped.
SETTLED_BY_TAINT = "settled-by-taint"

OWASP = {
    "A01": "owasp:A01:2021",  # Broken Access Control
    "A02": "owasp:A02:2021",  # Cryptographic Failures
    "A03": "owasp:A03:2021",  # Injection
    "A04": "owasp:A04:2021",  # Insecure Design
    "A05": "owasp:A05:2021",  # Security Misconfiguration
    "A06": "owasp:A06:2021",  # Vulnerable and Outdated Components
    "A07": "owasp:A07:2021",  # Identification and Authentication Failures
    "A08": "owasp:A08:2021",  # Software and Data Integrity Failures
    "A09": "owasp:A09:2021",  # Security Logging and Monitoring Failures
    "A10": "owasp:A10:2021",  # Server-Side Request Forgery
}


def make_rule(
    number: int,
    title: str,
    *,
    cwe: tuple[str, ...],
    owasp: str,
    severity: Severity,
    confidence: Confidence,
    description: str,
    remediation: str,
    tags: tuple[str, ...] = (),
) -> Rule:
    """A rule ``SW-PY-<number>``; the first CWE is the most specific one."""
    return Rule.create(
        id=f"SW-PY-{number:03d}",
        title=title,
        severity=severity,
        confidence=confidence,
        scanner=SCANNER,
        description=description,
        remediation=remediation,
        cwe=cwe,
        references=tuple(
            f"https://cwe.mitre.org/data/definitions/{c.split('-')[1]}.html" for c in cwe
        ),
        tags=(OWASP[owasp], "python", *tags),
    )
