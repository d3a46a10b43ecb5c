"""``monitor run``: following files across restarts, rotation and truncation, exactly once."""
# ruff: noqa: E501  (log lines are kept whole)

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.monitor.config import MonitorConfig, load_monitor_config
from shieldwall.monitor.daemon import MonitorDaemon
from shieldwall.monitor.follow import Checkpoint, poll
from shieldwall.monitor.ruleset import RuleSet, load_rules
from shieldwall.monitor.sinks import JsonLinesSink

RULE = """\
title: Sudo to a root shell
name: SW-TST-002
id: 0d7c1b4e-7a53-4bd2-9a0f-5d6f0d0f6a11
author: test
logsource: {product: linux, service: sudo}
detection:
  selection:
    process.command_line|endswith: ["/bin/bash", "/bin/sh"]
  condition: selection
level: high
"""


def _sudo(n: int, command: str = "/bin/bash") -> str:
    return f"Mar  1 10:00:{n:02d} web sudo:   u{n} : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND={command}\n"


@pytest.fixture
def ruleset(tmp_path: Path) -> RuleSet:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "sudo.yml").write_text(RULE)
    return load_rules([tmp_path / "rules"], builtin=False)


def _daemon(tmp_path: Path, ruleset: RuleSet, out: io.StringIO) -> MonitorDaemon:
    config = MonitorConfig.model_validate(
        {
            "sources": [{"path": tmp_path / "auth.log"}],
            "state_dir": tmp_path / "state",
            "year": 2026,
        }
    )
    return MonitorDaemon(config, ruleset, [JsonLinesSink(out)])


def _lines(out: io.StringIO) -> list[int]:
    return [json.loads(x)["events"][0]["line"] for x in out.getvalue().splitlines()]


def test_restart_neither_loses_nor_repeats_events(tmp_path: Path, ruleset: RuleSet) -> None:
    log = tmp_path / "auth.log"
    log.write_text(_sudo(1) + _sudo(2, "/usr/bin/id"))
    out = io.StringIO()
    first = _daemon(tmp_path, ruleset, out)
    assert first.cycle().events == 2
    with log.open("a") as handle:
        handle.write(_sudo(3))
        handle.write(_sudo(4)[:30])  # a line still being written
    assert first.cycle().events == 1
    # restart: a new process reads the checkpoint
    second = _daemon(tmp_path, ruleset, out)
    assert second.cycle().events == 0
    with log.open("a") as handle:
        handle.write(_sudo(4)[30:] + _sudo(5))
    report = second.cycle()
    assert report.events == 2
    assert _lines(out) == [1, 3, 4, 5]


def test_rotation_and_truncation_start_the_new_file_from_its_beginning(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    log = tmp_path / "auth.log"
    log.write_text(_sudo(1) + _sudo(2))
    out = io.StringIO()
    daemon = _daemon(tmp_path, ruleset, out)
    daemon.cycle()
    log.rename(tmp_path / "auth.log.1")  # logrotate's default: rename, then create
    log.write_text(_sudo(3))
    assert daemon.cycle().events == 1
    log.write_text("")  # copytruncate
    assert daemon.cycle().events == 0
    log.write_text(_sudo(4))
    assert daemon.cycle().events == 1
    assert _lines(out) == [1, 2, 1, 1]


def test_a_missing_file_waits_and_a_corrupt_checkpoint_is_a_config_error(
    tmp_path: Path, ruleset: RuleSet
) -> None:
    out = io.StringIO()
    daemon = _daemon(tmp_path, ruleset, out)
    assert daemon.cycle().events == 0  # auth.log does not exist yet
    (tmp_path / "auth.log").write_text(_sudo(1))
    assert daemon.cycle().events == 1
    (tmp_path / "state" / "checkpoints.json").write_text("{not json")
    from shieldwall.core.errors import ConfigError

    with pytest.raises(ConfigError, match="corrupt checkpoint"):
        _daemon(tmp_path, ruleset, out)


def test_poll_skips_binary_and_keeps_line_numbers(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_bytes(b"a\n\x00\x00\nb\n")
    lines, after = poll(log, Checkpoint())
    assert [x if isinstance(x, tuple) else x.line for x in lines] == [(1, "a"), 2, (3, "b")]
    assert after.offset == log.stat().st_size and after.line == 3


def test_config_is_validated_and_paths_are_relative_to_it(tmp_path: Path) -> None:
    config = tmp_path / "monitor.yaml"
    config.write_text(
        "sources:\n  - path: logs/auth.log\nsinks:\n  - kind: file\n    path: out.jsonl\n"
    )
    loaded = load_monitor_config(config)
    assert loaded.sources[0].path == tmp_path / "logs" / "auth.log"
    config.write_text("sources: []\n")
    from shieldwall.core.errors import ConfigError

    with pytest.raises(ConfigError, match="sources"):
        load_monitor_config(config)


def test_run_once_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "sudo.yml").write_text(RULE)
    (tmp_path / "auth.log").write_text(_sudo(1) + _sudo(2, "/usr/bin/id"))
    (tmp_path / "monitor.yaml").write_text(
        "sources:\n  - path: auth.log\nrules: [rules]\nbuiltin_rules: false\nyear: 2026\n"
        "sinks:\n  - kind: file\n    path: alerts.jsonl\n"
    )
    result = CliRunner().invoke(
        app, ["monitor", "run", "-c", str(tmp_path / "monitor.yaml"), "--once"]
    )
    assert result.exit_code == 0, result.output
    alerts = [json.loads(x) for x in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert [(a["rule_id"], a["events"][0]["line"]) for a in alerts] == [("SW-TST-002", 1)]
    again = CliRunner().invoke(
        app, ["monitor", "run", "-c", str(tmp_path / "monitor.yaml"), "--once"]
    )
    assert again.exit_code == 0
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 1  # nothing repeated


def test_run_reports_each_problem_once(tmp_path: Path, ruleset: RuleSet) -> None:
    # A file in no known format yet stays a problem every cycle: said once, not every cycle.
    (tmp_path / "auth.log").write_text("\x01\x02 nothing a parser knows\n")
    said: list[str] = []
    config = MonitorConfig.model_validate(
        {
            "sources": [{"path": tmp_path / "auth.log"}],
            "state_dir": tmp_path / "state",
            "year": 2026,
            "poll_interval": 0.01,
        }
    )
    daemon = MonitorDaemon(config, ruleset, [JsonLinesSink(io.StringIO())], on_problem=said.append)
    daemon.run(threading.Event(), max_cycles=3)
    assert len(said) == 1 and "auth.log" in said[0]


def test_run_through_the_cli_prints_problems(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "sudo.yml").write_text(RULE)
    (tmp_path / "auth.log").write_text("\x01\x02 nothing a parser knows\n")
    (tmp_path / "monitor.yaml").write_text(
        "sources:\n  - path: auth.log\nrules: [rules]\nbuiltin_rules: false\nyear: 2026\n"
    )
    result = CliRunner().invoke(
        app, ["monitor", "run", "-c", str(tmp_path / "monitor.yaml"), "--once"]
    )
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "auth.log" in result.output
