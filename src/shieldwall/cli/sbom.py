"""``shieldwall sbom PATH --format cyclonedx|spdx -o FILE``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from shieldwall.cli.common import ConfigOption, load
from shieldwall.cli.errors import handle_errors, stderr
from shieldwall.core.errors import ReportError
from shieldwall.sbom import SbomFormat, build_inventory, to_cyclonedx, to_spdx


@handle_errors
def sbom(
    path: Annotated[Path, typer.Argument(help="Directory or lockfile to inventory.")] = Path(),
    output_format: Annotated[
        SbomFormat,
        typer.Option("--format", "-f", help="cyclonedx (1.6 JSON), spdx or spdx-json (2.3 JSON)."),
    ] = SbomFormat.CYCLONEDX,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Write a software bill of materials of every lockfile under PATH."""
    from shieldwall.image.registry.reference import looks_like_reference
    from shieldwall.image.target import is_image_path

    # docker-save or OCI tarball, OCI layout directory, or a registry reference to pull
    if is_image_path(path) or (not path.exists() and looks_like_reference(str(path))):
        from shieldwall.cli.image import write_image_sbom

        return write_image_sbom(path, output_format, output)
    loaded = load(path if path.is_dir() else path.parent, config)
    inventory = build_inventory(path, loaded.config.exclude)
    for error in inventory.errors:
        stderr.print(f"[yellow]warning:[/] {error.path}: {error.message}")
    text = to_cyclonedx(inventory) if output_format is SbomFormat.CYCLONEDX else to_spdx(inventory)
    if output is None:
        sys.stdout.write(text + "\n")
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{output}: cannot write the SBOM ({exc.strerror})") from exc
    stderr.print(f"wrote {len(inventory.components)} components to {output}")
