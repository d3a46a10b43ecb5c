"""The `shieldwall db` and `shieldwall sbom` commands through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from shieldwall.cli.db import app as db_app
from shieldwall.cli.sbom import sbom
from tests.servers.osv_server import OsvBucket, serve_osv
from tests.vulndb.conftest import DATA, by_ecosystem, load_records, zip_records

TESTS = Path(__file__).parent.parent


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    return {"SHIELDWALL_CACHE_DIR": str(tmp_path / "cache")}


def test_import_then_status(env: dict[str, str]) -> None:
    runner = CliRunner()
    result = runner.invoke(db_app, ["import", str(DATA / "records.jsonl")], env=env)
    assert result.exit_code == 0, result.output
    assert "indexed 11 advisories" in result.output and "dropped 1 withdrawn" in result.output
    status = runner.invoke(db_app, ["status", "--json"], env=env)
    data = json.loads(status.stdout)
    assert data["advisories"] == {"Go": 2, "PyPI": 2, "Packagist": 1, "crates.io": 3, "npm": 3}
    assert data["source"].startswith("import: ")


def test_status_without_index_and_bad_import(env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(db_app, ["status"], env=env)
    assert result.exit_code == 3 and "shieldwall db update" in result.output
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"garbage")
    result = runner.invoke(db_app, ["import", str(bad)], env=env)
    assert result.exit_code == 3 and "not a readable zip" in result.output


def test_update_from_a_mirror_and_offline_refusal(env: dict[str, str]) -> None:
    runner = CliRunner()
    bucket = OsvBucket({e: zip_records(r) for e, r in by_ecosystem(load_records()).items()})
    with serve_osv(bucket):
        result = runner.invoke(
            db_app, ["update", "-e", "npm", "-e", "pypi", "--base-url", bucket.base_url], env=env
        )
    assert result.exit_code == 0, result.output
    assert "npm: updated" in result.output and "PyPI: updated" in result.output
    offline = runner.invoke(db_app, ["update", "--offline"], env=env)
    assert offline.exit_code == 2 and "db import" in offline.output
    unknown = runner.invoke(
        db_app, ["update", "-e", "Hackage", "--base-url", "http://127.0.0.1:9"], env=env
    )
    assert unknown.exit_code == 3 and "unknown ecosystem" in unknown.output


def test_sbom_command(env: dict[str, str], tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(sbom)
    project = tmp_path / "p"
    project.mkdir()
    (project / "package-lock.json").write_text(
        (TESTS / "corpus/deps/SW-DEP-001.npm/package-lock.json").read_text()
    )
    out = tmp_path / "sbom.json"
    result = CliRunner().invoke(app, [str(project), "--format", "spdx", "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["spdxVersion"] == "SPDX-2.3"
    result = CliRunner().invoke(app, [str(project)], env=env)
    assert json.loads(result.stdout)["bomFormat"] == "CycloneDX"


def test_deps_preflight_warns_about_a_stale_index(env: dict[str, str], tmp_path: Path) -> None:
    import sqlite3

    from shieldwall.cli.common import load
    from shieldwall.cli.db import deps_preflight
    from shieldwall.vulndb.index import index_path
    from shieldwall.vulndb.service import import_source

    cache = tmp_path / "cache"
    import_source(cache, DATA / "records.jsonl")
    with sqlite3.connect(index_path(cache)) as conn:
        conn.execute("UPDATE meta SET value = '2020-01-01T00:00:00+00:00' WHERE key = 'built_at'")
    (tmp_path / "shieldwall.toml").write_text(
        f'cache_dir = "{cache}"\n[analyzers.deps]\nmax_db_age_days = 30\n'
    )
    (warning,) = deps_preflight(load(tmp_path, None))
    assert "limit 30" in warning
    assert deps_preflight(load(tmp_path, None, scanners=("secrets",))) == ()
