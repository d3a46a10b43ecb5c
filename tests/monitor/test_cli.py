"""``shieldwall monitor`` end to end, in-process."""
# ruff: noqa: E501  (log lines are kept whole: splitting them would hide what is tested)

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from shieldwall.cli.app import app
from tests.monitor.conftest import LOGS, SIGMA

ACCESS = """\
203.0.113.5 - - [10/Oct/2025:13:55:36 +0000] "GET /item?id=1+UNION+SELECT+password+FROM+users HTTP/1.1" 200 10 "-" "sqlmap/1.7"
198.51.100.7 - - [10/Oct/2025:13:55:37 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "Mozilla/5.0"
203.0.113.5 - - [10/Oct/2025:13:55:38 +0000] "GET /dl?f=../../etc/passwd HTTP/1.1" 404 0 "-" "sqlmap/1.7"
"""


def test_replay_jsonl_writes_the_alert_fields(tmp_path: Path) -> None:
    access = tmp_path / "access.log"
    access.write_text(ACCESS)
    out = tmp_path / "alerts.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "monitor",
            "replay",
            str(access),
            str(LOGS / "openssh.log"),
            "--rules",
            str(SIGMA),
            "--format",
            "jsonl",
            "-o",
            str(out),
            "--year",
            "2026",
        ],
    )
    assert result.exit_code == 0, result.output
    alerts = [json.loads(line) for line in out.read_text().splitlines()]
    for alert in alerts:
        assert {"rule_id", "rule_title", "severity", "source", "events"} <= set(alert)
        assert alert["events"] and all(e["source"] == alert["source"] for e in alert["events"])
    web = {(a["rule_id"], a["events"][0]["line"]) for a in alerts if a["source"] == str(access)}
    assert ("SW-MON-101", 1) in web  # SQL injection
    assert ("SW-MON-103", 3) in web  # traversal
    assert ("SW-MON-104", 1) in web  # scanner user agent (grouped: both sqlmap lines, one alert)
    assert not any(line == 2 for _, line in web)
    assert any(
        a["rule_id"] == "SW-MON-001" and a["source"] == str(LOGS / "openssh.log") for a in alerts
    )
    scanner = next(a for a in alerts if a["rule_id"] == "SW-MON-104")
    assert scanner["count"] == 2 and [e["line"] for e in scanner["events"]] == [1, 3]


def test_replay_table_goes_to_stdout_and_problems_to_stderr(tmp_path: Path) -> None:
    log = tmp_path / "auth.log"
    log.write_bytes(b"Dec 10 06:55:46 h sshd[1]: Invalid user a from 10.0.0.1\n\x00\x01binary\n")
    result = CliRunner().invoke(app, ["monitor", "replay", str(log), "--no-builtin"])
    assert result.exit_code == 0, result.output
    assert "1 events, 0 alerts, 1 lines skipped" in result.output


def test_replay_of_only_unreadable_files_fails_with_exit_3(tmp_path: Path) -> None:
    blob = tmp_path / "x.log"
    blob.write_bytes(b"\x00" * 64)
    result = CliRunner().invoke(app, ["monitor", "replay", str(blob)])
    assert result.exit_code == 3
    assert "binary file" in result.output


def test_replay_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["monitor", "replay", str(tmp_path / "nope.log")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_rules_test_runs_the_builtin_samples() -> None:
    result = CliRunner().invoke(app, ["monitor", "rules", "test"])
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.output
    for rule_id in ("SW-MON-001", "SW-MON-002", "SW-MON-003", "SW-MON-004", "SW-MON-101"):
        assert f"PASS  {rule_id} sample 0" in result.output


def test_rules_test_fails_a_rule_that_fires_on_its_negative_sample(tmp_path: Path) -> None:
    (tmp_path / "greedy.yml").write_text(
        """\
title: Greedy
name: SW-TST-001
id: 3b4c9a57-4a0e-4ad1-9d63-6a7b1d3c2a10
author: test
logsource: {category: webserver}
detection:
  selection:
    c-uri|contains: "/"
  condition: selection
shieldwall_tests:
  - format: combined
    expect: 0
    lines:
      - '198.51.100.7 - - [10/Oct/2025:13:55:37 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "x"'
"""
    )
    result = CliRunner().invoke(app, ["monitor", "rules", "test", str(tmp_path), "--no-builtin"])
    assert result.exit_code == 1
    assert "FAIL  SW-TST-001 sample 0: expected 0, got 1" in result.output


def test_rules_check_reports_each_unsupported_rule_with_its_feature(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text("title: x\nid: 1\n: : :\n")
    (tmp_path / "threshold.yml").write_text(
        "shieldwall: threshold\nid: SW-MON-9\ntitle: t\ngroup_by: [a]\nwindow: 1\ncount: 1\n"
    )
    (tmp_path / "ok.yml").write_text(
        (SIGMA / "web" / "web_path_traversal_exploitation_attempt.yml").read_text()
    )
    result = CliRunner().invoke(app, ["monitor", "rules", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "loaded 1 rules (1 Sigma, 0 threshold); 2 not loaded" in result.output
    assert "bad.yml: ?: unreadable YAML" in result.output
    assert (
        "threshold.yml: SW-MON-9: invalid threshold rule: id: String should match pattern"
        in result.output
    )
