"""Custom YAML policies: every operator, composition, related resources, and validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from shieldwall.analyzers.iac import IacConfig
from shieldwall.analyzers.iac.policy import PolicyError, load_policies
from tests.analyzers.iac.conftest import Run, pairs

POLICIES = """\
policies:
  - id: ACME-IAC-001
    title: Buckets must be tagged with an owner and a cost centre
    severity: low
    resource: aws_s3_bucket
    assert:
      and:
        - {attr: tags.owner, exists: true}
        - {attr: tags.cost_centre, regex: "^CC-[0-9]{4}$"}
  - id: ACME-IAC-002
    title: Instances must be small
    severity: medium
    cwe: [CWE-400]
    resource: [aws_instance]
    when: {attr: tags.env, not_equals: prod}
    assert: {attr: instance_type, in: [t3.micro, t3.small]}
  - id: ACME-IAC-003
    title: Volumes need at least 20 GB and at most 100 GB
    severity: low
    resource: aws_ebs_volume
    assert:
      and:
        - {attr: size, gte: 20}
        - {attr: size, lte: 100}
  - id: ACME-IAC-004
    title: Security groups must not allow any world-open rule
    severity: high
    resource: aws_security_group
    assert:
      related: aws_security_group_rule
      none: {attr: cidr_blocks, contains: 0.0.0.0/0}
  - id: ACME-IAC-005
    title: Queues need a dead-letter policy or must be FIFO
    severity: low
    resource: aws_sqs_queue
    assert:
      or:
        - {attr: redrive_policy, exists: true}
        - {attr: fifo_queue, equals: true}
  - id: ACME-IAC-006
    title: No container may use the host network in Compose
    severity: medium
    resource: compose_service
    assert:
      not: {attr: network_mode, equals: host}
  - id: ACME-IAC-007
    title: Every ingress rule needs a description
    severity: low
    resource: aws_security_group
    assert:
      each: ingress
      all: {attr: description, exists: true}
"""

MAIN = """\
resource "aws_s3_bucket" "tagged" {
  tags = { owner = "team-a", cost_centre = "CC-1234" }
}
resource "aws_s3_bucket" "untagged" {
  tags = { cost_centre = "none" }
}
resource "aws_instance" "big" {
  instance_type = "m5.4xlarge"
}
resource "aws_instance" "prod" {
  instance_type = "m5.4xlarge"
  tags          = { env = "prod" }
}
resource "aws_ebs_volume" "tiny" {
  size = 8
}
resource "aws_security_group" "open" {
  ingress {
    description = "web"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    cidr_blocks = ["10.0.0.0/8"]
  }
}
resource "aws_sqs_queue" "fifo" {
  fifo_queue = true
}
"""


def _custom(run_iac: Run, tmp_path: Path) -> set[tuple[str, int]]:
    (tmp_path / "policies").mkdir(exist_ok=True)
    (tmp_path / "policies" / "acme.yaml").write_text(POLICIES)
    config = IacConfig(custom_policies=("policies/acme.yaml",))
    findings, errors = run_iac({"main.tf": MAIN}, config)
    assert not errors
    return {p for p in pairs(findings) if p[0].startswith("ACME")}


def test_custom_policies_find_exactly_the_violations(run_iac: Run, tmp_path: Path) -> None:
    assert _custom(run_iac, tmp_path) == {
        ("ACME-IAC-001", 5),  # owner missing: the tags object's line; cost centre fails too
        ("ACME-IAC-002", 8),  # not prod, too big
        ("ACME-IAC-003", 15),
        ("ACME-IAC-004", 20),  # the world-open inline rule, joined to its group
        ("ACME-IAC-007", 22),  # the second ingress block has no description
    }


def test_skip_rules_silences_a_rule(run_iac: Run) -> None:
    text = 'resource "aws_db_instance" "db" {\n  publicly_accessible = true\n}\n'
    findings, _ = run_iac({"main.tf": text}, IacConfig(skip_rules=("SW-IAC-021",)))
    assert "SW-IAC-021" not in {f.rule.id for f in findings}
    assert "SW-IAC-020" in {f.rule.id for f in findings}


HEAD = "policies:\n  - id: X-1\n    title: t\n    severity: high\n    resource: r\n"


def _one(assertion: str, extra: str = "") -> str:
    return HEAD + extra + f"    assert: {assertion}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("policies: {}", "policies"),
        (HEAD, "assert"),
        (_one("{attr: a, exists: true}").replace("X-1", "bad"), "rule id"),
        (_one("{attr: a, exists: true}").replace("high", "urgent"), "severity"),
        (_one("{attr: a, equals: 1, contains: 2}"), "exactly one operator"),
        (_one("{attr: a, regex: '('}"), "invalid regular expression"),
        (_one("{attr: a, gt: ten}"), "expected a number"),
        (_one("{nand: []}"), "unknown condition keys"),
        (_one("{related: x, some: {attr: a, exists: true}}"), "exactly one of any, all, none"),
        (_one("{attr: a, exists: true}", extra="    extra: 1\n"), "extra"),
        (_one("{attr: a, exists: true}") + _one("{attr: b, exists: true}")[10:], "duplicate id"),
        ("policies: [unclosed", "YAML syntax error"),
    ],
)
def test_invalid_policies_give_clear_errors(text: str, message: str) -> None:
    with pytest.raises(PolicyError) as info:
        load_policies(text, "team.yaml")
    assert "team.yaml" in str(info.value)
    assert message in str(info.value)


def test_broken_custom_policy_file_is_reported_and_built_ins_still_run(
    run_iac: Run, tmp_path: Path
) -> None:
    (tmp_path / "bad.yaml").write_text(_one("{attr: a, exists: true}").replace("X-1", "SW-IAC-001"))
    text = 'resource "aws_db_instance" "db" {\n  publicly_accessible = true\n}\n'
    findings, errors = run_iac(
        {"main.tf": text}, IacConfig(custom_policies=("bad.yaml", "missing.yaml"))
    )
    messages = {e.path: e.message for e in errors}
    assert "already in use" in messages["bad.yaml"]
    assert "cannot read custom policy file" in messages["missing.yaml"]
    assert "SW-IAC-021" in {f.rule.id for f in findings}


def test_missing_custom_policy_file(run_iac: Run) -> None:
    _, errors = run_iac({"main.tf": ""}, IacConfig(custom_policies=("nope.yaml",)))
    assert len(errors) == 1 and "cannot read custom policy file" in errors[0].message
