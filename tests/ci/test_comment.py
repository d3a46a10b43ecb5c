"""``shieldwall ci comment`` against a real local server speaking the GitHub and GitLab APIs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.ci.comment import MARKER, diff_findings, remembered, render_comment
from shieldwall.ci.report import load_report_findings
from shieldwall.cli.app import app
from shieldwall.core.errors import UsageError
from tests.servers.forge_server import TOKEN, Forge, serve_forge

FIRST = """import subprocess


def run(cmd):
    return subprocess.call(cmd, shell=True)


def ev(x):
    return eval(x)  # shieldwall: ignore[SW-PY-047] input is a constant from our own config
"""
# The shell call is fixed, the eval is still suppressed, and a new pickle load appears.
SECOND = """import pickle
import subprocess


def run(cmd):
    return subprocess.call(cmd)


def ev(x):
    return eval(x)  # shieldwall: ignore[SW-PY-047] input is a constant from our own config


def load(blob):
    return pickle.loads(blob)
"""


def _scan(tmp: Path, source: str, name: str) -> Path:
    project = tmp / "proj"
    project.mkdir(exist_ok=True)
    (project / "app.py").write_text(source)
    report = tmp / name
    result = CliRunner().invoke(
        app,
        [
            "scan",
            str(project),
            "-s",
            "sast",
            "--format",
            "json",
            "-o",
            str(report),
            "-q",
            "--no-progress",
            "-j",
            "1",
            "--fail-on",
            "none",
        ],
    )
    assert result.exit_code == 0, result.output
    return report


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("reports")
    return _scan(tmp, FIRST, "first.json"), _scan(tmp, SECOND, "second.json")


def _comment(forge_flag: str, report: Path, base_url: str, project: str, **env: str):  # type: ignore[no-untyped-def]
    args = ["ci", "comment", forge_flag, "--report", str(report), "--pr", "7"]
    args += ["--project", project, "--api-url", base_url]
    return CliRunner().invoke(app, args, env={"GITHUB_TOKEN": TOKEN, "GITLAB_TOKEN": TOKEN, **env})


def test_github_comment_created_then_updated_in_place(reports: tuple[Path, Path]) -> None:
    first, second = reports
    with serve_forge() as forge:
        forge.add("octo/shop", 7, "LGTM from a human")  # other comments stay untouched
        result = _comment("--github", first, forge.base_url, "octo/shop")
        assert result.exit_code == 0, result.output
        assert "comment created" in result.output
        comments = forge.comments[("octo/shop", 7)]
        assert len(comments) == 2
        body = comments[1]["body"]
        assert MARKER in body
        assert "1 new · 0 fixed · 0 still open · 1 suppressed" in body
        assert "SW-PY-045" in body
        assert "input is a constant from our own config" in body  # the suppression's reason

        result = _comment("--github", second, forge.base_url, "octo/shop")
        assert result.exit_code == 0, result.output
        assert "comment updated" in result.output
        comments = forge.comments[("octo/shop", 7)]
        assert len(comments) == 2  # updated in place, not a second summary
        assert comments[0]["body"] == "LGTM from a human"
        body = comments[1]["body"]
        assert "1 new · 1 fixed · 0 still open · 1 suppressed" in body
        fixed = body.split("### Fixed")[1].split("###")[0]
        assert "SW-PY-045" in fixed
        new = body.split("### New")[1].split("###")[0]
        assert "app.py:14" in new and "SW-PY-045" not in new
        methods = [m for m, _ in forge.requests]
        assert methods.count("POST") == 1 and methods.count("PATCH") == 1

        # A re-run: the new finding is now "still open", the fixed one stays fixed...
        result = _comment("--github", second, forge.base_url, "octo/shop")
        body = forge.comments[("octo/shop", 7)][1]["body"]
        assert "0 new · 1 fixed · 1 still open · 1 suppressed" in body
        # ...and a third identical run changes nothing, so nothing is written.
        result = _comment("--github", second, forge.base_url, "octo/shop")
        assert "comment unchanged" in result.output
        assert [m for m, _ in forge.requests].count("PATCH") == 2


def test_gitlab_notes_created_then_updated(reports: tuple[Path, Path]) -> None:
    first, second = reports
    with serve_forge() as forge:
        api = forge.base_url + "/api/v4"
        assert _comment("--gitlab", first, api, "group/shop").exit_code == 0
        result = _comment("--gitlab", second, api, "group/shop")
        assert "comment updated" in result.output, result.output
        notes = forge.comments[("group/shop", 7)]
        assert len(notes) == 1
        assert "1 fixed" in notes[0]["body"]
        assert any(m == "PUT" and "%2F" in p for m, p in forge.requests)  # the encoded project path


def test_summary_found_beyond_the_first_page(reports: tuple[Path, Path]) -> None:
    first, second = reports
    with serve_forge() as forge:
        for i in range(150):
            forge.add("octo/shop", 7, f"chatter {i}")
        assert _comment("--github", first, forge.base_url, "octo/shop").exit_code == 0
        assert _comment("--github", second, forge.base_url, "octo/shop").exit_code == 0
        summaries = [c for c in forge.comments[("octo/shop", 7)] if MARKER in c["body"]]
        assert len(summaries) == 1
        assert any("page=2" in p for _, p in forge.requests)


@pytest.mark.parametrize("flag", ["--github", "--gitlab"])
def test_rate_limit_skips_the_comment_with_a_warning(flag: str, reports: tuple[Path, Path]) -> None:
    with serve_forge(Forge(mode="ratelimit")) as forge:
        api = forge.base_url + ("/api/v4" if flag == "--gitlab" else "")
        result = _comment(flag, reports[0], api, "octo/shop")
    assert result.exit_code == 0  # the gate decides CI, not the comment
    assert "comment skipped" in result.output and "rate-limited" in result.output


def test_forge_down_or_bad_token_skips_with_a_warning(reports: tuple[Path, Path]) -> None:
    with serve_forge() as forge:
        url = forge.base_url
        result = _comment("--github", reports[0], url, "octo/shop", GITHUB_TOKEN="wrong")
        assert result.exit_code == 0
        assert "HTTP 401" in result.output
    result = _comment("--github", reports[0], url, "octo/shop")  # server gone: connection refused
    assert result.exit_code == 0
    assert "comment skipped" in result.output and "unreachable" in result.output


def test_usage_errors(reports: tuple[Path, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    both = runner.invoke(
        app, ["ci", "comment", "--github", "--gitlab", "--report", str(reports[0])]
    )
    assert both.exit_code == 2
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 12}}))
    with serve_forge() as forge:
        result = CliRunner().invoke(
            app,
            ["ci", "comment", "--github", "--report", str(reports[0])],
            env={
                "GITHUB_TOKEN": TOKEN,
                "GITHUB_REPOSITORY": "octo/shop",
                "GITHUB_API_URL": forge.base_url,
                "GITHUB_EVENT_PATH": str(event),
            },
        )
        assert result.exit_code == 0, result.output
        assert ("octo/shop", 12) in forge.comments  # number taken from the event payload
    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"findings": [{"nope": 1}]}')
    with pytest.raises(UsageError, match="not a shieldwall JSON report"):
        load_report_findings(garbage)


def test_tampered_state_starts_afresh(reports: tuple[Path, Path]) -> None:
    findings = load_report_findings(reports[0])
    body = render_comment(diff_findings(findings, ()))
    assert len(remembered(body)) == 1
    assert remembered(body.replace("shieldwall:state ", "shieldwall:state !!")) == ()
    assert remembered("no state here") == ()
