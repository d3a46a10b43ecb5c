"""``shieldwall hub ...`` commands: migrate, admin, audit verify, and upload to a live server."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update
from typer.testing import CliRunner

from shieldwall.cli.hub import app
from shieldwall.hub.db.engine import make_engine, make_session_factory, transaction
from shieldwall.hub.db.models import AuditEvent, Finding, User
from shieldwall.hub.settings import HubSettings
from tests.hub.conftest import DATA
from tests.servers.hub_server import running_hub

runner = CliRunner()


def invoke(url: str, *args: str, stdin: str | None = None, **env: str) -> tuple[int, str]:
    result = runner.invoke(
        app, list(args), input=stdin, env={"SHIELDWALL_DATABASE_URL": url, **env}
    )
    return result.exit_code, result.output


def test_admin_commands_then_upload_to_a_live_hub(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert invoke(url, "migrate") == (0, "database is up to date\n")
    code, out = invoke(
        url,
        "admin",
        "create-user",
        "alice",
        "--role",
        "admin",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert code == 0, out
    assert invoke(url, "admin", "create-project", "shop")[0] == 0
    code, token = invoke(
        url, "admin", "create-token", "--user", "alice", "--project", "shop", "--scope", "upload"
    )
    assert code == 0 and token.startswith("swt_")
    token = token.strip()
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        stored = session.scalars(select(User.password_hash).where(User.username == "alice")).one()
    assert stored is not None and stored.startswith("$argon2id$")

    with running_hub(HubSettings(database_url=url)) as base:
        code, out = invoke(
            url,
            "upload",
            str(DATA / "bandit.json"),
            "--project",
            "shop",
            "--branch",
            "main",
            SHIELDWALL_HUB_URL=base,
            SHIELDWALL_TOKEN=token,
        )
        assert code == 0, out
        assert "imported as scan 1 (bandit): 6 findings, 6 new" in out
        code, out = invoke(
            url,
            "upload",
            str(DATA / "bandit.json"),
            "--project",
            "shop",
            "--url",
            base,
            "--token",
            token,
        )
        assert code == 0 and "already imported as scan 1" in out
        code, out = invoke(
            url,
            "upload",
            str(DATA / "bandit.json"),
            "--project",
            "other",
            "--url",
            base,
            "--token",
            token,
        )
        assert code == 3 and "404" in out
        bad = tmp_path / "bad.json"
        bad.write_bytes(b"{nope")
        code, out = invoke(
            url, "upload", str(bad), "--project", "shop", "--url", base, "--token", token
        )
        assert code == 3 and "could not recognise" in out
    with make_session_factory(engine)() as session:
        assert len(session.scalars(select(Finding)).all()) == 6

    assert invoke(url, "audit", "verify")[0] == 0
    with transaction(make_session_factory(engine)) as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == 1).values(actor="mallory"))
    code, out = invoke(url, "audit", "verify")
    assert code == 1 and "TAMPERED at event 1" in out
    engine.dispose()


def test_upload_without_a_token_is_a_usage_error(tmp_path: Path) -> None:
    code, out = invoke(
        f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "upload",
        str(DATA / "bandit.json"),
        "--project",
        "shop",
        SHIELDWALL_TOKEN="",
    )
    assert code == 2 and "SHIELDWALL_TOKEN" in out


def test_maintenance_and_worker_without_broker(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    code, out = invoke(url, "maintenance")
    assert code == 0 and "expired acceptances: 0" in out
    code, out = invoke(url, "worker", SHIELDWALL_BROKER_URL="")
    assert code == 2 and "SHIELDWALL_BROKER_URL" in out
