"""``shieldwall ci``: write pipeline files, comment on pull/merge requests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from shieldwall.ci.comment import MARKER, diff_findings, remembered, render_comment
from shieldwall.ci.forge import Forge, ForgeError, ForgeTarget, make_client, upsert_comment
from shieldwall.ci.report import load_report_findings
from shieldwall.ci.templates import CiPlatform, TemplateOptions, render_pipeline
from shieldwall.cli.errors import handle_errors, stderr
from shieldwall.core.errors import UsageError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Security in the pipeline.")


@app.command("init")
@handle_errors
def init(
    platform: Annotated[CiPlatform, typer.Argument(help="github, gitlab or pre-commit.")],
    directory: Annotated[Path, typer.Option("--dir", help="Repository root.")] = Path(),
    project: Annotated[
        str | None, typer.Option("--project", help="Project name on the hub (default: dir name).")
    ] = None,
    app_image: Annotated[
        str | None,
        typer.Option("--app-image", help="Container image of the app for the DAST job."),
    ] = None,
    app_port: Annotated[int, typer.Option("--app-port", min=1, max=65535)] = 8000,
    baseline: Annotated[
        str, typer.Option("--baseline", help="Baseline file used on pull requests.")
    ] = ".shieldwall-baseline.json",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    local: Annotated[
        bool,
        typer.Option("--local", help="pre-commit: run the installed shieldwall (repo: local)."),
    ] = False,
) -> None:
    """Write the pipeline: scans, SARIF upload, PR comment, DAST job, hub upload."""
    name = project or directory.resolve().name
    options = TemplateOptions(
        project=name, app_image=app_image, app_port=app_port, baseline=baseline, local_hook=local
    )
    generated = render_pipeline(platform, options)
    target = directory / generated.path
    if target.exists() and not force:
        raise UsageError(f"{target} exists; pass --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(generated.text, encoding="utf-8")
    typer.echo(f"wrote {target}")


def _github_number(event_path: Path | None) -> int:
    if event_path is None:
        raise UsageError("no pull request number: pass --pr or run inside a pull_request event")
    try:
        event = json.loads(event_path.read_text(encoding="utf-8"))
        return int(event["pull_request"]["number"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{event_path}: not a pull_request event; pass --pr") from exc


def _target(
    github: bool,
    gitlab: bool,
    *,
    number: int | None,
    project: str | None,
    api_url: str | None,
    token: str | None,
    event_path: Path | None,
) -> ForgeTarget:
    if github == gitlab:
        raise UsageError("pass exactly one of --github or --gitlab")
    forge = Forge.GITHUB if github else Forge.GITLAB
    if not project:
        raise UsageError("no repository: pass --project (GITHUB_REPOSITORY / CI_PROJECT_ID)")
    if not token:
        raise UsageError("no API token: set GITHUB_TOKEN or GITLAB_TOKEN, or pass --token")
    if number is None:
        number = _github_number(event_path) if github else None
    if number is None:
        raise UsageError("no merge request: pass --pr (CI_MERGE_REQUEST_IID)")
    default_api = "https://api.github.com" if github else "https://gitlab.com/api/v4"
    return ForgeTarget(forge, (api_url or default_api).rstrip("/"), project, number, token)


@app.command("comment")
@handle_errors
def comment(
    report: Annotated[
        Path, typer.Option("--report", help="shieldwall JSON report (scan --format json).")
    ],
    github: Annotated[bool, typer.Option("--github", help="Comment on a GitHub pull request.")] = (
        False
    ),
    gitlab: Annotated[bool, typer.Option("--gitlab", help="Comment on a GitLab merge request.")] = (
        False
    ),
    pr: Annotated[
        int | None,
        typer.Option("--pr", envvar="CI_MERGE_REQUEST_IID", help="Pull/merge request number."),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option(
            "--project", envvar=["GITHUB_REPOSITORY", "CI_PROJECT_ID"], help="owner/repo or id."
        ),
    ] = None,
    api_url: Annotated[
        str | None,
        typer.Option("--api-url", envvar=["GITHUB_API_URL", "CI_API_V4_URL"], help="API root."),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option("--token", envvar=["GITHUB_TOKEN", "GITLAB_TOKEN"], show_default=False),
    ] = None,
    event_path: Annotated[
        Path | None, typer.Option("--event-path", envvar="GITHUB_EVENT_PATH", hidden=True)
    ] = None,
) -> None:
    """Post or update the one summary comment (new, fixed, still open, suppressed).

    A forge that is down or rate-limits skips the comment with a warning: the gate decides CI.
    """
    findings = load_report_findings(report)
    target = _target(
        github,
        gitlab,
        number=pr,
        project=project,
        api_url=api_url,
        token=token,
        event_path=event_path,
    )

    def render(previous: str) -> str:
        return render_comment(diff_findings(findings, remembered(previous)))

    try:
        with make_client(target) as client:
            outcome = upsert_comment(client, target, MARKER, render)
    except ForgeError as exc:
        stderr.print(f"[yellow]warning:[/] comment skipped: {escape(str(exc))}")
        return
    typer.echo(f"comment {outcome.value} on {target.forge} #{target.number}")
