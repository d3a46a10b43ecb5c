"""``shieldwall scan`` under the organisation policy: lifted suppressions, branch thresholds."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.ci.orgpolicy import OrgPolicy
from shieldwall.ci.scangate import PolicyGate, find_policy_file, lift_breaking_suppressions
from shieldwall.cli.app import app
from shieldwall.core.finding import Finding, Suppression, SuppressionKind
from shieldwall.core.location import SourceLocation
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Severity

TODAY = date(2026, 11, 29)
SOON = (date.today() + timedelta(days=30)).isoformat()
POLICY = """\
version: 1
thresholds: {main: high, "release/*": medium, "*": critical}
suppressions:
  max_expiry_days: 90
  restricted:
    - {rules: ["SW-SEC-*"], approvers: [security-team]}
"""
SHELL = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True){}\n"


def _finding(rule_id: str, suppression: Suppression | None) -> Finding:
    rule = Rule(id=rule_id, scanner="sast", title="t", severity=Severity.HIGH)
    location = SourceLocation(path="app.py", start_line=3)
    finding = Finding.create(rule=rule, location=location, message="m")
    return dataclasses.replace(finding, suppression=suppression)


def _policy() -> OrgPolicy:
    import yaml

    return OrgPolicy.model_validate(yaml.safe_load(POLICY))


@pytest.mark.parametrize(
    ("kind", "reason", "expires", "problem"),
    [
        (SuppressionKind.INLINE, "", None, "no reason given"),
        (SuppressionKind.INLINE, "legacy", None, "no expiry (at most 90 days)"),
        (SuppressionKind.INLINE, "legacy, expires 2027-12-31", None, "is beyond the maximum"),
        (SuppressionKind.IGNORE, "legacy", "2027-12-31", "is beyond the maximum"),
        (SuppressionKind.INLINE, "legacy, expires 2026-12-31", None, None),
        (SuppressionKind.IGNORE, "legacy", "2026-12-31", None),
        (SuppressionKind.BASELINE, "", None, None),  # baselines are not the policy's business
        (SuppressionKind.VEX, "", None, None),
    ],
)
def test_breaking_suppressions_are_lifted(
    kind: SuppressionKind, reason: str, expires: str | None, problem: str | None
) -> None:
    finding = _finding("SW-PY-045", Suppression(kind, reason, expires))
    (result,), violations = lift_breaking_suppressions(_policy(), [finding], TODAY)
    if problem is None:
        assert result == finding and violations == ()
    else:
        assert result.suppression is None
        assert len(violations) == 1 and problem in violations[0].message
        assert violations[0].where == "app.py:3"


def test_restricted_rules_cannot_be_suppressed_in_the_repository() -> None:
    finding = _finding("SW-SEC-001", Suppression(SuppressionKind.INLINE, "ok, expires 2026-12-01"))
    (result,), (violation,) = lift_breaking_suppressions(_policy(), [finding], TODAY)
    assert result.suppression is None
    assert "only be accepted on the hub by security-team" in violation.message


def test_branch_threshold_is_only_ever_stricter() -> None:
    gate = PolicyGate(_policy(), "release/2", "p.yaml")
    assert gate.fail_on("high") == "medium"
    assert gate.fail_on("low") == "low"
    assert PolicyGate(_policy(), "feature/x", "p.yaml").fail_on("high") == "high"


def _repo(tmp: Path, suffix: str, policy: str = POLICY) -> Path:
    repo = tmp / "repo"
    repo.mkdir()
    (repo / "app.py").write_text(SHELL.format(suffix))
    if policy:
        (repo / ".shieldwall").mkdir()
        (repo / ".shieldwall" / "policy.yaml").write_text(policy)
    return repo


def _scan(repo: Path, *args: str):  # type: ignore[no-untyped-def]
    argv = ["scan", str(repo), "-s", "sast", "--no-progress", "-j", "1", *args]
    return CliRunner().invoke(app, argv)


def _said(result) -> str:  # type: ignore[no-untyped-def]
    """The output with the terminal's line wrapping undone."""
    return " ".join(result.output.split())


def test_scan_does_not_count_a_suppression_that_breaks_the_policy(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "  # shieldwall: ignore[SW-PY-045]")
    assert find_policy_file(repo) == repo / ".shieldwall" / "policy.yaml"
    result = _scan(repo, "--branch", "release/1")
    assert result.exit_code == 1, result.output
    assert "app.py:5: suppression does not count under" in _said(result)
    assert "inline SW-PY-045: no reason given" in _said(result)


def test_scan_counts_a_suppression_the_policy_allows(tmp_path: Path) -> None:
    repo = _repo(tmp_path, f"  # shieldwall: ignore[SW-PY-045] admin-only input, expires {SOON}")
    result = _scan(repo, "--branch", "release/1")
    assert result.exit_code == 0, result.output
    assert "does not count" not in _said(result)


def test_scan_applies_the_branch_threshold(tmp_path: Path) -> None:
    policy = 'thresholds: {main: medium, "*": critical}\n'
    repo = _repo(tmp_path, "", policy)
    (repo / "app.py").write_text("import hashlib\n\nh = hashlib.md5(b'x').hexdigest()\n")
    on_main = _scan(repo, "--branch", "main", "--fail-on", "critical")
    on_feature = _scan(repo, "--branch", "feature/x", "--fail-on", "critical")
    assert on_main.exit_code == 1, on_main.output
    assert "at or above medium" in _said(on_main)
    assert on_feature.exit_code == 0, on_feature.output


def test_scan_warns_about_required_scanners_it_did_not_run(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "", "required_scanners: [secrets, sast]\n")
    result = _scan(repo, "--branch", "main", "--fail-on", "none")
    assert "requires scanners secrets: not run here" in _said(result)


def test_a_missing_configured_policy_is_a_usage_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "", "")
    result = _scan(repo, "--policy", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "nope.yaml does not exist" in _said(result)


def test_a_malformed_policy_stops_the_scan_with_the_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "", "thresholds:\n  main: severe\n")
    result = _scan(repo)
    assert result.exit_code == 2
    assert "policy.yaml:2:" in result.output


LOCK = """{
  "name": "app", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": {"name": "app", "version": "1.0.0"},
    "node_modules/left-pad": {"version": "1.3.0", "license": "WTFPL"}
  }
}
"""


def test_scan_denies_the_licenses_the_policy_denies(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "", "licenses: {deny: [WTFPL]}\n")
    (repo / "package-lock.json").write_text(LOCK)
    (repo / "shieldwall.toml").write_text('[analyzers.license]\nallow = ["MIT", "WTFPL"]\n')
    argv = ["scan", str(repo), "-s", "license", "--no-progress", "-j", "1", "-f", "json"]

    def rules_found() -> list[str]:
        result = CliRunner().invoke(app, [*argv, "-q"])
        return [f["rule"]["id"] for f in json.loads(result.stdout)["findings"]]

    assert rules_found() == ["SW-LIC-001"]  # denied by the policy, though the config allows it
    (repo / ".shieldwall" / "policy.yaml").write_text("licenses: {deny: []}\n")
    assert rules_found() == []
