"""Model claims checked against the IaC: each claim contradicted (resource and finding) and not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.threatmodel.claims import CLAIM_RULE_IDS, Claim
from shieldwall.threatmodel.engine import Analysis
from shieldwall.threatmodel.evidence import ScannerFinding
from shieldwall.threatmodel.service import check_model

runner = CliRunner()

MODEL = """\
version: 1
name: claims
components:
  - id: db
    kind: database
    exposure: private
    authentication: password
    encryption_at_rest: true
    iac: [aws_db_instance.orders]
  - id: web
    kind: web_app
    exposure: internal
    authentication: token
    iac: [k8s/**]
  - id: api
    kind: api
    exposure: internet
    authentication: token
    iac: [aws_api_gateway_method.*]
actors:
  - {id: user, kind: user}
flows:
  - {id: to-web, from: user, to: web, protocol: https}
  - {id: to-db, from: web, to: db, protocol: postgres, encrypted: true}
"""

BAD_TF = """\
resource "aws_db_instance" "orders" {
  engine              = "postgres"
  publicly_accessible = true
  storage_encrypted   = false
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = "x"
  resource_id   = "y"
  http_method   = "GET"
  authorization = "NONE"
}
"""

GOOD_TF = """\
resource "aws_db_instance" "orders" {
  engine              = "postgres"
  publicly_accessible = false
  storage_encrypted   = true
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = "x"
  resource_id   = "y"
  http_method   = "GET"
  authorization = "AWS_IAM"
}
"""

BAD_K8S = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  ports:
    - port: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: shop.example.com
"""

GOOD_K8S = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ClusterIP
  ports:
    - port: 80
"""


def _repo(tmp_path: Path, tf: str, k8s: str, model: str = MODEL) -> Path:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(tf)
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "web.yaml").write_text(k8s)
    path = tmp_path / "threatmodel.yaml"
    path.write_text(model)
    return path


def _contradictions(analysis: Analysis) -> dict[str, list[str]]:
    claim_ids = set(CLAIM_RULE_IDS.values())
    return {
        t.id: sorted(f"{e.path}:{e.line}" for e in t.evidence)
        for t in analysis.threats
        if t.rule.id in claim_ids
    }


def test_every_claim_contradicted_by_the_resources(tmp_path: Path) -> None:
    model = _repo(tmp_path, BAD_TF, BAD_K8S)
    found = _contradictions(check_model(model, iac=tmp_path))
    assert found == {
        "SW-TM-C01@db": ["infra/main.tf:4"],  # storage_encrypted = false
        "SW-TM-C03@db": ["infra/main.tf:3"],  # publicly_accessible = true
        "SW-TM-C03@web": ["k8s/web.yaml:10", "k8s/web.yaml:6"],  # Ingress, LoadBalancer
        "SW-TM-C02@to-web": ["k8s/web.yaml:10"],  # https modelled, the Ingress has no TLS
        "SW-TM-C04@api": ["infra/main.tf:11"],  # authorization = "NONE"
    }


def test_no_contradiction_when_the_iac_agrees(tmp_path: Path) -> None:
    model = _repo(tmp_path, GOOD_TF, GOOD_K8S)
    assert _contradictions(check_model(model, iac=tmp_path)) == {}


def test_no_claim_no_contradiction(tmp_path: Path) -> None:
    honest = (
        MODEL.replace("exposure: private", "exposure: internet")
        .replace("encryption_at_rest: true", "encryption_at_rest: false")
        .replace("exposure: internal", "exposure: internet")
        .replace(
            "authentication: token\n    iac: [aws_api", "authentication: none\n    iac: [aws_api"
        )
        .replace("to: web, protocol: https", "to: web, protocol: http")
    )
    model = _repo(tmp_path, BAD_TF, BAD_K8S, honest)
    assert _contradictions(check_model(model, iac=tmp_path)) == {}


def test_a_missing_default_counts_and_an_unknown_value_does_not(tmp_path: Path) -> None:
    tf = 'variable "enc" {}\nresource "aws_db_instance" "orders" {\n  engine = "postgres"\n}\n'
    model = _repo(tmp_path, tf, GOOD_K8S)
    # RDS storage is unencrypted unless storage_encrypted says otherwise.
    assert _contradictions(check_model(model, iac=tmp_path)) == {
        "SW-TM-C01@db": ["infra/main.tf:2"]
    }
    (tmp_path / "infra" / "main.tf").write_text(
        'variable "enc" {}\nresource "aws_db_instance" "orders" {\n'
        "  storage_encrypted = var.enc\n}\n"
    )
    assert _contradictions(check_model(model, iac=tmp_path)) == {}


def _finding(rule: str, resource: str, path: str = "infra/main.tf") -> dict[str, object]:
    return {
        "rule": {"id": rule, "title": rule, "cwe": []},
        "location": {"kind": "source", "path": path, "start_line": 7},
        "properties": {"resource": resource},
    }


@pytest.mark.parametrize(
    ("rule", "resource", "threat"),
    [
        ("SW-IAC-020", "aws_db_instance.orders", "SW-TM-C01@db"),
        ("SW-IAC-021", "aws_db_instance.orders", "SW-TM-C03@db"),
        ("SW-IAC-062", "aws_api_gateway_method.get", "SW-TM-C04@api"),
        ("SW-IAC-148", "aws_db_instance.orders", "SW-TM-C02@to-db"),
    ],
)
def test_iac_findings_contradict_claims(
    tmp_path: Path, rule: str, resource: str, threat: str
) -> None:
    model = _repo(tmp_path, GOOD_TF, GOOD_K8S)
    report = tmp_path / "scan.json"
    report.write_text(json.dumps({"findings": [_finding(rule, resource)]}))
    assert _contradictions(check_model(model, findings=[report])) == {threat: ["infra/main.tf:7"]}


def test_unrelated_iac_findings_contradict_nothing(tmp_path: Path) -> None:
    model = _repo(tmp_path, GOOD_TF, GOOD_K8S)
    report = tmp_path / "scan.json"
    findings = [
        _finding("SW-IAC-020", "aws_db_instance.other"),  # not a resource of the model
        _finding("SW-IAC-023", "aws_db_instance.orders"),  # no deletion protection: no claim
    ]
    report.write_text(json.dumps({"findings": findings}))
    assert _contradictions(check_model(model, findings=[report])) == {}


def test_a_contradiction_can_be_accepted_like_any_threat(tmp_path: Path) -> None:
    accepted = MODEL + (
        "risks:\n  - {threat: SW-TM-C03@web, status: accepted, owner: ops, expires: 2099-01-01}\n"
    )
    model = _repo(tmp_path, BAD_TF, BAD_K8S, accepted)
    by_id = {t.id: t for t in check_model(model, iac=tmp_path).threats}
    assert by_id["SW-TM-C03@web"].status.value == "accepted"
    assert not by_id["SW-TM-C03@web"].blocking and by_id["SW-TM-C01@db"].blocking


def test_check_reports_both_locations(tmp_path: Path) -> None:
    model = _repo(tmp_path, BAD_TF, BAD_K8S)
    out = tmp_path / "out.sarif"
    result = runner.invoke(
        app,
        ["threatmodel", "check", str(model), "--iac", str(tmp_path), "-f", "sarif", "-o", str(out)],
    )
    assert result.exit_code == 1, result.output
    sarif = json.loads(out.read_text())
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"] if "-C0" in r["ruleId"]}
    db = results["SW-TM-C01"]
    region = db["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"].endswith("threatmodel.yaml")
    assert region["region"]["startLine"] == 4  # the db component in the model
    evidence = db["properties"]["shieldwall"]["evidence"]
    assert evidence[0]["location"] == "infra/main.tf:4"
    assert "storage_encrypted is false (infra/main.tf:4)" in db["message"]["text"]


def test_claim_kinds_have_rules() -> None:
    assert set(CLAIM_RULE_IDS) == set(Claim)


def test_scanner_finding_resource_children_belong_to_the_parent() -> None:
    from shieldwall.threatmodel.evidence import belongs_to
    from shieldwall.threatmodel.model import Component
    from shieldwall.threatmodel.vocabulary import ComponentKind

    web = Component(
        id="web", name="web", line=1, kind=ComponentKind.WEB_APP, iac=("aws_security_group.web",)
    )
    child = ScannerFinding(
        "SW-IAC-110", "", "high", "", "infra/main.tf", 3, frozenset(), "", resource=""
    )
    assert not belongs_to(child, web)
    assert belongs_to(
        ScannerFinding(
            "SW-IAC-110",
            "",
            "high",
            "",
            "x.tf",
            3,
            frozenset(),
            "",
            resource="aws_security_group.web.ingress[0]",
        ),
        web,
    )
    assert not belongs_to(
        ScannerFinding(
            "SW-IAC-110",
            "",
            "high",
            "",
            "x.tf",
            3,
            frozenset(),
            "",
            resource="aws_security_group.webx",
        ),
        web,
    )
