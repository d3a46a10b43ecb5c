from __future__ import annotations

import dataclasses
import pickle

import pytest

from shieldwall.core import (
    Confidence,
    Finding,
    PackageLocation,
    Purl,
    Rule,
    RuleDefinitionError,
    Severity,
    SourceLocation,
)
from shieldwall.core.frozen import FrozenDict
from shieldwall.core.redaction import redact, secret_hash

RULE = Rule.create(id="SW-TST-100", title="t", severity="medium", scanner="x", cwe=["89", "CWE-20"])


def test_severity_is_ordered() -> None:
    assert Severity.INFO < Severity.LOW < Severity.MEDIUM < Severity.HIGH < Severity.CRITICAL
    assert sorted([Severity.HIGH, Severity.INFO, Severity.CRITICAL])[-1] is Severity.CRITICAL
    assert Severity.from_cvss_score(9.8) is Severity.CRITICAL
    assert Severity.from_cvss_score(7.0) is Severity.HIGH
    assert Severity.from_cvss_score(0.0) is Severity.INFO
    assert float(Severity.HIGH.security_severity) >= 7.0


def test_rule_validates_ids_and_normalises_cwe() -> None:
    assert RULE.cwe == ("CWE-89", "CWE-20")
    with pytest.raises(RuleDefinitionError, match="must look like"):
        Rule.create(id="bad id", title="t", severity="low", scanner="x")
    with pytest.raises(RuleDefinitionError, match="CWE"):
        Rule.create(id="SW-TST-1", title="t", severity="low", scanner="x", cwe=["XSS"])
    with pytest.raises(ValueError, match="severe"):
        Rule.create(id="SW-TST-1", title="t", severity="severe", scanner="x")


def _at(line: int, snippet: str = 'query = "SELECT " + name') -> Finding:
    return Finding.create(
        rule=RULE, message="sql", location=SourceLocation("app/db.py", line, snippet=snippet)
    )


def test_fingerprint_survives_line_shift_and_reindent() -> None:
    assert _at(3).fingerprint == _at(40).fingerprint
    assert _at(3).fingerprint == _at(3, '    query =  "SELECT " + name').fingerprint
    assert _at(3).fingerprint != _at(3, 'query = "DELETE " + name').fingerprint
    other_path = dataclasses.replace(_at(3).location, path="app/other.py")
    moved = Finding.create(rule=RULE, message="sql", location=other_path)
    assert moved.fingerprint != _at(3).fingerprint


def test_secret_is_redacted_everywhere_at_creation() -> None:
    secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"  # shieldwall: ignore[SW-SEC-086] fake test key
    finding = Finding.create(
        rule=RULE,
        message=f"stripe key {secret}",
        location=SourceLocation("a.py", 1, snippet=f'key = "{secret}"'),
        secret=secret,
    )
    text = repr(finding)
    assert secret not in text
    assert finding.properties["secret_preview"] == redact(secret) == "sk_l*****"
    assert finding.properties["secret_hash"] == secret_hash(secret)
    assert finding.location.snippet == 'key = "sk_l*****"'
    assert finding.severity is Severity.MEDIUM and finding.confidence is Confidence.HIGH


def test_finding_pickles_and_properties_are_read_only() -> None:
    finding = Finding.create(
        rule=RULE,
        message="vulnerable",
        location=PackageLocation("requirements.txt", Purl("pkg:pypi/x@1"), "x", "1", "PyPI"),
        properties={"aliases": ["CVE-1"]},
    )
    assert pickle.loads(pickle.dumps(finding)) == finding  # noqa: S301 - our own bytes
    assert isinstance(finding.properties, FrozenDict)
    with pytest.raises(TypeError):
        finding.properties["x"] = 1  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.message = "changed"  # type: ignore[misc]
