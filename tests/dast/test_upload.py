"""``shieldwall dast URL --upload --project P``: the result reaches a real hub on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.hub.db.engine import make_engine, make_session_factory
from shieldwall.hub.db.models import Finding
from shieldwall.hub.settings import HubSettings
from tests.servers.hub_server import running_hub

runner = CliRunner()


def hub_cli(database: str, *args: str, stdin: str | None = None) -> str:
    result = runner.invoke(
        app, ["hub", *args], input=stdin, env={"SHIELDWALL_DATABASE_URL": database}
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def hub(tmp_path: Path) -> tuple[str, str]:
    """(database URL, upload token for project ``shop``) of a migrated hub's database."""
    database = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    hub_cli(database, "migrate")
    password = "a long enough password\n"
    hub_cli(database, "admin", "create-user", "ci", "--password-stdin", stdin=password)
    hub_cli(database, "admin", "create-project", "shop")
    hub_cli(database, "admin", "add-member", "shop", "ci", "--role", "developer")
    token = hub_cli(
        database, "admin", "create-token", "--user", "ci", "--project", "shop", "--scope", "upload"
    ).strip()
    return database, token


def test_dast_uploads_its_result_to_the_hub(
    vulnapp: tuple[str, list[str]], hub: tuple[str, str]
) -> None:
    url, _ = vulnapp
    database, token = hub
    args = ["dast", url + "/headers/none", "--passive-only", "--scope-prefix", "/headers/"]
    args += ["--rps", "0", "-q", "--upload", "--project", "shop", "--branch", "main"]
    with running_hub(HubSettings(database_url=database)) as base:
        env = {"SHIELDWALL_HUB_URL": base, "SHIELDWALL_TOKEN": token}
        result = runner.invoke(app, [*args, "--fail-on", "none"], env=env)
        assert result.exit_code == 0, result.output
        assert "uploaded as scan 1: 4 findings, 4 new" in result.output
        again = runner.invoke(app, [*args, "--url", base, "--token", token, "--fail-on", "none"])
        assert again.exit_code == 0, again.output
        assert "already imported" in again.output or "0 new" in again.output
        other = runner.invoke(
            app, [*args[:-5], "--upload", "--project", "other", "--fail-on", "none"], env=env
        )
        assert other.exit_code == 3 and "404" in other.output
    engine = make_engine(database)
    with make_session_factory(engine)() as session:
        stored = session.scalars(select(Finding)).all()
    engine.dispose()
    assert {(f.rule_id, f.location_kind, f.path) for f in stored} == {
        (rule, "url", url + "/headers/none")
        for rule in ("SW-DAST-001", "SW-DAST-004", "SW-DAST-005", "SW-DAST-006")
    }
    assert {f.location["parameter"] for f in stored} >= {"Content-Security-Policy"}


def test_upload_needs_a_project_and_a_token(vulnapp: tuple[str, list[str]]) -> None:
    url, _ = vulnapp
    result = runner.invoke(app, ["dast", url + "/assets/", "--upload", "-q"])
    assert result.exit_code == 2 and "--project" in result.output
    args = ["dast", url + "/assets/", "--scope-prefix", "/assets/", "--passive-only", "-q"]
    result = runner.invoke(
        app, [*args, "--upload", "--project", "shop"], env={"SHIELDWALL_TOKEN": ""}
    )
    assert result.exit_code == 2 and "SHIELDWALL_TOKEN" in result.output
