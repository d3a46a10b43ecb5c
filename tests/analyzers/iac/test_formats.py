"""CloudFormation, plan JSON, Kubernetes, compose and Dockerfile on the one resource model."""

from __future__ import annotations

import json

from shieldwall.analyzers.iac.dockerfile import parse_dockerfile
from shieldwall.analyzers.iac.loading import classify
from tests.analyzers.iac.conftest import Run, pairs

CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Public:
    Type: String
    Default: "true"
  Env:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotCreated: !Not [!Condition IsProd]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: !Sub "${Env}-db"
      PubliclyAccessible: !Ref Public
      StorageEncrypted: !If [IsProd, false, true]
  Skipped:
    Type: AWS::RDS::DBInstance
    Condition: NotCreated
    Properties:
      PubliclyAccessible: true
"""


def test_cloudformation_intrinsics_resolve_to_the_same_policies(run_iac: Run) -> None:
    findings, errors = run_iac({"stack.yaml": CFN})
    assert not errors
    found = pairs(findings)
    assert ("SW-IAC-021", 17) in found  # !Ref to a parameter default
    assert ("SW-IAC-020", 18) in found  # !If on a condition decided by !Equals
    assert all(f.properties["resource"] == "Db" for f in findings)


def test_cloudformation_json_template(run_iac: Run) -> None:
    template = {
        "Resources": {
            "Key": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": False}},
        }
    }
    findings, _ = run_iac({"key.template.json": json.dumps(template, indent=2)})
    assert ("SW-IAC-040", 6) in pairs(findings)


def test_terraform_plan_json_uses_resolved_values(run_iac: Run) -> None:
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [],
                "child_modules": [
                    {
                        "resources": [
                            {
                                "address": "module.db.aws_db_instance.main",
                                "mode": "managed",
                                "type": "aws_db_instance",
                                "values": {"publicly_accessible": True, "storage_encrypted": True},
                            }
                        ]
                    }
                ],
            }
        },
    }
    text = json.dumps(plan, indent=1)
    findings, _ = run_iac({"plan.json": text})
    line = next(n for n, x in enumerate(text.splitlines(), 1) if '"publicly_accessible"' in x)
    public = [f for f in findings if f.rule.id == "SW-IAC-021"]
    assert len(public) == 1
    assert public[0].properties["resource"] == "module.db.aws_db_instance.main"
    assert public[0].location.start_line == line  # type: ignore[union-attr]


def test_kubernetes_objects_that_are_not_workloads_are_fine(run_iac: Run) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n"
    findings, errors = run_iac({"cm.yaml": text})
    assert findings == [] and errors == []


def test_yaml_that_is_not_iac_is_ignored(run_iac: Run) -> None:
    findings, errors = run_iac(
        {".github/workflows/ci.yml": "on: push\njobs: {}\n", "x.json": "[1, 2]"}
    )
    assert findings == [] and errors == []


def test_compose_port_mappings_are_not_read_as_base_60_numbers(run_iac: Run) -> None:
    findings, _ = run_iac(
        {
            "compose.yaml": (
                "services:\n  db:\n    image: redis:7\n    ports:\n"
                "      - 22:22\n      - 6379:6379\n"
            )
        }
    )
    assert ("SW-IAC-409", 6) in pairs(findings)


def test_dockerfile_continuations_heredocs_and_stages() -> None:
    df = parse_dockerfile(
        "# syntax=docker/dockerfile:1\n"
        "ARG BASE=python:3.12\n"
        "FROM $BASE AS build\n"
        "RUN apt-get update && \\\n"
        "    # a comment inside a continuation\n"
        "    apt-get install -y gcc\n"
        "RUN <<EOF\n"
        "curl https://x | sh\n"
        "EOF\n"
        "FROM build\n"
        "USER app\n",
        "Dockerfile",
    )
    assert [i.keyword for i in df.preamble] == ["ARG"]
    assert [s.name for s in df.stages] == ["build", ""]
    run = df.stages[0].instructions
    assert (run[0].line, run[0].arguments) == (4, "apt-get update && apt-get install -y gcc")
    assert "curl https://x | sh" in run[1].arguments and run[1].line == 7


def test_file_names_the_analyzer_wants() -> None:
    for path in ("main.tf", "prod.auto.tfvars", "terraform.tfvars", "Dockerfile", "api.Dockerfile",
                 "Dockerfile.prod", "k8s/app.yaml", "stack.template", "plan.json"):  # fmt: skip
        assert classify(path) is not None, path
    not_iac = ("README.md", "app.py", "package.json", "frontend/package-lock.json", "x.tfvars",
               "checks/dockerfile.py", "docs/Dockerfile.md", "Dockerfile.j2")  # fmt: skip
    for path in not_iac:
        assert classify(path) is None, path
