"""``[analyzers.sast] extra_specs`` paths are relative to the config file, not the working dir."""

from __future__ import annotations

import json
import pickle
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.analyzers.sast.config import SastConfig
from shieldwall.cli.app import app
from shieldwall.core.config import load_config

WEB = textwrap.dedent(
    """\
    import os
    from flask import Flask, request
    from shop.clean import shell_safe
    app = Flask(__name__)
    @app.route("/run")
    def run():
        os.system(shell_safe(request.args["c"]))
    """
)
SPEC = 'name = "shop"\n[[sanitizers]]\nnames = ["shop.clean.shell_safe"]\nclears = ["command"]\n'


def _project(root: Path, config: str) -> Path:
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "clean.py").write_text("def shell_safe(value):\n    return value\n")
    (root / "shop" / "web.py").write_text(WEB)
    (root / ".shieldwall").mkdir()
    (root / ".shieldwall" / "taint.toml").write_text(SPEC)
    (root / "shieldwall.toml").write_text(config)
    return root


def _command_findings(project: Path, out: Path) -> list[dict[str, object]]:
    args = ["scan", str(project), "-s", "sast", "-f", "json", "-o", str(out), "--no-progress"]
    result = CliRunner().invoke(app, [*args, "--fail-on", "none", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["errors"] == []  # e.g. "cannot read taint spec" when resolved against the cwd
    return [f for f in report["findings"] if "CWE-78" in f["rule"]["cwe"]]


def test_relative_extra_spec_is_found_from_another_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_spec = _project(
        tmp_path / "a", '[analyzers.sast]\nextra_specs = [".shieldwall/taint.toml"]\n'
    )
    without = _project(tmp_path / "b", "[analyzers.sast]\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    # The flow is a real command injection unless the team's sanitizer is known.
    assert _command_findings(without, tmp_path / "b.json")
    assert _command_findings(with_spec, tmp_path / "a.json") == []


def test_slice_paths_resolve_against_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "conf" / "shieldwall.toml"
    config.parent.mkdir()
    absolute = tmp_path / "abs.toml"
    config.write_text(f'[analyzers.sast]\nextra_specs = ["rel.toml", "{absolute}"]\n')
    loaded = load_config(root=tmp_path, config_path=config)
    sliced = loaded.analyzer_config("sast", SastConfig)
    assert isinstance(sliced, SastConfig)
    assert sliced.extra_specs == (str(config.parent / "rel.toml"), str(absolute))
    # Still fit for the process pool; the bytes are our own.
    assert pickle.loads(pickle.dumps(sliced)) == sliced  # noqa: S301


def test_slice_paths_from_the_command_line_stay_relative_to_the_cwd(tmp_path: Path) -> None:
    cli = {"analyzers": {"sast": {"extra_specs": ["rel.toml"]}}}
    loaded = load_config(root=tmp_path, config_path=None, env={}, cli=cli)
    sliced = loaded.analyzer_config("sast", SastConfig)
    assert isinstance(sliced, SastConfig)
    assert sliced.extra_specs == ("rel.toml",)
    assert SastConfig(extra_specs=("rel.toml",)).extra_specs == ("rel.toml",)
