"""``shieldwall config``: the effective configuration and where each value came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from shieldwall.cli.common import ConfigOption, load
from shieldwall.cli.errors import handle_errors
from shieldwall.core.redaction import MASK

app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)


@app.command("show")
@handle_errors
def show(
    path: Annotated[Path, typer.Argument(help="Directory whose config to show.")] = Path(),
    config: ConfigOption = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Print every option's effective value and its source (default, file, env or cli)."""
    loaded = load(path, config)
    values = loaded.config.model_dump(mode="json")
    if "secret_salt" in values and loaded.sources.get("secret_salt") != "default":
        values["secret_salt"] = MASK  # a salt is a secret of its own
    if output_format == "json":
        document = {
            "file": str(loaded.path) if loaded.path else None,
            "values": values,
            "sources": dict(loaded.sources),
        }
        typer.echo(json.dumps(document, indent=2))
        return
    table = Table("option", "value", "source", title=f"config file: {loaded.path or '(none)'}")
    for name, value in values.items():
        table.add_row(name, json.dumps(value), loaded.sources.get(name, "default"))
    Console().print(table)
