"""``shieldwall policy check``: the organisation policy against the config and suppressions."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from shieldwall.ci.enforce import check_config, check_inline, regate_report
from shieldwall.ci.orgpolicy import load_policy
from shieldwall.cli.common import ConfigOption, load
from shieldwall.cli.errors import ExitCode, handle_errors, stderr
from shieldwall.core.errors import UsageError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="The organisation policy.")

_DEFAULT_POLICY = ("shieldwall-policy.yaml", ".shieldwall/policy.yaml")
# Where CI systems put the branch being built (pull request source branch first).
_BRANCH_VARS = ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
                "CI_COMMIT_REF_NAME")  # fmt: skip


def _branch(path: Path) -> str:
    for name in _BRANCH_VARS:
        if os.environ.get(name):
            return os.environ[name]
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--abbrev-ref", "HEAD"],
            cwd=path,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "HEAD"
    return out.stdout.strip() or "HEAD"


def _policy_file(path: Path, given: Path | None) -> Path:
    if given is not None:
        return given
    for name in _DEFAULT_POLICY:
        if (path / name).is_file():
            return path / name
    raise UsageError(f"no policy file: pass --policy or add {_DEFAULT_POLICY[0]} to {path}")


@app.callback()
def main() -> None:
    """The organisation policy: one YAML file enforced in CI and in the hub."""


@app.command("check")
@handle_errors
def check(
    path: Annotated[Path, typer.Argument(help="Repository root.")] = Path(),
    policy: Annotated[
        Path | None, typer.Option("--policy", help="Policy YAML (default: shieldwall-policy.yaml).")
    ] = None,
    branch: Annotated[
        str | None, typer.Option("--branch", help="Branch whose threshold applies (default: CI's).")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Also re-gate this JSON report under the policy."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Check config, ignore list and inline suppressions against the organisation policy.

    Exit codes: 0 compliant, 1 violations (or the re-gated report fails), 2 usage error.
    """
    rules = load_policy(_policy_file(path, policy))
    loaded = load(path, config)
    today = datetime.now(UTC).date()
    branch = branch or _branch(path)
    where = str(loaded.path or "defaults")
    violations = check_config(rules, loaded.config, branch, today, where)
    violations += check_inline(rules, path, loaded.config.exclude, today)
    for violation in violations:
        typer.echo(f"{violation.where}: {violation.message}")
    failed = bool(violations)
    if report is not None:
        verdict = regate_report(rules, report, branch, today)
        for item in verdict.not_counted:
            typer.echo(f"{item.where}: suppression does not count: {item.message}")
        typer.echo(
            f"gate ({branch}, fail on {verdict.threshold}): "
            + ("passed" if verdict.passed else f"failed, {verdict.failing} finding(s)")
        )
        failed = failed or not verdict.passed
    if failed:
        stderr.print(
            f"[bold red]policy check failed[/] ({escape(str(len(violations)))} violations)"
        )
        raise typer.Exit(ExitCode.GATE_FAILED)
    typer.echo(f"policy check passed (branch {branch})")
