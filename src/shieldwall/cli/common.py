"""Options shared by several commands, and the step from CLI values to a loaded config."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from shieldwall.core.config import LoadedConfig

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Config file (default: shieldwall.toml or pyproject.toml "
        "[tool.shieldwall] in the target or a parent, up to the repository root).",
    ),
]
ScannersOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scanners",
        "-s",
        help="Scanners to run, comma-separated or repeated "
        "(default: all). See `shieldwall rules list`.",
    ),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option("--exclude", "-e", help="Gitignore-style pattern of paths to skip (repeatable)."),
]
JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", help="Worker processes (0: one per core).", min=0)
]
MaxSizeOption = Annotated[
    str | None, typer.Option("--max-file-size", help="Skip files larger than this, e.g. 2MB.")
]
OfflineOption = Annotated[
    bool | None, typer.Option("--offline/--online", help="Never touch the network.")
]


NoProgressOption = Annotated[bool, typer.Option("--no-progress", help="Never show a progress bar.")]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No table on stdout when reports go to files.")
]


def deps_warnings(loaded: LoadedConfig) -> tuple[str, ...]:
    """Advisory-index warnings (and auto-update) before a scan that runs the deps scanner.

    The vulndb stack is imported only when that scanner runs: a secrets-only pre-commit hook
    must not pay for it.
    """
    scanners = loaded.config.scanners
    if scanners and "deps" not in scanners:
        return ()
    from shieldwall.cli.db import deps_preflight

    return deps_preflight(loaded)


def split_list(values: list[str] | None) -> tuple[str, ...] | None:
    """``["a,b", "c"]`` -> ``("a", "b", "c")``; None when the option was not given."""
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def load(target: Path, config: Path | None, **cli: Any) -> LoadedConfig:
    """The effective configuration for a command run on ``target``."""
    # Imported here: the options above are all `<command> --help` needs, not pydantic.
    from shieldwall.core.config import load_config

    return load_config(root=target, config_path=config, env=os.environ, cli=cli)
