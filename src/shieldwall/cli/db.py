"""``shieldwall db``: download, import and inspect the OSV advisory database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import httpx
import typer

from shieldwall.analyzers.deps.config import DepsConfig
from shieldwall.cli.common import ConfigOption, OfflineOption, load
from shieldwall.cli.errors import handle_errors
from shieldwall.core.config import LoadedConfig
from shieldwall.core.errors import UsageError
from shieldwall.vulndb.cache import default_cache_dir
from shieldwall.vulndb.download import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, OsvClient
from shieldwall.vulndb.freshness import preflight
from shieldwall.vulndb.index import ImportReport
from shieldwall.vulndb.service import (
    import_source,
    parse_ecosystems,
    status,
    status_json,
    update,
)

app = typer.Typer(help="The OSV advisory database used by the deps scanner.", no_args_is_help=True)


def _cache_dir(config: Path | None, offline: bool | None = None) -> tuple[Path, bool]:
    loaded = load(Path.cwd(), config, offline=offline)
    configured = loaded.config.cache_dir
    path = Path(configured).expanduser() if configured else default_cache_dir()
    return path, loaded.config.offline


def _print_report(report: ImportReport, verbose: bool) -> None:
    per = ", ".join(f"{eco} {count}" for eco, count in sorted(report.per_ecosystem.items()))
    typer.echo(
        f"indexed {report.records} advisories ({per}); dropped {report.withdrawn} withdrawn; "
        f"{len(report.problems)} problems"
    )
    for problem in report.problems if verbose else report.problems[:5]:
        typer.echo(f"  warning: {problem}", err=True)
    if not verbose and len(report.problems) > 5:
        typer.echo(f"  ... {len(report.problems) - 5} more (use --verbose)", err=True)


@app.command("update")
@handle_errors
def update_command(
    ecosystem: Annotated[
        list[str] | None,
        typer.Option(
            "--ecosystem",
            "-e",
            help="OSV ecosystem to fetch (repeatable; default all language ecosystems); "
            "distributions such as Debian, Ubuntu, Alpine, 'Rocky Linux' only when named.",
        ),
    ] = None,
    base_url: Annotated[
        str, typer.Option("--base-url", help="Mirror of the OSV bucket.")
    ] = DEFAULT_BASE_URL,
    config: ConfigOption = None,
    offline: OfflineOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every problem.")] = False,
) -> None:
    """Download OSV advisories (only what changed) and rebuild the index."""
    cache_dir, is_offline = _cache_dir(config, offline)
    if is_offline:
        raise UsageError(
            "offline mode never touches the network; use `shieldwall db import PATH` instead"
        )
    ecosystems = parse_ecosystems(ecosystem or [])
    with httpx.Client(timeout=DEFAULT_TIMEOUT, follow_redirects=True) as client:
        result = update(cache_dir, OsvClient(client, base_url), ecosystems)
    for fetched in result.fetched:
        typer.echo(f"{fetched.ecosystem}: {fetched.status}")
    _print_report(result.index, verbose)


@app.command("import")
@handle_errors
def import_command(
    path: Annotated[Path, typer.Argument(help="OSV all.zip, folder, .jsonl or .jsonl.gz.")],
    config: ConfigOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every problem.")] = False,
) -> None:
    """Build the index from a local source (air-gapped); the old index stays if it fails."""
    cache_dir, _ = _cache_dir(config)
    _print_report(import_source(cache_dir, path), verbose)


@app.command("status")
@handle_errors
def status_command(
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Where the index is, where it came from, its age and advisories per ecosystem."""
    cache_dir, _ = _cache_dir(config)
    current = status(cache_dir)
    if as_json:
        typer.echo(status_json(current))
        return
    typer.echo(f"index:  {current.path}")
    typer.echo(f"source: {current.source}")
    built = current.built_at.isoformat() if current.built_at else "unknown"
    age = f" ({current.age_days:.1f} days ago)" if current.age_days is not None else ""
    typer.echo(f"built:  {built}{age}")
    for eco, count in sorted(current.counts.items()):
        typer.echo(f"  {eco:<10} {count:>7} advisories")


def deps_preflight(loaded: LoadedConfig) -> tuple[str, ...]:
    """Warnings about the advisory index before a scan that runs the deps scanner.

    A stale index is refreshed first when ``[analyzers.deps] auto_update`` allows it and the scan
    is not offline; otherwise (or when the refresh fails) the scan warns and uses it as it is.
    """
    scanners = loaded.config.scanners
    if scanners and "deps" not in scanners:
        return ()
    settings = loaded.analyzer_config("deps", DepsConfig)
    assert isinstance(settings, DepsConfig)  # noqa: S101 - the model passed in
    configured = loaded.config.cache_dir
    cache_dir = Path(configured).expanduser() if configured else default_cache_dir()
    return preflight(
        cache_dir,
        max_age_days=settings.max_db_age_days,
        auto_update=settings.auto_update,
        offline=loaded.config.offline,
    )
