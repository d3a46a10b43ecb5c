"""Risk status, evidence from findings in both directions, and threats as findings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from shieldwall.core.errors import UsageError
from shieldwall.core.location import SourceLocation
from shieldwall.policy.gate import evaluate_gate
from shieldwall.threatmodel.engine import analyse
from shieldwall.threatmodel.evidence import ScannerFinding, read_findings
from shieldwall.threatmodel.findings import analysis_to_result
from shieldwall.threatmodel.load import parse_model
from shieldwall.threatmodel.rules import builtin_rules
from shieldwall.threatmodel.vocabulary import ThreatStatus

MODEL = """\
name: orders
actors: [{id: shopper, kind: anonymous}]
components:
  - id: orders-api
    kind: api
    exposure: internet
    authentication: token
    authorisation: per_object
    code: [services/orders/**]
    iac: [aws_lb.orders]
    images: [registry.example.com/orders]
    controls: [limits]
  - id: orders-db
    kind: database
    exposure: private
    authentication: password
    encryption_at_rest: true
controls: [{id: limits, kind: rate_limiting}]
flows:
  - {id: f1, from: shopper, to: orders-api, protocol: https}
  - id: f2
    from: orders-api
    to: orders-db
    protocol: postgres
    authenticated: true
    encrypted: true
"""
TODAY = dt.date(2026, 11, 29)


def finding(rule: str, path: str, cwe: list[str], **extra: str) -> ScannerFinding:
    return ScannerFinding(
        rule_id=rule,
        title=rule,
        severity="high",
        message="m",
        path=path,
        line=3,
        cwe=frozenset(cwe),
        fingerprint=f"{rule}:{path}",
        image=extra.get("image", ""),
        resource=extra.get("resource", ""),
    )


def threats(text: str = MODEL, findings: tuple[ScannerFinding, ...] = ()) -> dict[str, object]:
    analysis = analyse(parse_model(text, "tm.yaml"), builtin_rules(), findings, today=TODAY)
    return {t.id: t for t in analysis.threats}


def test_sql_injection_finding_evidences_the_injection_threat() -> None:
    sqli = finding("SW-PY-001", "services/orders/db.py", ["CWE-89"])
    elsewhere = finding("SW-PY-001", "services/billing/db.py", ["CWE-89"])
    analysis = analyse(
        parse_model(MODEL, "tm.yaml"), builtin_rules(), (sqli, elsewhere), today=TODAY
    )
    by_id = {t.id: t for t in analysis.threats}
    injection = by_id["SW-TM-021@orders-api"]
    assert injection.evidence == (sqli,)
    assert [t.id for t in analysis.threats if t.evidence] == ["SW-TM-021@orders-api"]
    assert analysis.linked["orders-api"] == (sqli,)
    assert analysis.unlinked == (elsewhere,)
    result = analysis_to_result(analysis)
    as_finding = next(f for f in result.findings if f.properties["threat_id"] == injection.id)
    assert as_finding.severity.value == "critical"
    assert as_finding.properties["evidence"][0]["location"] == "services/orders/db.py:3"
    assert as_finding.location == SourceLocation(path="tm.yaml", start_line=4, snippet="orders-api")


def test_iac_and_image_findings_link_too() -> None:
    by_iac = finding("SW-IAC-1", "infra/lb.tf", ["CWE-400"], resource="aws_lb.orders")
    by_image = finding(
        "SW-IMG-1", "usr/lib/x", ["CWE-1395"], image="registry.example.com/orders:1.2"
    )
    by_id = threats(findings=(by_iac, by_image))
    assert by_id["SW-TM-085@orders-api"].evidence == (by_iac,)  # type: ignore[attr-defined]
    assert by_id["SW-TM-036@orders-api"].evidence == (by_image,)  # type: ignore[attr-defined]


def test_pillar_cwes_are_not_evidence() -> None:
    web = MODEL.replace("kind: api\n", "kind: web_app\n", 1)
    by_id = threats(web)
    assert "CWE-693" in by_id["SW-TM-078@orders-api"].rule.rule.cwe  # type: ignore[attr-defined]
    broad = finding("SW-IAC-2", "services/orders/Dockerfile", ["CWE-693"])
    assert not any(t.evidence for t in threats(web, (broad,)).values())  # type: ignore[attr-defined]
    specific = finding("SW-IAC-3", "services/orders/Dockerfile", ["CWE-693", "CWE-602"])
    evidenced = {k for k, t in threats(web, (specific,)).items() if t.evidence}  # type: ignore[attr-defined]
    assert evidenced == {"SW-TM-045@orders-api"}


def test_controls_mitigate_and_evidence_reopens() -> None:
    by_id = threats()
    flooding = by_id["SW-TM-084@orders-api"]
    assert flooding.status is ThreatStatus.MITIGATED  # type: ignore[attr-defined]
    assert flooding.status_note == "mitigated by control: rate_limiting"  # type: ignore[attr-defined]
    assert not flooding.blocking  # type: ignore[attr-defined]
    dos = finding("SW-PY-9", "services/orders/api.py", ["CWE-770"])
    assert threats(findings=(dos,))["SW-TM-084@orders-api"].blocking  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("risk", "status", "blocking"),
    [
        ("{status: mitigated, reference: PR-7}", ThreatStatus.MITIGATED, False),
        ("{status: accepted, owner: sec, expires: 2027-01-01}", ThreatStatus.ACCEPTED, False),
        ("{status: accepted, owner: sec, expires: 2026-01-01}", ThreatStatus.OPEN, True),
        ("{status: false_positive, reason: unreachable}", ThreatStatus.FALSE_POSITIVE, False),
        ("{status: open}", ThreatStatus.OPEN, True),
    ],
)
def test_tracked_status(risk: str, status: ThreatStatus, blocking: bool) -> None:
    text = MODEL + f"risks:\n  - {{threat: SW-TM-088@orders-db, {risk[1:]}\n"
    threat = threats(text)["SW-TM-088@orders-db"]
    assert threat.status is status  # type: ignore[attr-defined]
    assert threat.blocking is blocking  # type: ignore[attr-defined]
    if "2026-01-01" in risk:
        assert "expired on 2026-01-01" in threat.status_note  # type: ignore[attr-defined]


def test_gate_counts_only_blocking_threats() -> None:
    analysis = analyse(parse_model(MODEL, "tm.yaml"), builtin_rules(), today=TODAY)
    result = analysis_to_result(analysis)
    blocking = {t.id for t in analysis.threats if t.blocking}
    active = {f.properties["threat_id"] for f in result.active}
    assert active == blocking
    assert {f.properties["threat_id"] for f in result.suppressed} == {
        t.id for t in analysis.threats if not t.blocking
    }
    assert evaluate_gate(result, "none").passed
    assert not evaluate_gate(result, "medium").passed


def test_stale_risks_warn() -> None:
    text = MODEL + "risks:\n  - {threat: SW-TM-999@orders-db, status: open}\n"
    text += "  - {threat: SW-TM-061@orders-db, status: open}\n"
    analysis = analyse(parse_model(text, "tm.yaml"), builtin_rules(), today=TODAY)
    assert analysis.warnings == (
        "tm.yaml:29: risk entry SW-TM-061@orders-db is stale (the threat no longer applies)",
        "tm.yaml:28: risk entry SW-TM-999@orders-db is stale (no such rule)",
    )


def test_fingerprints_are_stable_across_line_moves() -> None:
    first = analysis_to_result(analyse(parse_model(MODEL, "tm.yaml"), builtin_rules()))
    moved = analysis_to_result(
        analyse(parse_model("# a comment\n\n" + MODEL, "tm.yaml"), builtin_rules())
    )
    assert {f.fingerprint for f in first.findings} == {f.fingerprint for f in moved.findings}


def test_read_findings_from_a_shieldwall_report(tmp_path: Path) -> None:
    report = {
        "version": "1",
        "findings": [
            {
                "rule": {"id": "SW-PY-001", "title": "SQL", "cwe": ["CWE-89"]},
                "severity": "high",
                "message": "sql",
                "location": {"kind": "source", "path": "./app/db.py", "start_line": 4},
                "fingerprint": "abc",
                "suppressed": False,
                "properties": {},
            },
            {
                "rule": {"id": "SW-PY-002", "cwe": ["CWE-78"]},
                "location": {"kind": "source", "path": "app/x.py", "start_line": 1},
                "suppressed": True,
            },
        ],
    }
    path = tmp_path / "scan.json"
    path.write_text(json.dumps(report))
    (only,) = read_findings(path)
    assert (only.path, only.line, only.cwe) == ("app/db.py", 4, frozenset({"CWE-89"}))
    path.write_text("{not json")
    with pytest.raises(UsageError, match="not a shieldwall JSON report"):
        read_findings(path)
