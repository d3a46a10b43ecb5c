"""The ``shieldwall`` command: one Typer app, one module per command group."""

from __future__ import annotations

from typing import Annotated

import typer

from shieldwall import __version__
from shieldwall.cli.lazy import LazyGroup

app = typer.Typer(
    name="shieldwall",
    cls=LazyGroup,
    help="One DevSecOps platform: scan code, secrets, dependencies and infrastructure; gate CI.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"shieldwall {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """shieldwall: security checks for every commit."""


# Every command is imported on first use (see cli/lazy.py): `--version` and `<cmd> --help` pay
# only for what they run.


def main() -> None:
    """Entry point of the console script."""
    app()
