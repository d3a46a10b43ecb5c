"""``shieldwall hub ...``: run the hub server and workers, administer it, upload reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shieldwall.cli.errors import handle_errors
from shieldwall.hub.enums import Role, TokenScope

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from shieldwall.core.result import ScanResult
    from shieldwall.hub.settings import HubSettings

app = typer.Typer(
    help="The vulnerability hub: server, worker, admin and uploads.", no_args_is_help=True
)
admin = typer.Typer(
    help="Administer users, projects and tokens (acts on the database directly).",
    no_args_is_help=True,
)
audit = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(admin, name="admin")
app.add_typer(audit, name="audit")


def _settings() -> HubSettings:
    # Imported here so that `shieldwall --help` does not load the web stack.
    from shieldwall.hub.settings import HubSettings

    return HubSettings()


def _sessions() -> sessionmaker[Session]:
    from shieldwall.hub.db.engine import make_engine, make_session_factory
    from shieldwall.hub.db.migrate import upgrade

    engine = make_engine(_settings().database_url)
    upgrade(engine)
    return make_session_factory(engine)


@app.command()
@handle_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8700).")] = None,
) -> None:
    """Run the hub API (SQLite and in-process jobs unless configured otherwise)."""
    import uvicorn

    from shieldwall.hub.app import create_app

    settings = _settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        proxy_headers=False,
        server_header=False,
    )


@app.command("migrate")
@handle_errors
def migrate() -> None:
    """Apply database migrations (also done when the server starts)."""
    from shieldwall.hub.db.engine import make_engine
    from shieldwall.hub.db.migrate import upgrade

    upgrade(make_engine(_settings().database_url))
    typer.echo("database is up to date")


@app.command()
@handle_errors
def worker(
    concurrency: Annotated[int, typer.Option(help="Worker processes.")] = 2,
    beat: Annotated[bool, typer.Option(help="Also schedule hourly maintenance.")] = False,
) -> None:
    """Run a Celery worker for imports and maintenance (needs SHIELDWALL_BROKER_URL)."""
    from shieldwall.core.errors import UsageError
    from shieldwall.hub.jobs.celery_app import make_celery

    settings = _settings()
    if not settings.broker_url:
        raise UsageError("set SHIELDWALL_BROKER_URL (e.g. redis://127.0.0.1:6379/0)")
    argv = ["worker", f"--concurrency={concurrency}", "--loglevel=INFO"]
    make_celery(settings).worker_main([*argv, "-B"] if beat else argv)


@app.command()
@handle_errors
def maintenance() -> None:
    """Expire risk acceptances, recompute SLA due dates, record today's metrics, then send the
    clock notifications (SLA breaches, expiring acceptances) and poll exported tickets."""
    from shieldwall.hub.jobs.followups import run_periodic

    result = run_periodic(_sessions(), _settings())
    typer.echo(
        f"expired acceptances: {result['expired']}; SLA recomputed: {result['sla_recomputed']};"
        f" notifications: {result['notifications']};"
        f" tickets closed in trackers: {result['tickets_closed_remotely']}"
    )


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@admin.command("create-user")
@handle_errors
def create_user(
    username: str,
    role: Annotated[Role | None, typer.Option(help="A global role on every project.")] = None,
    password_stdin: Annotated[bool, typer.Option(help="Read the password from stdin.")] = False,
    no_password: Annotated[bool, typer.Option(help="A robot account (tokens only).")] = False,
) -> None:
    """Create a user; the password is prompted for (or read from stdin)."""
    from shieldwall.hub.auth.service import create_user as create
    from shieldwall.hub.db.engine import transaction

    password = None if no_password else _read_password(password_stdin)
    with transaction(_sessions()) as session:
        create(session, username, password, role, actor="cli")
    typer.echo(f"created user {username}")


@admin.command("create-project")
@handle_errors
def create_project(
    name: str, description: Annotated[str, typer.Option(help="What it is.")] = ""
) -> None:
    """Create a project."""
    from shieldwall.hub.db.engine import transaction
    from shieldwall.hub.projects.service import create_project as create

    with transaction(_sessions()) as session:
        create(session, name, description, actor="cli")
    typer.echo(f"created project {name}")


@admin.command("add-member")
@handle_errors
def add_member(
    project: str, username: str, role: Annotated[Role, typer.Option(help="Role on the project.")]
) -> None:
    """Give a user a role on a project."""
    from sqlalchemy import select

    from shieldwall.hub.db.engine import transaction
    from shieldwall.hub.db.models import Project
    from shieldwall.hub.errors import NotFoundError
    from shieldwall.hub.projects.service import set_member

    with transaction(_sessions()) as session:
        row = session.scalar(select(Project).where(Project.name == project))
        if row is None:
            raise NotFoundError(f"no project {project!r}")
        set_member(session, row, username, role, actor="cli")
    typer.echo(f"{username} is {role.value} on {project}")


@admin.command("create-token")
@handle_errors
def create_token(
    user: Annotated[str, typer.Option(help="Owner of the token.")],
    scope: Annotated[TokenScope, typer.Option(help="What the token may do.")],
    project: Annotated[str | None, typer.Option(help="Limit the token to one project.")] = None,
    name: Annotated[str, typer.Option(help="A label for the token.")] = "cli",
    expires_days: Annotated[int, typer.Option(help="Days until it expires (0: never).")] = 90,
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    from shieldwall.hub.auth.service import create_token as create
    from shieldwall.hub.auth.service import user_by_name
    from shieldwall.hub.db.engine import transaction

    with transaction(_sessions()) as session:
        issued = create(
            session,
            user=user_by_name(session, user),
            name=name,
            scope=scope,
            project=project,
            expires_days=expires_days or None,
            actor="cli",
        )
    typer.echo(issued.token)


@admin.command("revoke-token")
@handle_errors
def revoke_token(token_id: int) -> None:
    """Revoke a token by id."""
    from shieldwall.hub.auth.service import revoke_token as revoke
    from shieldwall.hub.db.engine import transaction

    with transaction(_sessions()) as session:
        revoke(session, token_id, actor="cli")
    typer.echo(f"revoked token {token_id}")


@audit.callback()
def audit_group() -> None:
    """The hash-chained audit log (a group even with one command: `shieldwall audit verify`)."""


@audit.command("verify")
@handle_errors
def verify() -> None:
    """Check the audit log's hash chain; exit 1 if it was tampered with."""
    from shieldwall.hub.audit.service import verify as check

    with _sessions()() as session:
        result = check(session)
    if result.ok:
        typer.echo(f"audit log intact: {result.checked} events")
        return
    where = f" at event {result.first_bad_id}" if result.first_bad_id else ""
    typer.echo(f"audit log TAMPERED{where}: {result.reason} ({result.checked} good)", err=True)
    raise typer.Exit(1)


