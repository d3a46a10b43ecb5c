"""Hub commands as the issue spells them: ``shieldwall admin``, ``upload``, ``scan --upload``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.hub.settings import HubSettings
from tests.servers.hub_server import running_hub

runner = CliRunner()
DOCKERFILE = "FROM python:latest\nRUN curl -sSL https://example.com/install.sh | sh\n"


def test_admin_then_scan_with_upload(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    env = {"SHIELDWALL_DATABASE_URL": url}
    assert runner.invoke(app, ["db-migrate"], env=env).exit_code == 0
    created = runner.invoke(
        app,
        ["admin", "create-user", "alice", "--role", "admin", "--password-stdin"],
        input="a long enough password\n",
        env=env,
    )
    assert created.exit_code == 0, created.output
    assert runner.invoke(app, ["admin", "create-project", "shop"], env=env).exit_code == 0
    token = runner.invoke(
        app,
        ["admin", "create-token", "--user", "alice", "--project", "shop", "--scope", "upload"],
        env=env,
    ).output.strip()
    assert token.startswith("swt_")
    project = tmp_path / "project"
    project.mkdir()
    (project / "Dockerfile").write_text(DOCKERFILE)
    with running_hub(HubSettings(database_url=url)) as base:
        scanned = runner.invoke(
            app,
            [
                "scan",
                str(project),
                "-s",
                "iac",
                "--no-progress",
                "-q",
                "--fail-on",
                "none",
                "--upload",
                "--project",
                "shop",
                "--branch",
                "main",
            ],
            env={**env, "SHIELDWALL_HUB_URL": base, "SHIELDWALL_TOKEN": token},
        )
        assert scanned.exit_code == 0, scanned.output
        assert "uploaded as scan 1" in scanned.output and " 0 new" not in scanned.output
        again = runner.invoke(
            app,
            [
                "scan",
                str(project),
                "-s",
                "iac",
                "--no-progress",
                "-q",
                "--fail-on",
                "none",
                "--upload",
                "--project",
                "shop",
                "--url",
                base,
                "--token",
                token,
            ],
            env=env,
        )
        # The same code again: within the same second the report is byte-identical and the hub
        # says so; later it is a new scan with nothing new in it. Both are right.
        assert again.exit_code == 0, again.output
        assert "already imported as scan 1" in again.output or (
            "uploaded as scan 2" in again.output and " 0 new" in again.output
        )
    # `shieldwall audit verify`, as the issue spells it, checks the chain the above extended.
    verified = runner.invoke(app, ["audit", "verify"], env=env)
    assert verified.exit_code == 0, verified.output


def test_scan_upload_needs_a_project(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(tmp_path), "-s", "iac", "--upload"])
    assert result.exit_code == 2 and "--project" in result.output
