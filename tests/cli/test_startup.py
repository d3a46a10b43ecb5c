"""Start-up cost: ``shieldwall --version`` and ``scan`` import only what they run.

Each check imports in a fresh interpreter and looks at ``sys.modules``, so that an eager import
added anywhere on the path (a command module, a package ``__init__``) fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from shieldwall.cli.app import app

# Stacks of other commands: web, database, queues, detection rules, dependency data, rendering.
HEAVY = (
    "sqlalchemy",
    "fastapi",
    "starlette",
    "httpx",
    "celery",
    "sigma",
    "jinja2",
    "shieldwall.hub",
    "shieldwall.monitor",
    "shieldwall.dast",
    "shieldwall.image",
    "shieldwall.secretstore",
    "shieldwall.threatmodel",
)
# A scan without a policy file or a dependency scanner needs none of these either.
SCAN_UNUSED = (
    "shieldwall.vulndb",
    "shieldwall.analyzers",
    "shieldwall.qa",
    "shieldwall.ci.templates",
)


def _imported_by(module: str, then: str = "") -> set[str]:
    code = f"import json, sys, {module}\n{then}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout))


def _loaded(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_the_app_imports_no_command() -> None:
    modules = _imported_by("shieldwall.cli.app")
    # Not even the config schema or rich: `--version` and top-level parsing need neither.
    assert _loaded(modules, (*HEAVY, *SCAN_UNUSED, "pydantic", "rich", "shieldwall.scan")) == []
    assert _loaded(modules, ("shieldwall.cli",)) == ["shieldwall.cli", "shieldwall.cli.app",
                                                      "shieldwall.cli.lazy"]  # fmt: skip


def test_the_top_level_help_lists_every_command_without_importing_it() -> None:
    show_help = (
        "from typer.testing import CliRunner\n"
        "result = CliRunner().invoke(shieldwall.cli.app.app, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert all(name in result.output for name in shieldwall.cli.lazy.LAZY_COMMANDS)"
    )
    modules = _imported_by("shieldwall.cli.app", show_help)
    assert _loaded(modules, (*HEAVY, *SCAN_UNUSED, "shieldwall.scan")) == []
    assert _loaded(modules, ("shieldwall.cli",)) == ["shieldwall.cli", "shieldwall.cli.app",
                                                      "shieldwall.cli.lazy"]  # fmt: skip


def test_scan_help_imports_neither_the_config_schema_nor_the_scan() -> None:
    show_help = (
        "from typer.testing import CliRunner\n"
        "result = CliRunner().invoke(shieldwall.cli.app.app, ['scan', '--help'])\n"
        "assert result.exit_code == 0 and '--scanners' in result.output, result.output"
    )
    modules = _imported_by("shieldwall.cli.app", show_help)
    assert "shieldwall.cli.scan" in modules  # the check looks at the right thing
    # (pydantic itself is loaded: typer uses it to coerce parameters.)
    unused = ("shieldwall.core.config", "shieldwall.scan", "shieldwall.plugins")
    assert _loaded(modules, (*HEAVY, *SCAN_UNUSED, *unused)) == []


def test_a_secrets_scan_imports_no_other_stack(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    run_scan = (
        "from typer.testing import CliRunner\n"
        f"args = ['scan', {str(tmp_path)!r}, '-s', 'secrets', '--no-progress', '-f', 'json']\n"
        "result = CliRunner().invoke(shieldwall.cli.app.app, args)\n"
        "assert result.exit_code == 0, result.output"
    )
    modules = _imported_by("shieldwall.cli.app", run_scan)
    assert "shieldwall.analyzers.secrets" in modules  # the check looks at the right thing
    others = (
        "shieldwall.analyzers.deps",
        "shieldwall.analyzers.license",
        "shieldwall.analyzers.sast",
    )
    scan_unused = tuple(m for m in SCAN_UNUSED if m != "shieldwall.analyzers")
    assert _loaded(modules, (*HEAVY, *scan_unused, *others)) == []


def test_lazy_one_command_groups_keep_their_subcommand() -> None:
    runner = CliRunner()
    for group, sub in (("baseline", "create"), ("rules", "list"), ("config", "show")):
        result = runner.invoke(app, [group, "--help"])
        assert result.exit_code == 0, result.output
        assert sub in result.output
        result = runner.invoke(app, [group, sub, "--help"])
        assert result.exit_code == 0, result.output
