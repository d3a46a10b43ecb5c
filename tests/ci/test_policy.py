"""``shieldwall policy check``: config, ignore list and inline suppressions under the policy."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.ci.enforce import inline_expiry, suppression_problem
from shieldwall.ci.orgpolicy import OrgPolicy, PolicyError, load_policy
from shieldwall.cli.app import app

SOON = (date.today() + timedelta(days=30)).isoformat()
LATE = (date.today() + timedelta(days=400)).isoformat()

POLICY = """\
version: 1
required_scanners: [secrets, sast]
thresholds:
  main: high
  "release/*": medium
  "*": critical
suppressions:
  require_reason: true
  max_expiry_days: 90
  restricted:
    - {rules: ["SW-SEC-*"], approvers: [security-team]}
licenses:
  deny: [AGPL-3.0-only]
"""


def _repo(tmp: Path, toml: str, source: str) -> Path:
    repo = tmp / "repo"
    repo.mkdir()
    (repo / "shieldwall-policy.yaml").write_text(POLICY)
    (repo / "shieldwall.toml").write_text(toml)
    (repo / "app.py").write_text(source)
    return repo


def _check(repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["policy", "check", str(repo), *args])


def test_compliant_repo_passes(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        'scanners = ["secrets", "sast", "deps"]\nfail_on = "high"\n',
        f"x = eval(s)  # shieldwall: ignore[SW-PY-047] constant input, expires {SOON}\n",
    )
    result = _check(repo, "--branch", "main")
    assert result.exit_code == 0, result.output
    assert "policy check passed" in result.output


def test_every_kind_of_violation_is_reported(tmp_path: Path) -> None:
    toml = f"""\
scanners = ["sast"]
fail_on = "critical"

[[ignore]]
rule = "SW-PY-001"
reason = "legacy"
expires = {LATE}

[analyzers.license]
deny = ["GPL-3.0-only"]
"""
    source = (
        "a = eval(s)  # shieldwall: ignore[SW-PY-047]\n"
        f"b = eval(s)  # shieldwall: ignore[SW-PY-047] fine, expires {LATE}\n"
        f'k = "x"  # shieldwall: ignore[SW-SEC-001] test key, expires {SOON}\n'
    )
    repo = _repo(tmp_path, toml, source)
    result = _check(repo, "--branch", "release/2.0")
    assert result.exit_code == 1
    lines = set(result.output.splitlines())
    cfg = str(repo / "shieldwall.toml")
    assert f"{cfg}: scanners ['secrets'] are required but not configured" in lines
    assert f"{cfg}: fail_on = 'critical' is weaker than 'medium' for 'release/2.0'" in lines
    assert f"{cfg}: license AGPL-3.0-only is denied by policy but not by config" in lines
    assert any(line.startswith(f"{cfg} ignore[0]: expires {LATE} is beyond") for line in lines)
    assert "app.py:1: ignore[SW-PY-047]: no reason given" in lines
    assert any(line.startswith("app.py:2: ignore[SW-PY-047]: expires") for line in lines)
    assert "app.py:3: ignore[SW-SEC-001]: SW-SEC-001 may only be accepted on the hub by " \
        "security-team" in lines  # fmt: skip


def test_threshold_by_branch() -> None:
    policy = OrgPolicy.model_validate({"thresholds": {"main": "high", "release/*": "medium",
                                                      "*": "critical"}})  # fmt: skip
    assert policy.threshold_for("main") == "high"
    assert policy.threshold_for("release/1.2") == "medium"
    assert policy.threshold_for("feature/x") == "critical"


def test_hub_acceptance_rule() -> None:
    policy = load_policy_text(POLICY)
    today = date.today()
    soon = today + timedelta(days=10)
    assert suppression_problem(policy, "SW-SEC-001", "ok", soon, today, approver="mallory")
    assert suppression_problem(policy, "SW-SEC-001", "ok", soon, today, approver="security-team") \
        is None  # fmt: skip
    assert suppression_problem(policy, "SW-PY-001", "", soon, today) == "no reason given"
    assert inline_expiry("fine until 2026-02-30") is None  # not a date
    assert inline_expiry("fine, expires: 2027-01-31") == date(2027, 1, 31)


def load_policy_text(text: str) -> OrgPolicy:
    import yaml

    return OrgPolicy.model_validate(yaml.safe_load(text))


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("thresholds:\n  main: severe\n", 2, "thresholds.main"),
        ("suppressions:\n  max_expiry_days: -3\n", 2, "max_expiry_days"),
        ("licenses:\n  deny: [MIT]\n  alow: []\n", 3, "alow"),
        ("required_scanners: [a, b\n", 2, "not valid YAML"),
        ("suppressions:\n  restricted:\n    - {rules: [], approvers: [x]}\n", 3, "rules"),
    ],
)
def test_malformed_policy_names_the_line(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert f"policy.yaml:{line}:" in str(caught.value), str(caught.value)
    assert fragment in str(caught.value)
    result = CliRunner().invoke(app, ["policy", "check", str(tmp_path), "--policy", str(path)])
    assert result.exit_code == 2
    assert f"policy.yaml:{line}:" in result.output


def test_report_regated_suppressions_that_break_the_policy_do_not_count(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        'scanners = ["secrets", "sast"]\n',
        "import subprocess\n\n\ndef run(cmd):\n"
        "    return subprocess.call(cmd, shell=True)  # shieldwall: ignore[SW-PY-045]\n",
    )
    report = tmp_path / "r.json"
    lax = tmp_path / "lax.yaml"  # a scan under a lax policy keeps the bare inline suppression
    lax.write_text('suppressions: {require_reason: false}\nthresholds: {"*": high}\n')
    scan = CliRunner().invoke(
        app,
        ["scan", str(repo), "-s", "sast", "-f", "json", "-o", str(report), "-q", "--no-progress",
         "-j", "1", "--policy", str(lax)],
    )  # fmt: skip
    assert scan.exit_code == 0, scan.output
    findings = json.loads(report.read_text())["findings"]
    assert [f["suppressed"] for f in findings] == [True]
    result = _check(repo, "--branch", "release/1", "--report", str(report))
    assert result.exit_code == 1
    assert "app.py:5: suppression does not count: SW-PY-045: no reason given" in result.output
    assert "gate (release/1, fail on medium): failed, 1 finding(s)" in result.output


def test_no_policy_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["policy", "check", str(tmp_path)])
    assert result.exit_code == 2
    assert "no policy file" in result.output
