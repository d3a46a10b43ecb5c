"""From what the user typed to the image's file stream, and back from findings to layers."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from shieldwall.core.errors import UsageError
from shieldwall.core.file import File
from shieldwall.core.finding import Finding
from shieldwall.core.frozen import freeze
from shieldwall.core.result import ScanResult
from shieldwall.image.entry import ImageEntry, Notes
from shieldwall.image.model import Image
from shieldwall.image.pkgdoc import PACKAGES_JSON
from shieldwall.image.readers import DEFAULT_PLATFORM, open_layout
from shieldwall.image.rootfs import iter_rootfs, looks_like_rootfs, rootfs_image
from shieldwall.image.squash import ViewLimits, iter_entries
from shieldwall.image.virtual import IMAGE_JSON, FileIndex, image_files
from shieldwall.vulndb.distros import ecosystems_for

if TYPE_CHECKING:
    from shieldwall.image.registry.pull import PullOptions


@dataclass(slots=True)
class ImageScan:
    """An opened image target: its files for the engine, and what was learnt reading them."""

    image: Image
    rootfs: Path | None
    limits: ViewLimits
    notes: Notes = field(default_factory=Notes)
    index: FileIndex = field(default_factory=FileIndex)

    def entries(self) -> Iterator[ImageEntry]:
        """The filesystem view: every member of every layer, last layer first."""
        if self.rootfs is not None:
            return iter_rootfs(self.rootfs, self.limits, self.notes)
        return iter_entries(self.image, self.limits, self.notes)

    def files(self) -> Iterator[File]:
        """The files handed to the analyzers (read lazily, layer by layer)."""
        return image_files(self.image, self.entries(), self.index)

    def warnings(self) -> tuple[str, ...]:
        """Problems met while reading the layers, for the scan result."""
        out = list(self.notes.summary())
        inventory = self.index.collector.finish()
        out += inventory.warnings
        unmatched = inventory.os is not None and not ecosystems_for(
            inventory.os.id, inventory.os.version_id
        )
        if inventory.packages and unmatched:
            # Said aloud so that a clean result is not read as "no vulnerable OS packages".
            out.append(
                f"{inventory.describe_os()}: {len(inventory.packages)} OS packages found; "
                "no OSV advisory ecosystem covers this distribution, so they are not matched"
            )
        if self.index.too_large:
            out.append(
                f"{self.index.too_large} image files larger than "
                f"{self.limits.max_file_size} bytes were not scanned"
            )
        return tuple(out)


_OWN_SCANNERS = frozenset({"image", "image-vulns"})


def open_image(
    target: str,
    *,
    platform: str = DEFAULT_PLATFORM,
    limits: ViewLimits | None = None,
    pull: PullOptions | None = None,
) -> ImageScan:
    """Open a docker-save tarball, an OCI layout (dir or tar), a rootfs directory or a pull.

    ``registry/repo:tag`` (or ``...@sha256:...``) is pulled when ``pull`` says how.
    """
    path = Path(target)
    limits = limits or ViewLimits()
    if not path.exists():
        from shieldwall.image.registry.reference import looks_like_reference

        if pull is not None and looks_like_reference(target):
            from shieldwall.image.registry.pull import pull_image

            return ImageScan(image=pull_image(target, platform, pull), rootfs=None, limits=limits)
        raise UsageError(
            f"{target}: no such file or directory, nor an image reference "
            "(registry/repository:tag or ...@sha256:<digest>)"
        )
    if path.is_dir() and not (path / "index.json").is_file() and looks_like_rootfs(path):
        return ImageScan(image=rootfs_image(path), rootfs=path, limits=limits)
    if path.is_dir() and not any((path / n).is_file() for n in ("index.json", "manifest.json")):
        raise UsageError(f"{target}: neither an image layout nor a root filesystem")
    return ImageScan(image=open_layout(path, platform), rootfs=None, limits=limits)


def attribute(result: ScanResult, index: FileIndex) -> ScanResult:
    """Findings with the layer, Dockerfile step and file status of the file they are in.

    Other scanners' findings on the synthetic image and package documents are dropped: they
    repeat the config (already scanned as ``config.env``) and are not files of the image.
    """
    findings = tuple(
        _attributed(f, index)
        for f in result.findings
        if f.location.path not in {IMAGE_JSON, PACKAGES_JSON} or f.scanner in _OWN_SCANNERS
    )
    return dataclasses.replace(result, findings=findings)


def _attributed(finding: Finding, index: FileIndex) -> Finding:
    origin = index.origins.get(finding.location.path)
    if origin is None or "image_layer" in finding.properties:
        # Package findings name the layer that installed the package themselves: the
        # database file's own layer is only the last one that touched it.
        return finding
    extra = {f"image_{k}" if not k.startswith("image_") else k: v for k, v in origin.items()}
    return dataclasses.replace(finding, properties=freeze({**finding.properties, **extra}))


def is_image_path(path: Path) -> bool:
    """Whether ``path`` is an image archive or layout (not a project directory or lockfile).

    A directory counts only with an ``oci-layout`` marker: ``manifest.json`` alone is also a
    web-app manifest.
    """
    if path.is_dir():
        return (path / "oci-layout").is_file()
    if not path.is_file():
        return False
    import tarfile

    try:
        return tarfile.is_tarfile(path)
    except OSError:
        return False
