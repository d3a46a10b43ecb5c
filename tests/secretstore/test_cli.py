"""``shieldwall secrets`` end to end, in-process; every output is checked for leaked values."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from shieldwall.cli.app import app
from shieldwall.secretstore import EmbeddedStore, get_secret
from tests.secretstore.conftest import FAST_N, PASSPHRASE, SECRET
from tests.servers.vault_kv import KvState


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    store = tmp_path / "store" / "secrets.json"
    EmbeddedStore.init(store, PASSPHRASE, scrypt_n=FAST_N)
    return {
        "SHIELDWALL_SECRETS_STORE": str(store),
        "SHIELDWALL_SECRETS_PASSPHRASE": PASSPHRASE,
    }


def _run(env: dict[str, str], *args: str, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(app, ["secrets", *args], env=env, input=stdin)
    if args[0] != "get":
        assert SECRET not in result.output, f"secret leaked by {args}"
    return result


def test_set_get_list_versions_delete(env: dict[str, str]) -> None:
    assert _run(env, "set", "db/password", stdin="first-value\n").exit_code == 0
    result = _run(env, "set", "db/password", stdin=SECRET + "\n")
    assert result.exit_code == 0 and "version 2" in result.output
    result = _run(env, "get", "db/password")
    assert result.exit_code == 0 and result.stdout == SECRET + "\n"
    assert _run(env, "get", "db/password", "--version", "1").stdout == "first-value\n"
    assert _run(env, "list").stdout.splitlines() == ["db/password"]
    lines = _run(env, "versions", "db/password").stdout.splitlines()
    assert len(lines) == 2 and lines[1].startswith("*   2") and "live" in lines[1]
    assert _run(env, "delete", "db/password").exit_code == 0
    result = _run(env, "get", "db/password")
    assert result.exit_code == 3 and "deleted" in result.output and SECRET not in result.output
    assert "deleted" in _run(env, "versions", "db/password").stdout.splitlines()[1]


def test_value_never_taken_from_argv(env: dict[str, str]) -> None:
    result = _run(env, "set", "db/password", "some-value")
    assert result.exit_code == 2  # no such argument: values come from stdin or a prompt
    assert _run(env, "set", "db/password", stdin="").exit_code == 2


def test_wrong_passphrase(env: dict[str, str]) -> None:
    _run(env, "set", "db/password", stdin=SECRET)
    result = _run({**env, "SHIELDWALL_SECRETS_PASSPHRASE": "wrong"}, "get", "db/password")
    assert result.exit_code == 3 and "wrong passphrase" in result.output


def test_tampered_store(env: dict[str, str]) -> None:
    _run(env, "set", "db/password", stdin=SECRET)
    path = Path(env["SHIELDWALL_SECRETS_STORE"])
    data = json.loads(path.read_text())
    data["secrets"]["db/password"]["versions"][0]["deleted_at"] = "2020-01-01T00:00:00Z"
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    result = _run(env, "set", "db/password", stdin="new-value")
    assert result.exit_code == 3 and "integrity" in result.output
    assert path.read_bytes() == before


def test_audit_and_verify(env: dict[str, str]) -> None:
    _run(env, "set", "db/password", stdin=SECRET)
    _run(env, "get", "db/password")
    _run(env, "get", "absent/path")
    result = _run(env, "audit")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and " write " in lines[0] and "not-found" in lines[2]
    assert "intact" in _run(env, "audit", "--verify").stdout
    log = Path(env["SHIELDWALL_SECRETS_STORE"]).with_name("secrets.audit.jsonl")
    assert SECRET not in log.read_text()
    log.write_text(log.read_text().replace('"read"', '"list"', 1))
    result = _run(env, "audit", "--verify")
    assert result.exit_code == 3 and "tampered" in result.output and "line 2" in result.output
    assert _run(env, "audit").exit_code == 3


def test_run_injects_environment(env: dict[str, str], tmp_path: Path) -> None:
    _run(env, "set", "db/password", stdin=SECRET)
    mapping = tmp_path / "secrets.toml"
    mapping.write_text('DB_PASSWORD = "store:db/password"\n')
    out = tmp_path / "child.txt"
    script = (
        f"import os, sys; open({str(out)!r}, 'w').write(os.environ['DB_PASSWORD']); sys.exit(4)"
    )
    result = _run(env, "run", "--mapping", str(mapping), "--", sys.executable, "-c", script)
    assert result.exit_code == 4
    assert out.read_text() == SECRET
    assert "inject" in _run(env, "audit").stdout


def test_run_with_bad_mapping(env: dict[str, str], tmp_path: Path) -> None:
    mapping = tmp_path / "secrets.toml"
    mapping.write_text('DB = "nowhere:db/password"\n')
    result = _run(env, "run", "--mapping", str(mapping), "--", "true")
    assert result.exit_code == 2 and "invalid secret reference" in result.output


def test_rotate_random(env: dict[str, str]) -> None:
    _run(env, "set", "db/password", stdin=SECRET)
    assert _run(env, "rotate", "db/password").exit_code == 0
    assert _run(env, "get", "db/password").stdout.strip() != SECRET
    assert _run(env, "get", "db/password", "-v", "1").stdout.strip() == SECRET
    assert _run(env, "rotate", "db/password", "--rotator", "postgres").exit_code == 2


def test_vault_backend_via_cli(env: dict[str, str], vault: KvState, tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(f'[vault]\nurl = "{vault.url}"\n')
    venv = {**env, "VAULT_TOKEN": "root-token"}
    args = ("-b", "vault", "--mapping", str(mapping))
    assert _run(venv, "set", "app/key", *args, stdin=SECRET).exit_code == 0
    assert _run(venv, "get", "app/key", *args).stdout == SECRET + "\n"
    vault.sealed = True
    result = _run(venv, "get", "app/key", *args)
    assert result.exit_code == 3 and "sealed" in result.output


def test_get_secret_api(env: dict[str, str]) -> None:
    _run(env, "set", "db/password", stdin=SECRET)
    assert get_secret("db/password", environ=env) == SECRET
    assert get_secret("store:db/password", environ=env, version=1) == SECRET
    assert get_secret("env:db/password", environ={**env, "DB_PASSWORD": "x-env"}) == "x-env"


def test_policy_file_denies(env: dict[str, str]) -> None:
    _run(env, "set", "db/password", stdin=SECRET)
    policy = Path(env["SHIELDWALL_SECRETS_STORE"]).with_name("secrets.policy.toml")
    policy.write_text('[[allow]]\npaths = ["app/*"]\noperations = ["read"]\n')
    result = _run(env, "get", "db/password")
    assert result.exit_code == 3 and "policy" in result.output and SECRET not in result.output
    assert "denied" in _run(env, "audit").stdout.splitlines()[-1]


def test_leaks_command(env: dict[str, str], tmp_path: Path) -> None:
    _run(env, "set", "db/password", stdin=SECRET)
    _run(env, "set", "api/token", stdin="Zq8xK2mN4pR7sT1v")
    tree = tmp_path / "tree"
    (tree / "logs").mkdir(parents=True)
    (tree / "app.py").write_text(f'print("hi")\nDB = "postgres://u:{SECRET}@db/x"\n')
    (tree / "logs" / "app.log").write_bytes(b"\x00\x01 start\n" + f"token={SECRET}\n".encode())
    (tree / "clean.py").write_text(f'DB = "{SECRET[:-2]}"\n')
    result = _run(env, "leaks", str(tree))
    assert result.exit_code == 1
    lines = sorted(result.stdout.splitlines())
    assert len(lines) == 2
    assert lines[0].startswith("app.py:2: leaked secret store:db/password")
    assert lines[1].startswith("logs/app.log:2: leaked secret store:db/password")
    (tree / "app.py").unlink()
    (tree / "logs" / "app.log").unlink()
    assert _run(env, "leaks", str(tree)).exit_code == 0


@pytest.mark.postgres
def test_rotate_postgres_via_cli(env: dict[str, str]) -> None:
    import os
    import uuid

    import psycopg
    from psycopg import sql

    url = os.environ.get("SHIELDWALL_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("SHIELDWALL_TEST_POSTGRES_URL is not set")
    admin = url.replace("postgresql+psycopg://", "postgresql://", 1)
    role = f"sw_cli_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    try:
        _run(env, "set", "db/app", stdin=SECRET)
        result = _run(
            {**env, "PG_ADMIN": admin},
            "rotate", "db/app", "--rotator", "postgres", "--role", role,
            "--postgres-url-env", "PG_ADMIN",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        new = _run(env, "get", "db/app").stdout.strip()
        assert new != SECRET and len(new) == 32
        assert " rotate " in _run(env, "audit").stdout
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def test_set_rejects_bad_stdin(env: dict[str, str]) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["secrets", "set", "a/b"], env=env, input=b"\xff\xfe\x00bad")
    assert result.exit_code == 2 and "not UTF-8" in result.output
    huge = b"x" * (1024 * 1024 + 1)
    result = runner.invoke(app, ["secrets", "set", "a/b"], env=env, input=huge)
    assert result.exit_code == 2 and "larger than" in result.output


def test_multiline_value_kept(env: dict[str, str]) -> None:
    pem = "-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----"
    assert _run(env, "set", "tls/key", stdin=pem + "\n").exit_code == 0
    assert _run(env, "get", "tls/key").stdout == pem + "\n"