def upload_scan_result(
    result: ScanResult,
    *,
    project: str,
    branch: str,
    commit: str | None,
    url: str | None,
    token: str | None,
) -> str:
    """Upload a scan result as a shieldwall JSON report; the summary line of the hub's answer."""
    import io

    from shieldwall.core.errors import UsageError
    from shieldwall.hub.client import HubClient
    from shieldwall.hub.settings import ClientSettings
    from shieldwall.report import JsonReporter

    settings = ClientSettings()
    token = token or settings.token
    if not token:
        raise UsageError("--upload needs --token or SHIELDWALL_TOKEN")
    buffer = io.StringIO()
    JsonReporter().write(result, buffer)
    with HubClient(url or settings.hub_url, token, timeout=settings.timeout_seconds) as client:
        answer = client.upload(
            buffer.getvalue().encode(),
            project=project,
            branch=branch,
            fmt="shieldwall-json",
            commit=commit,
        )
    state = "already imported" if answer.duplicate else "uploaded"
    return (
        f"{state} as scan {answer.scan_id}: {answer.total} findings, {answer.new} new, "
        f"{answer.reopened} reopened, {answer.fixed} fixed"
    )


@app.command()
@handle_errors
def upload(
    report: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    project: Annotated[str, typer.Option(help="Project name on the hub.")],
    branch: Annotated[str, typer.Option(help="Branch the report is for.")] = "main",
    fmt: Annotated[str, typer.Option("--format", help="Report format (default: detect).")] = "auto",
    commit: Annotated[str | None, typer.Option(help="Commit the report is for.")] = None,
    partial: Annotated[
        bool, typer.Option(help="The report is not a complete scan: close nothing.")
    ] = False,
    url: Annotated[str | None, typer.Option(help="Hub URL (SHIELDWALL_HUB_URL).")] = None,
    token: Annotated[str | None, typer.Option(help="API token (SHIELDWALL_TOKEN).")] = None,
) -> None:
    """Upload a report (shieldwall JSON, SARIF, Trivy, Semgrep, ...) to the hub."""
    from shieldwall.core.errors import UsageError
    from shieldwall.hub.client import HubClient
    from shieldwall.hub.settings import ClientSettings

    settings = ClientSettings()
    token = token or settings.token
    if not token:
        raise UsageError("give --token or set SHIELDWALL_TOKEN")
    with HubClient(url or settings.hub_url, token, timeout=settings.timeout_seconds) as client:
        result = client.upload(
            report.read_bytes(),
            project=project,
            branch=branch,
            fmt=fmt,
            commit=commit,
            complete=not partial,
        )
    state = "already imported" if result.duplicate else "imported"
    typer.echo(
        f"{state} as scan {result.scan_id} ({result.format}): {result.total} findings, "
        f"{result.new} new, {result.reopened} reopened, {result.fixed} fixed"
    )
