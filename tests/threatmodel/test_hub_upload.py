"""``shieldwall threatmodel check --upload`` against a real hub (uvicorn) on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.hub.settings import HubSettings
from tests.servers.hub_server import running_hub

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "vulnerable-shop" / "threatmodel.yaml"
runner = CliRunner()


def _hub(tmp_path: Path) -> tuple[dict[str, str], str]:
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
    return env, token


def test_check_upload_stores_versions_in_the_hub(tmp_path: Path) -> None:
    env, token = _hub(tmp_path)
    model = tmp_path / "threatmodel.yaml"
    shutil.copyfile(EXAMPLE, model)
    upload = [
        "threatmodel",
        "check",
        str(model),
        "-q",
        "--fail-on",
        "none",
        "--upload",
        "--project",
        "shop",
        "--commit",
        "1234abcd",
    ]
    with running_hub(HubSettings(database_url=env["SHIELDWALL_DATABASE_URL"])) as base:
        hub_env = {**env, "SHIELDWALL_HUB_URL": base, "SHIELDWALL_TOKEN": token}
        first = runner.invoke(app, upload, env=hub_env)
        assert first.exit_code == 0, first.output
        assert "uploaded as version 1 of model vulnerable-shop" in first.stderr
        again = runner.invoke(app, upload, env=hub_env)
        assert "already in the hub as version 1" in again.stderr

        # The operator's acceptance expires: a new version where that threat is open again.
        model.write_text(model.read_text().replace("expires: 2027-06-30", "expires: 2026-01-01"))
        gated = runner.invoke(
            app,
            [*upload[:4], "--upload", "--project", "shop", "--url", base, "--token", token],
            env=env,
        )
        # The gate still decides the exit code; the upload happens either way.
        assert gated.exit_code == 1, gated.output
        assert "uploaded as version 2 of model vulnerable-shop" in gated.stderr

        headers = {"Authorization": f"Bearer {token}"}
        root = f"{base}/api/v1/projects/shop/threatmodels/vulnerable-shop"
        versions = httpx.get(f"{root}/versions", headers=headers).json()
        assert [v["number"] for v in versions["items"]] == [2, 1]
        assert versions["items"][1]["commit"] == "1234abcd"
        assert versions["items"][0]["author"] == "alice"
        diff = httpx.get(f"{root}/diff", headers=headers).json()
        assert {
            "threat_id": "SW-TM-012@operator",
            "before": "accepted",
            "after": "open",
        } in diff["status_changes"]
        threats = httpx.get(f"{root}/versions/2/threats?status=open", headers=headers).json()
        assert "SW-TM-012@operator" in {t["threat_id"] for t in threats}


def test_upload_needs_a_project_and_a_token(tmp_path: Path) -> None:
    result = runner.invoke(app, ["threatmodel", "check", str(EXAMPLE), "--upload"])
    assert result.exit_code == 2 and "--project" in result.stderr
    result = runner.invoke(
        app,
        ["threatmodel", "check", str(EXAMPLE), "-q", "--upload", "--project", "shop"],
        env={"SHIELDWALL_TOKEN": ""},
    )
    assert result.exit_code == 2 and "SHIELDWALL_TOKEN" in result.stderr


def test_unreachable_hub_is_a_clear_error(tmp_path: Path) -> None:
    from tests.servers.hub_server import free_port

    result = runner.invoke(
        app,
        [
            "threatmodel",
            "check",
            str(EXAMPLE),
            "-q",
            "--fail-on",
            "none",
            "--upload",
            "--project",
            "shop",
            "--url",
            f"http://127.0.0.1:{free_port()}",
            "--token",
            "swt_x",
        ],
    )
    assert result.exit_code == 3 and "could not reach the hub" in result.stderr
