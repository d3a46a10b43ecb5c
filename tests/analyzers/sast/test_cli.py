"""`shieldwall scan --scanners sast` end to end: config slice, process pool, JSON with traces."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from shieldwall.cli.app import app


def test_scan_reports_cross_module_flow_with_trace(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    (project / "shop").mkdir(parents=True)
    (project / "shop" / "__init__.py").write_text("")
    (project / "shop" / "db.py").write_text(
        "import sqlite3\ndef run(q):\n    return sqlite3.connect('x').execute(q)\n"
    )
    (project / "shop" / "web.py").write_text(
        textwrap.dedent(
            """\
            from flask import Flask, request
            from shop.db import run
            app = Flask(__name__)
            @app.route("/q")
            def q():
                return str(run("SELECT " + request.args["c"]))
            """
        )
    )
    (project / "shop" / "broken.py").write_text("def f(:\n")
    (project / "shieldwall.toml").write_text('[analyzers.sast]\nmin_confidence = "medium"\n')
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        app,
        [
            "scan",
            str(project),
            "--scanners",
            "sast",
            "--format",
            "json",
            "-o",
            str(out),
            "--no-progress",
            "--fail-on",
            "none",
            "--jobs",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    [finding] = [f for f in report["findings"] if f["rule"]["id"] == "SW-PY-001"]
    assert finding["location"]["path"] == "shop/db.py"
    assert finding["location"]["start_line"] == 3
    assert finding["trace"][0]["location"]["path"] == "shop/web.py"
    assert "CWE-89" in finding["rule"]["cwe"]
    assert any(e["path"] == "shop/broken.py" for e in report["errors"])


def test_unknown_config_key_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "shieldwall.toml").write_text("[analyzers.sast]\nmin_confidense = 'low'\n")
    result = CliRunner().invoke(app, ["scan", str(tmp_path), "--scanners", "sast", "--no-progress"])
    assert result.exit_code == 2
