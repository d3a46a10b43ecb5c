"""The analyzer contract, rule metadata, relations, redaction and fingerprints."""

from __future__ import annotations

import pickle
import re

from shieldwall.analyzers.iac import IacAnalyzer
from shieldwall.core import AnalyzerScope, Severity
from shieldwall.plugins import builtin_analyzers
from tests.analyzers.iac.conftest import Run, pairs


def test_registered_picklable_and_directory_scoped() -> None:
    analyzer = next(a for a in builtin_analyzers() if a.id == "iac")
    assert isinstance(analyzer, IacAnalyzer)
    assert analyzer.scope is AnalyzerScope.DIRECTORY
    # Our own freshly pickled object: the pool ships analyzers to workers this way.
    assert isinstance(pickle.loads(pickle.dumps(analyzer)), IacAnalyzer)  # noqa: S301


def test_every_rule_has_complete_metadata() -> None:
    rules = IacAnalyzer().rules()
    assert len(rules) >= 190
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert re.fullmatch(r"SW-IAC-\d{3}", rule.id), rule.id
        assert rule.scanner == "iac" and rule.cwe, rule.id
        assert rule.remediation, rule.id
        assert "```" in rule.remediation, f"{rule.id}: remediation has no fixed snippet"


def test_secret_values_are_redacted(run_iac: Run) -> None:
    findings, _ = run_iac(
        {
            "Dockerfile": (
                "FROM python:3.12\nENV DB_PASSWORD=hunter2hunter2\nUSER 1\nHEALTHCHECK NONE\n"
            ),
            "compose.yaml": (
                "services:\n  db:\n    image: pg:16\n    environment:\n"
                "      POSTGRES_PASSWORD: s3cr3t-value\n"
            ),
        }
    )
    secret_findings = [f for f in findings if f.rule.id in {"SW-IAC-224", "SW-IAC-410"}]
    assert len(secret_findings) == 2
    for finding in secret_findings:
        text = f"{finding.message} {finding.location.snippet}"  # type: ignore[union-attr]
        assert "hunter2hunter2" not in text and "s3cr3t-value" not in text
        assert "secret_hash" in finding.properties


def test_fingerprints_survive_line_moves(run_iac: Run) -> None:
    body = 'resource "aws_db_instance" "db" {\n  publicly_accessible = true\n}\n'
    before, _ = run_iac({"main.tf": body})
    after, _ = run_iac({"main.tf": "# a new comment\n\n" + body})
    fp = {f.rule.id: f.fingerprint for f in before}
    moved = {f.rule.id: f.fingerprint for f in after}
    assert fp == moved
    assert {f.location.start_line for f in after if f.rule.id == "SW-IAC-021"} == {4}  # type: ignore[union-attr]


def test_split_out_settings_across_files_are_joined_to_their_bucket(run_iac: Run) -> None:
    findings, _ = run_iac(
        {
            "bucket.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n',
            "acl.tf": (
                'resource "aws_s3_bucket_acl" "b" {\n  bucket = aws_s3_bucket.b.id\n'
                '  acl    = "public-read"\n}\n'
            ),
        }
    )
    acl = [f for f in findings if f.rule.id == "SW-IAC-001"]
    assert [(f.location.path, f.location.start_line) for f in acl] == [("acl.tf", 3)]  # type: ignore[union-attr]
    assert acl[0].properties["resource"] == "aws_s3_bucket.b"
    assert acl[0].severity is Severity.HIGH


def test_iam_heredoc_json_lines_are_exact(run_iac: Run) -> None:
    text = (
        'resource "aws_iam_policy" "p" {\n'
        "  policy = <<EOF\n"
        "{\n"
        '  "Statement": [\n'
        '    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}\n'
        "  ]\n"
        "}\n"
        "EOF\n"
        "}\n"
    )
    findings, _ = run_iac({"iam.tf": text})
    assert ("SW-IAC-103", 5) in pairs(findings)
