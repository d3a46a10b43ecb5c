"""``shieldwall scan``: scan a target, apply the policy, write reports, exit by the gate."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from shieldwall.cli.common import (
    ConfigOption,
    ExcludeOption,
    JobsOption,
    MaxSizeOption,
    NoProgressOption,
    OfflineOption,
    QuietOption,
    ScannersOption,
    deps_warnings,
    load,
    split_list,
)
from shieldwall.cli.errors import ExitCode, handle_errors, stderr
from shieldwall.core.errors import UsageError

if TYPE_CHECKING:
    from shieldwall.ci.scangate import PolicyGate
    from shieldwall.core.config import LoadedConfig
    from shieldwall.scan.pipeline import ScanOutcome, ScanRequest

# The scan machinery is imported in the functions that run it: `scan --help` (the signature
# above) needs only typer and the shared options.


@handle_errors
def scan(
    path: Annotated[Path, typer.Argument(help="Directory or file to scan.")] = Path(),
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="Report format (repeatable): table, json, sarif, "
            "junit, markdown, html. Pairs with -o by position.",
        ),
    ] = None,
    outputs: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            help="Report file (repeatable); '-' is not needed: a format without -o goes to stdout.",
        ),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="Lowest severity that fails the gate: critical, high "
            "(default), medium, low, info or none.",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only findings introduced since this git ref."),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Baseline file of accepted findings.")
    ] = None,
    scanners: ScannersOption = None,
    exclude: ExcludeOption = None,
    config: ConfigOption = None,
    jobs: JobsOption = None,
    max_file_size: MaxSizeOption = None,
    offline: OfflineOption = None,
    no_progress: NoProgressOption = False,
    quiet: QuietOption = False,
    git_history: Annotated[
        bool,
        typer.Option(
            "--git-history",
            help="Scan the lines every commit added (all branches; "
            "with --since REF only commits after REF).",
        ),
    ] = False,
    max_commits: Annotated[
        int | None,
        typer.Option("--max-commits", help="With --git-history: only the newest N commits.", min=1),
    ] = None,
    staged: Annotated[
        bool, typer.Option("--staged", help="Scan exactly what is staged (for pre-commit hooks).")
    ] = False,
    vex: Annotated[
        Path | None,
        typer.Option(
            "--vex", help="CycloneDX VEX file: not_affected statements suppress findings."
        ),
    ] = None,
    upload: Annotated[
        bool, typer.Option("--upload", help="Upload the result to the hub (needs --project).")
    ] = False,
    project: Annotated[str | None, typer.Option("--project", help="Hub project.")] = None,
    branch: Annotated[
        str | None,
        typer.Option(
            "--branch",
            help="Branch the scan is for: the policy's threshold and the hub "
            "(default: CI's branch variable, then git's, then main).",
        ),
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            help="Organisation policy YAML (default: shieldwall-policy.yaml or "
            ".shieldwall/policy.yaml at the scan root).",
        ),
    ] = None,
    commit: Annotated[str | None, typer.Option("--commit", help="Commit the scan is for.")] = None,
    hub_url: Annotated[
        str | None, typer.Option("--url", help="Hub URL (default: SHIELDWALL_HUB_URL).")
    ] = None,
    token: Annotated[
        str | None, typer.Option("--token", help="Hub API token (default: SHIELDWALL_TOKEN).")
    ] = None,
) -> None:
    """Scan a directory or file and exit with the gate's verdict.

    Exit codes: 0 gate passed, 1 gate failed, 2 usage or config error, 3 scan error.
    """
    from shieldwall.ci.branch import detect_branch
    from shieldwall.ci.scangate import with_policy_licenses
    from shieldwall.cli.outputs import report_targets, write_outputs
    from shieldwall.cli.progress import RichProgress
    from shieldwall.plugins import default_registry
    from shieldwall.scan.pipeline import scan_with_policy

    loaded = load(
        path,
        config,
        fail_on=fail_on,
        scanners=split_list(scanners),
        exclude=split_list(exclude),
        jobs=jobs,
        max_file_size=max_file_size,
        baseline=str(baseline) if baseline else None,
        offline=offline,
        progress=False if no_progress else None,
        policy=str(policy) if policy else None,
    )
    registry = default_registry()
    branch = branch or detect_branch(path) or "main"
    targets = report_targets(formats or [], outputs or [], quiet=quiet)
    if upload and not project:
        raise UsageError("--upload needs --project NAME")
    gate = policy_gate(path, loaded, branch)
    if gate is not None:
        loaded = with_policy_licenses(loaded, gate.policy)
    request = build_request(path, loaded, since, git_history, max_commits, staged, vex)
    request = dataclasses.replace(request, org_policy=gate)
    with RichProgress(stderr, enabled=loaded.config.progress) as progress:
        outcome = scan_with_policy(request, registry, progress)
    write_outputs(outcome.result, targets, registry)
    if upload and project:
        from shieldwall.cli.hub import upload_scan_result

        summary = upload_scan_result(
            outcome.result, project=project, branch=branch, commit=commit, url=hub_url, token=token
        )
        stderr.print(summary)
    raise typer.Exit(report_verdict(outcome))


def build_request(
    path: Path,
    loaded: LoadedConfig,
    since: str | None,
    git_history: bool,
    max_commits: int | None,
    staged: bool,
    vex: Path | None,
) -> ScanRequest:
    """The scan request for the chosen mode: work tree, commit history or staged changes."""
    from shieldwall.scan.pipeline import ScanRequest
    from shieldwall.target.git import toplevel
    from shieldwall.target.git_history import (
        check_repository,
        history_warnings,
        iter_history,
        iter_staged,
    )

    if git_history and staged:
        raise UsageError("--git-history and --staged cannot be combined")
    if max_commits is not None and not git_history:
        raise UsageError("--max-commits needs --git-history")
    warnings = deps_warnings(loaded)
    if git_history or staged:
        # A bare repository has history but no work tree: it is its own root.
        repo = path if check_repository(path).bare else toplevel(path)
        files = (
            iter_history(repo, since=since, max_commits=max_commits)
            if git_history
            else iter_staged(repo)
        )
        if git_history:
            warnings += history_warnings(repo)
        return ScanRequest(
            target=repo,
            loaded=loaded,
            files=files,
            root=repo,
            history=git_history,
            vex=vex,
            warnings=warnings,
        )
    return ScanRequest(target=path, loaded=loaded, since=since, vex=vex, warnings=warnings)


def policy_gate(path: Path, loaded: LoadedConfig, branch: str) -> PolicyGate | None:
    """The organisation policy the scan enforces: the configured file, else the repository's."""
    from shieldwall.ci.scangate import PolicyGate, find_policy_file

    configured = loaded.config.policy
    file = loaded.path_option("policy", configured) if configured else find_policy_file(path)
    if file is None:
        return None
    if not file.is_file():
        raise UsageError(f"policy file {file} does not exist ({loaded.sources.get('policy')})")
    return PolicyGate.load(file, branch)


def report_verdict(outcome: ScanOutcome) -> ExitCode:
    """Print warnings, per-file errors and the verdict on stderr; return the exit code."""
    result = outcome.result
    for warning in result.warnings:
        stderr.print(f"[yellow]warning:[/] {escape(warning)}")
    for error in result.errors[:20]:
        where = f"{error.analyzer}: " if error.analyzer else ""
        stderr.print(f"[yellow]warning:[/] {escape(error.path)}: {escape(where + error.message)}")
    if len(result.errors) > 20:
        stderr.print(f"[yellow]warning:[/] … and {len(result.errors) - 20} more files with errors")
    style = "green" if outcome.gate.passed else "bold red"
    stderr.print(f"[{style}]{escape(outcome.gate.summary)}[/]")
    return ExitCode.OK if outcome.gate.passed else ExitCode.GATE_FAILED
