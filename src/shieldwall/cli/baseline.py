"""``shieldwall baseline``: record today's findings so that only new ones block."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shieldwall.cli.common import ConfigOption, ExcludeOption, ScannersOption, load, split_list
from shieldwall.cli.errors import handle_errors, stderr
from shieldwall.plugins import default_registry
from shieldwall.policy.baseline import write_baseline
from shieldwall.scan.pipeline import ScanRequest, scan_with_policy

app = typer.Typer(help="Create baselines of accepted findings.", no_args_is_help=True)


@app.command("create")
@handle_errors
def create(
    path: Annotated[Path, typer.Argument(help="Directory or file to scan.")] = Path(),
    output: Annotated[Path, typer.Option("--output", "-o", help="Baseline file to write.")] = Path(
        ".shieldwall-baseline.json"
    ),
    scanners: ScannersOption = None,
    exclude: ExcludeOption = None,
    config: ConfigOption = None,
) -> None:
    """Scan and write every unsuppressed finding to a baseline file."""
    loaded = load(path, config, scanners=split_list(scanners), exclude=split_list(exclude))
    request = ScanRequest(target=path, loaded=loaded, use_baseline=False)
    outcome = scan_with_policy(request, default_registry())
    count = write_baseline(outcome.result.active, output)
    stderr.print(f"wrote {count} findings to {output}")
