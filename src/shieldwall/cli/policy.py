"""``shieldwall policy check``: the organisation policy against the config and suppressions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from shieldwall.ci.branch import detect_branch
from shieldwall.ci.enforce import check_config, check_inline, regate_report
from shieldwall.ci.orgpolicy import load_policy
from shieldwall.ci.scangate import DEFAULT_POLICY_FILES, find_policy_file
from shieldwall.cli.common import ConfigOption, load
from shieldwall.cli.errors import ExitCode, handle_errors, stderr
from shieldwall.core.errors import UsageError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="The organisation policy.")


def _policy_file(path: Path, given: Path | None) -> Path:
    found = given or find_policy_file(path)
    if found is None:
        raise UsageError(
            f"no policy file: pass --policy or add {DEFAULT_POLICY_FILES[0]} to {path}"
        )
    return found


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
    branch = branch or detect_branch(path) or "HEAD"
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
