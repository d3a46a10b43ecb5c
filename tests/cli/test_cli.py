"""The CLI end to end, in-process: exit codes, report pairing, errors that say what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall import __version__
from shieldwall.cli.app import app
from tests.gitrepo import GitRepo

DOCKERFILE = "FROM python:latest\nRUN curl -sSL https://example.com/install.sh | sh\n"
DEPLOYMENT = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.25
      securityContext:
        privileged: true
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "Dockerfile").write_text(DOCKERFILE)
    (root / "pod.yaml").write_text(DEPLOYMENT)
    return root


def _scan(runner: CliRunner, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["scan", *args, "--no-progress", "-s", "iac"], env=env)


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"shieldwall {__version__}"


def test_gate_exit_codes(runner: CliRunner, project: Path) -> None:
    assert _scan(runner, str(project)).exit_code == 1
    assert _scan(runner, str(project), "--fail-on", "none").exit_code == 0
    clean = project / "clean"
    clean.mkdir()
    (clean / "README.md").write_text("nothing to see\n")
    assert _scan(runner, str(clean)).exit_code == 0


def test_table_on_stdout_and_several_reports(
    runner: CliRunner, project: Path, tmp_path: Path
) -> None:
    sarif, report = tmp_path / "out.sarif", tmp_path / "out.json"
    result = _scan(
        runner,
        str(project),
        "--format",
        "sarif",
        "-o",
        str(sarif),
        "--format",
        "json",
        "-o",
        str(report),
    )
    assert result.exit_code == 1
    assert "SW-IAC" in result.stdout and "Summary" in result.stdout
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    document = json.loads(report.read_text())
    assert {"findings", "errors", "stats"} <= document.keys()
    assert all(f["scanner"] == "iac" for f in document["findings"])


def test_format_to_stdout_is_pure(runner: CliRunner, project: Path) -> None:
    result = _scan(runner, str(project), "-f", "json")
    assert json.loads(result.stdout)["findings"]


def test_output_format_inferred_from_suffix(
    runner: CliRunner, project: Path, tmp_path: Path
) -> None:
    _scan(runner, str(project), "-q", "-o", str(tmp_path / "r.html"), "-o", str(tmp_path / "r.xml"))
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert "<testsuites" in (tmp_path / "r.xml").read_text()
    bad = _scan(runner, str(project), "-o", str(tmp_path / "r.weird"))
    assert bad.exit_code == 2 and "add --format" in bad.output


def test_missing_path_and_unknown_scanner_are_usage_errors(
    runner: CliRunner, tmp_path: Path
) -> None:
    missing = _scan(runner, str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "no such file or directory" in missing.output
    unknown = runner.invoke(app, ["scan", str(tmp_path), "-s", "nosuch"])
    assert unknown.exit_code == 2 and "unknown scanner 'nosuch'" in unknown.output


def test_broken_config_names_file_and_key(runner: CliRunner, project: Path) -> None:
    (project / "shieldwall.toml").write_text('fail_on = "high"\nfailon = "low"\n')
    result = _scan(runner, str(project))
    assert result.exit_code == 2
    assert "shieldwall.toml" in result.output and "unknown key 'failon'" in result.output


def test_report_that_cannot_be_written_is_exit_3(
    runner: CliRunner, project: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = _scan(runner, str(project), "-f", "json", "-o", str(blocker / "sub" / "r.json"))
    assert result.exit_code == 3 and "cannot write" in result.output


def test_baseline_create_then_only_new_findings_block(
    runner: CliRunner, project: Path, tmp_path: Path
) -> None:
    baseline = tmp_path / "baseline.json"
    created = runner.invoke(
        app, ["baseline", "create", str(project), "-o", str(baseline), "-s", "iac"]
    )
    assert created.exit_code == 0, created.output
    assert _scan(runner, str(project), "--baseline", str(baseline)).exit_code == 0
    (project / "Dockerfile").write_text(
        "# moved\n" + DOCKERFILE + "ADD https://example.com/x.tgz /x\n"
    )
    report = tmp_path / "r.json"
    result = _scan(
        runner, str(project), "--baseline", str(baseline), "-f", "json", "-o", str(report)
    )
    findings = json.loads(report.read_text())["findings"]
    active = [f for f in findings if not f["suppressed"]]
    assert active and all(f["location"]["start_line"] == 4 for f in active)
    assert any(f["suppressed"] for f in findings), "suppressed findings are kept and marked"
    assert result.exit_code in {0, 1}


def test_corrupt_baseline_is_a_clear_error(
    runner: CliRunner, project: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "b.json"
    broken.write_text("{ not json")
    result = _scan(runner, str(project), "--baseline", str(broken))
    assert result.exit_code == 2 and "not valid JSON" in result.output


def test_since_with_a_missing_ref(runner: CliRunner, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("Dockerfile", DOCKERFILE)
    repo.commit()
    result = _scan(runner, str(repo.path), "--since", "origin/main")
    assert result.exit_code == 2 and "'origin/main' does not exist" in result.output


def test_since_reports_only_new_findings(runner: CliRunner, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("Dockerfile", DOCKERFILE)
    repo.commit()
    repo.git("branch", "base")
    repo.write("pod.yaml", DEPLOYMENT)
    report = tmp_path / "r.json"
    result = _scan(runner, str(repo.path), "--since", "base", "-f", "json", "-o", str(report))
    paths = {f["location"]["path"] for f in json.loads(report.read_text())["findings"]}
    assert paths == {"pod.yaml"}
    assert result.exit_code == 1


def test_rules_list(runner: CliRunner) -> None:
    table = runner.invoke(app, ["rules", "list", "--scanner", "iac"])
    assert table.exit_code == 0 and "SW-IAC-" in table.stdout
    as_json = json.loads(runner.invoke(app, ["rules", "list", "-f", "json"]).stdout)
    scanners = {r["scanner"] for r in as_json}
    assert {"secrets", "sast", "iac", "deps", "license"} <= scanners
    assert all({"id", "severity", "cwe", "title"} <= r.keys() for r in as_json)
    assert len({r["id"] for r in as_json}) == len(as_json)


def test_config_show_names_sources(runner: CliRunner, project: Path) -> None:
    (project / "shieldwall.toml").write_text('fail_on = "medium"\n')
    result = runner.invoke(
        app, ["config", "show", str(project), "-f", "json"], env={"SHIELDWALL_JOBS": "3"}
    )
    document = json.loads(result.stdout)
    assert document["values"]["fail_on"] == "medium"
    assert document["sources"]["fail_on"].startswith("file:")
    assert document["sources"]["jobs"] == "env:SHIELDWALL_JOBS"
    assert document["sources"]["exclude"] == "default"


def test_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    for command in ("scan", "baseline", "rules", "config", "db", "sbom", "hub"):
        assert command in result.stdout


def test_git_history_of_a_bare_repository(runner: CliRunner, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "work")
    settings = Path(__file__).parents[2] / "examples" / "vulnerable-shop" / "config" / "settings.py"
    repo.write("settings.py", settings.read_text())
    repo.commit()
    bare = tmp_path / "bare.git"
    repo.git("clone", "-q", "--bare", str(repo.path), str(bare))
    result = runner.invoke(
        app, ["scan", str(bare), "-s", "secrets", "--git-history", "--no-progress", "-f", "json"]
    )
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["errors"] == []
    assert document["findings"] and all(f["properties"]["commit"] for f in document["findings"])
