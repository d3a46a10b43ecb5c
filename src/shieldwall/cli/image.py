"""``shieldwall image``: scan a container image (docker-save, OCI layout, rootfs, registry)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shieldwall.cli.common import (
    ConfigOption,
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
from shieldwall.cli.errors import handle_errors, stderr
from shieldwall.cli.outputs import report_targets, write_outputs
from shieldwall.cli.progress import RichProgress
from shieldwall.cli.scan import report_verdict
from shieldwall.core.registry import Registry, build_registry
from shieldwall.policy.gate import evaluate_gate
from shieldwall.scan.pipeline import ScanOutcome, ScanRequest, scan_with_policy

if TYPE_CHECKING:
    from shieldwall.image.registry.pull import PullOptions

app = typer.Typer(add_completion=False)

# Without --scanners (or a config list): SAST and IaC gather whole projects and directories in
# memory, which for an image's thousands of library sources costs much and finds third-party code.
# image-vulns matches the OS packages and the packages inside archives and binaries; it rides
# along whenever deps is selected.
IMAGE_SCANNERS = ("secrets", "deps", "image-vulns", "image")


@app.command()
@handle_errors
def image(
    target: Annotated[
        str,
        typer.Argument(
            help="docker-save tarball, OCI image layout (dir or tar), rootfs dir, or a "
            "registry reference (registry/repo:tag or registry/repo@sha256:...) to pull."
        ),
    ],
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="Report format (repeatable); pairs with -o."),
    ] = None,
    outputs: Annotated[
        list[Path] | None, typer.Option("--output", "-o", help="Report file (repeatable).")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", help="Lowest severity that fails the gate (default high)."),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Baseline file of accepted findings.")
    ] = None,
    platform: Annotated[
        str,
        typer.Option(
            "--platform", help="os/arch (optionally /variant) to pick from a multi-arch index."
        ),
    ] = "linux/amd64",
    max_layer_size: Annotated[
        int,
        typer.Option("--max-layer-size", help="Decompressed bytes one layer may reach.", min=1),
    ] = 8 << 30,
    username: Annotated[
        str | None,
        typer.Option("--username", help="Registry user (else SHIELDWALL_REGISTRY_USERNAME)."),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the registry password or token from stdin."),
    ] = False,
    plain_http: Annotated[
        bool,
        typer.Option("--plain-http", help="Reach the registry over HTTP, without TLS."),
    ] = False,
    insecure: Annotated[
        bool,
        typer.Option("--insecure", help="Do not verify the registry's TLS certificate."),
    ] = False,
    scanners: ScannersOption = None,
    config: ConfigOption = None,
    jobs: JobsOption = None,
    max_file_size: MaxSizeOption = None,
    offline: OfflineOption = None,
    no_progress: NoProgressOption = False,
    quiet: QuietOption = False,
) -> None:
    """Scan a container image layer by layer and exit with the gate's verdict.

    Exit codes: 0 gate passed, 1 gate failed, 2 usage or config error, 3 scan error.
    """
    from shieldwall.image.registry.reference import looks_like_reference
    from shieldwall.image.squash import ViewLimits
    from shieldwall.image.target import attribute, open_image

    options = {
        "fail_on": fail_on,
        "jobs": jobs,
        "max_file_size": max_file_size,
        "baseline": str(baseline) if baseline else None,
        "offline": offline,
        "progress": False if no_progress else None,
    }
    selected = split_list(scanners)
    if selected and "deps" in selected and "image-vulns" not in selected:
        selected = (*selected, "image-vulns")
    loaded = load(Path(), config, scanners=selected, **options)
    if not loaded.config.scanners:
        loaded = load(Path(), config, scanners=list(IMAGE_SCANNERS), **options)
    limits = ViewLimits(max_file_size=loaded.config.max_file_size, max_layer_size=max_layer_size)
    pull = _pull_options(
        target,
        loaded.config.cache_dir,
        username=username,
        password_stdin=password_stdin,
        plain_http=plain_http,
        insecure=insecure,
        max_blob_size=max_layer_size,
        offline=loaded.config.offline,
    )
    if not quiet and not Path(target).exists() and looks_like_reference(target):
        stderr.print(f"pulling {target} ({platform})")  # layers download before the scan starts
    opened = open_image(target, platform=platform, limits=limits, pull=pull)
    registry = image_registry()
    targets = report_targets(formats or [], outputs or [], quiet=quiet)
    warnings = deps_warnings(loaded)
    path = Path(target)
    request = ScanRequest(
        target=path,
        loaded=loaded,
        files=opened.files(),
        # Inline suppressions are read from disk under the root: for a tarball there is none.
        root=path if path.is_dir() else path.with_name(path.name + ".d"),
        warnings=warnings,
    )
    with opened.image, RichProgress(stderr, enabled=loaded.config.progress) as progress:
        outcome = scan_with_policy(request, registry, progress)
    result = attribute(outcome.result, opened.index)
    result = dataclasses.replace(result, warnings=result.warnings + opened.warnings())
    # The gate is evaluated again: attribution drops the duplicates on the synthetic document.
    outcome = ScanOutcome(result=result, gate=evaluate_gate(result, loaded.config.fail_on))
    write_outputs(outcome.result, targets, registry)
    raise typer.Exit(report_verdict(outcome))


def _pull_options(
    target: str,
    cache_dir: str | None,
    *,
    username: str | None,
    password_stdin: bool,
    plain_http: bool,
    insecure: bool,
    max_blob_size: int,
    offline: bool,
) -> PullOptions:
    """How to pull a registry reference; under --offline, only a cached digest can be."""
    import os
    import sys

    from shieldwall.core.config.load import default_cache_dir
    from shieldwall.core.errors import UsageError
    from shieldwall.image.registry.pull import PullOptions
    from shieldwall.image.registry.reference import looks_like_reference

    reference = not Path(target).exists() and looks_like_reference(target)
    # A tag may have moved since the last pull: only a digest can be served from the cache.
    if offline and reference and "@" not in target:
        raise UsageError(
            f"{target}: a tag needs the registry; drop --offline, or give the image by "
            "digest (…@sha256:…) once it has been pulled"
        )
    password = None
    if password_stdin:
        if sys.stdin.isatty():
            raise UsageError("--password-stdin: pipe the password in (echo ... | shieldwall ...)")
        password = sys.stdin.readline().rstrip("\r\n")
    root = Path(cache_dir).expanduser() if cache_dir else default_cache_dir(os.environ)
    return PullOptions(
        cache_dir=root,
        environ=os.environ,
        username=username,
        password=password,
        plain_http=plain_http,
        insecure=insecure,
        max_blob_size=max_blob_size,
        offline=offline,
    )


def image_registry() -> Registry:
    """The default plugins plus the image analyzer."""
    from shieldwall.image.analyzer import ImageAnalyzer
    from shieldwall.image.vulns import ImageVulnAnalyzer
    from shieldwall.plugins import BUILTIN_ANALYZERS, builtin_importers, builtin_reporters

    return build_registry(
        analyzers=(*BUILTIN_ANALYZERS, ImageAnalyzer(), ImageVulnAnalyzer()),
        reporters=builtin_reporters(),
        importers=builtin_importers,
    )


def write_image_sbom(target: Path, output_format: str, output: Path | None) -> None:
    """``shieldwall sbom IMAGE``: the image's CycloneDX or SPDX document to ``output`` or stdout."""
    import sys

    from shieldwall.core.errors import ReportError, UsageError
    from shieldwall.image.sbom import image_sbom, image_spdx
    from shieldwall.image.target import open_image

    if output_format not in {"cyclonedx", "spdx", "spdx-json"}:
        raise UsageError(f"unknown SBOM format {output_format!r}: cyclonedx, spdx or spdx-json")
    loaded = load(Path(), None)
    pull = _pull_options(
        str(target),
        loaded.config.cache_dir,
        username=None,
        password_stdin=False,
        plain_http=False,
        insecure=False,
        max_blob_size=8 << 30,
        offline=loaded.config.offline,
    )
    opened = open_image(str(target), pull=pull)  # credentials from the environment or docker
    with opened.image:
        text, warnings = image_sbom(opened) if output_format == "cyclonedx" else image_spdx(opened)
    for warning in warnings:
        stderr.print(f"[yellow]warning:[/] {warning}")
    if output is None:
        sys.stdout.write(text + "\n")
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{output}: cannot write the SBOM ({exc.strerror})") from exc
    stderr.print(f"wrote the image SBOM to {output}")
