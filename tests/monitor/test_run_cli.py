"""``monitor run`` and ``monitor worker`` from a monitor.yaml: sinks, suppression, the Redis
scale-out path end to end (run publishes, worker detects), and configuration errors."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import yaml
from typer.testing import CliRunner

from shieldwall.cli.app import app
from tests.monitor.conftest import LOGS

REDIS_ENV = "SHIELDWALL_TEST_REDIS_URL"


def _config(tmp_path: Path, **extra: object) -> Path:
    shutil.copy(LOGS / "openssh.log", tmp_path / "auth.log")
    data = {
        "sources": [{"path": "auth.log"}],
        "state_dir": "state",
        "year": 2026,
        "sinks": [{"kind": "file", "path": "alerts.jsonl"}],
        **extra,
    }
    path = tmp_path / "monitor.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _alerts(tmp_path: Path) -> list[dict[str, object]]:
    out = tmp_path / "alerts.jsonl"
    return [json.loads(x) for x in out.read_text().splitlines()] if out.exists() else []


def test_run_once_applies_suppressions(tmp_path: Path) -> None:
    config = _config(tmp_path)
    result = CliRunner().invoke(app, ["monitor", "run", "--config", str(config), "--once"])
    assert result.exit_code == 0, result.output
    everything = _alerts(tmp_path)
    assert everything
    noisy = str(everything[0]["entity"]).split("=", 1)[1]
    (tmp_path / "alerts.jsonl").unlink()
    shutil.rmtree(tmp_path / "state")
    config = _config(
        tmp_path,
        suppressions=[
            {"fields": {"source.ip": noisy}, "reason": "our scanner"},
            {"rule": "*", "reason": "old", "expires": "2020-01-01T00:00:00Z"},
        ],
    )
    result = CliRunner().invoke(app, ["monitor", "run", "--config", str(config), "--once"])
    assert result.exit_code == 0, result.output
    assert "expired" in result.stderr
    written = _alerts(tmp_path)
    assert len(written) == len(everything)  # the record keeps them, marked
    hidden = [a for a in written if "suppressed" in a]
    assert hidden and all(a["suppressed"] == "our scanner" for a in hidden)
    assert all(noisy in str(a["entity"]) for a in hidden)
    assert all(noisy not in str(a["entity"]) for a in written if "suppressed" not in a)


def test_a_sink_without_its_secret_is_a_config_error(tmp_path: Path) -> None:
    config = _config(tmp_path, sinks=[{"kind": "slack", "url_env": "SW_TEST_NO_SUCH_VARIABLE"}])
    result = CliRunner().invoke(app, ["monitor", "run", "--config", str(config), "--once"])
    assert result.exit_code != 0
    assert "SW_TEST_NO_SUCH_VARIABLE" in result.output


def test_worker_needs_a_scale_section(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["monitor", "worker", "--config", str(_config(tmp_path))])
    assert result.exit_code != 0
    assert "scale" in result.output


@pytest.fixture
def redis_url() -> Iterator[str]:
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set")
    yield url


@pytest.mark.redis
def test_run_publishes_and_workers_detect(tmp_path: Path, redis_url: str) -> None:
    prefix = f"sw-test-{uuid.uuid4().hex[:10]}"
    scale = {"redis_url": redis_url, "prefix": prefix, "partitions": 3}
    local = _config(tmp_path)
    CliRunner().invoke(app, ["monitor", "run", "--config", str(local), "--once"])
    expected = {(a["rule_id"], a["entity"]) for a in _alerts(tmp_path)}
    (tmp_path / "alerts.jsonl").unlink()
    shutil.rmtree(tmp_path / "state")
    config = _config(tmp_path, scale=scale)
    client = redis.Redis.from_url(redis_url)
    try:
        run = CliRunner().invoke(app, ["monitor", "run", "--config", str(config), "--once"])
        assert run.exit_code == 0, run.output
        assert _alerts(tmp_path) == []  # detection is the workers' job now
        for name in ("w1", "w2"):
            worker = CliRunner().invoke(
                app, ["monitor", "worker", "--config", str(config), "--consumer", name, "--once"]
            )
            assert worker.exit_code == 0, worker.output
        got = _alerts(tmp_path)
        assert {(a["rule_id"], a["entity"]) for a in got} >= {
            e for e in expected if str(e[0]).startswith("SW-")
        }
        again = CliRunner().invoke(
            app, ["monitor", "worker", "--config", str(config), "--consumer", "w3", "--once"]
        )
        assert again.exit_code == 0
        assert len(_alerts(tmp_path)) == len(got)  # nothing left, nothing repeated
    finally:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        client.close()


def test_replay_reads_standard_input() -> None:
    data = (LOGS / "openssh.log").read_bytes()
    result = CliRunner().invoke(app, ["monitor", "replay", "-", "--format", "jsonl"], input=data)
    assert result.exit_code == 0, result.output
    alerts = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert alerts and {a["source"] for a in alerts} == {"stdin"}
    assert "SW-MON-001" in {a["rule_id"] for a in alerts}
