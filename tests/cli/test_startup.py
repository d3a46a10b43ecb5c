"""Start-up cost: ``shieldwall --version`` and ``scan`` import only what they run.

Each check imports in a fresh interpreter and looks at ``sys.modules``, so that an eager import
added anywhere on the path (a command module, a package ``__init__``) fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys

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


def test_the_scan_command_imports_no_other_stack() -> None:
    modules = _imported_by("shieldwall.cli.scan")
    assert "shieldwall.scan.pipeline" in modules  # the check looks at the right thing
    assert _loaded(modules, (*HEAVY, *SCAN_UNUSED)) == []


def test_lazy_one_command_groups_keep_their_subcommand() -> None:
    runner = CliRunner()
    for group, sub in (("baseline", "create"), ("rules", "list"), ("config", "show")):
        result = runner.invoke(app, [group, "--help"])
        assert result.exit_code == 0, result.output
        assert sub in result.output
        result = runner.invoke(app, [group, sub, "--help"])
        assert result.exit_code == 0, result.output
