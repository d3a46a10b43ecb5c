"""Dynamic PostgreSQL credentials with leases, on the PostgreSQL at 127.0.0.1."""

from __future__ import annotations

import json
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from typer.testing import CliRunner

from shieldwall.cli.secretstore import app
from shieldwall.secretstore import AuditLog, SecretConfigError, SecretNotFoundError
from shieldwall.secretstore.dynamic import DynamicCredentials, PostgresDynamicRole
from shieldwall.secretstore.errors import BackendUnavailableError
from shieldwall.secretstore.keeper import connection_url, role_for
from shieldwall.secretstore.leases import LeaseFile
from shieldwall.secretstore.mapping import DynamicSettings, load_mapping
from tests.secretstore.conftest import PASSPHRASE
from tests.secretstore.test_rotation import _password_hash, _scram_matches, pg_admin

__all__ = ["pg_admin"]  # a fixture, imported for its use here


@pytest.fixture
def parent(pg_admin: str) -> Iterator[str]:
    role = f"sw_parent_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    yield role
    with psycopg.connect(pg_admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture
def manager(tmp_path: Path) -> DynamicCredentials:
    return DynamicCredentials(
        LeaseFile(tmp_path / "s.leases.json"), AuditLog(tmp_path / "audit.jsonl", "alice", "t")
    )


def _role(admin: str, username: str) -> tuple[datetime | None, list[str]] | None:
    with psycopg.connect(admin) as conn:
        row = conn.execute(
            "SELECT rolvaliduntil, ARRAY(SELECT b.rolname FROM pg_auth_members m "
            "JOIN pg_roles b ON b.oid = m.roleid WHERE m.member = r.oid) "
            "FROM pg_roles r WHERE rolname = %s",
            (username,),
        ).fetchone()
    return None if row is None else (row[0], list(row[1]))


@pytest.mark.postgres
def test_issue_renew_revoke(pg_admin: str, parent: str, manager: DynamicCredentials) -> None:
    role = PostgresDynamicRole(
        "app", pg_admin, (parent,), timedelta(minutes=5), timedelta(minutes=8)
    )
    issued = manager.issue(role)
    found = _role(pg_admin, issued.username)
    assert found is not None
    valid_until, member_of = found
    assert member_of == [parent]
    assert valid_until is not None and abs(valid_until - issued.lease.expires_at) < timedelta(
        seconds=1
    )
    verifier = _password_hash(pg_admin, issued.username)
    assert verifier is not None and _scram_matches(verifier, issued.password)
    assert issued.password not in repr(issued)
    renewed = manager.renew(role, issued.lease.id)
    # Capped at max_ttl (8 min) from creation, though the TTL is 5 min from now.
    assert renewed.expires_at <= issued.lease.created_at + timedelta(minutes=8)
    assert renewed.expires_at >= issued.lease.expires_at
    manager.revoke(role, issued.lease.id)
    assert _role(pg_admin, issued.username) is None
    assert not manager.leases.get(issued.lease.id).live  # type: ignore[union-attr]
    with pytest.raises(SecretNotFoundError):
        manager.revoke(role, issued.lease.id)
    operations = [(e.operation, e.outcome) for e in manager.audit.entries()]
    assert operations == [("lease", "ok"), ("renew", "ok"), ("revoke", "ok")]
    assert manager.audit.entries()[0].value_hmac == manager.audit.value_hmac(issued.password)
    assert issued.password not in manager.audit.path.read_text()
    assert issued.password not in manager.leases.path.read_text()


@pytest.mark.postgres
def test_expired_leases_are_revoked(pg_admin: str, manager: DynamicCredentials) -> None:
    role = PostgresDynamicRole("short", pg_admin, (), timedelta(seconds=1))
    issued = manager.issue(role)
    keep = manager.issue(PostgresDynamicRole("long", pg_admin, (), timedelta(hours=1)))
    time.sleep(1.2)
    roles = {"short": role, "long": PostgresDynamicRole("long", pg_admin)}
    assert [lease.id for lease in manager.revoke_expired(roles)] == [issued.lease.id]
    assert _role(pg_admin, issued.username) is None
    assert _role(pg_admin, keep.username) is not None
    manager.revoke(roles["long"], keep.lease.id)


def test_database_down_records_no_lease(manager: DynamicCredentials) -> None:
    role = PostgresDynamicRole("app", "postgresql://nobody@127.0.0.1:1/x", connect_timeout=2)
    with pytest.raises(BackendUnavailableError):
        manager.issue(role)
    assert manager.leases.leases() == []
    assert [(e.operation, e.outcome) for e in manager.audit.entries()] == [("lease", "failed")]
    assert "nobody" not in repr(role)


def test_settings_validation(tmp_path: Path) -> None:
    with pytest.raises(SecretConfigError):
        PostgresDynamicRole("Bad-Name", "x")
    with pytest.raises(SecretConfigError, match="admin connection"):
        role_for("app", DynamicSettings(user_var="U", password_var="P"), {})
    bad = tmp_path / "m.toml"
    bad.write_text('[dynamic.app]\nuser_var = "U"\n')
    with pytest.raises(SecretConfigError, match=r"dynamic\.app"):
        load_mapping(bad)
    url = connection_url("host=db.internal port=6432 dbname=shop user=admin", "u1", "p/@:w")
    expected = "postgresql://u1:p%2F%40%3Aw@db.internal:6432/shop"  # shieldwall: ignore[SW-SEC-184]
    assert url == expected


CHILD = """
import os, sys, time, psycopg
with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
    user = conn.execute("select current_user").fetchone()[0]
time.sleep(float(sys.argv[2]))
open(sys.argv[1], "w").write(user + " " + str(os.environ["DB_USER"] == user))
"""


@pytest.mark.postgres
def test_run_issues_renews_and_revokes(pg_admin: str, parent: str, tmp_path: Path) -> None:
    store = tmp_path / "secrets.json"
    mapping = tmp_path / ".shieldwall-secrets.toml"
    mapping.write_text(
        f'[dynamic.app]\nmember_of = ["{parent}"]\nttl_seconds = 2\n'
        'user_var = "DB_USER"\npassword_var = "DB_PASSWORD"\nurl_var = "DATABASE_URL"\n'
    )
    env = {
        "SHIELDWALL_SECRETS_STORE": str(store),
        "SHIELDWALL_SECRETS_PASSPHRASE": PASSPHRASE,
        "SHIELDWALL_DYNAMIC_POSTGRES_URL": pg_admin,
    }
    out = tmp_path / "child.txt"
    result = CliRunner().invoke(
        app,
        ["run", "--mapping", str(mapping), "--", sys.executable, "-c", CHILD, str(out), "2.6"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    username, same = out.read_text().split()
    assert username.startswith("sw_app_") and same == "True"
    assert _role(pg_admin, username) is None  # revoked when the child exited
    audit = AuditLog(tmp_path / "secrets.audit.jsonl")
    operations = [e.operation for e in audit.entries()]
    assert operations[0] == "lease" and operations[-1] == "revoke" and "renew" in operations
    leases = json.loads((tmp_path / "secrets.leases.json").read_text())["leases"]
    assert len(leases) == 1 and leases[0]["revoked_at"] is not None
    listed = CliRunner().invoke(app, ["leases", "list", "--all"], env=env)
    assert listed.exit_code == 0 and "revoked" in listed.output and username in listed.output


@pytest.mark.postgres
def test_cli_revoke_expired(pg_admin: str, tmp_path: Path) -> None:
    store = tmp_path / "secrets.json"
    env = {"SHIELDWALL_SECRETS_STORE": str(store), "SHIELDWALL_DYNAMIC_POSTGRES_URL": pg_admin}
    mapping = tmp_path / "m.toml"
    mapping.write_text('[dynamic.job]\nttl_seconds = 1\nuser_var = "U"\npassword_var = "P"\n')
    manager = DynamicCredentials(
        LeaseFile(tmp_path / "secrets.leases.json"), AuditLog(tmp_path / "secrets.audit.jsonl")
    )
    issued = manager.issue(role_for("job", load_mapping(mapping).dynamic["job"], env))
    time.sleep(1.2)
    result = CliRunner().invoke(
        app, ["leases", "revoke", "--expired", "--mapping", str(mapping)], env=env
    )
    assert result.exit_code == 0, result.output
    assert _role(pg_admin, issued.username) is None
    assert datetime.now(UTC) > issued.lease.expires_at
