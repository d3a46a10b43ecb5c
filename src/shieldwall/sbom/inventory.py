"""The software inventory of a target: every package of every lockfile, deduplicated by purl."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shieldwall.analyzers.deps.collectors import Package, collector_for
from shieldwall.analyzers.deps.inventory import collect_group
from shieldwall.core.result import ScanError
from shieldwall.target.walker import WalkOptions, walk

# Lockfiles of large projects exceed the scan's default per-file size limit.
SBOM_MAX_FILE_SIZE = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Component:
    """One package in the SBOM, with where it was found and what it depends on."""

    package: Package
    sources: tuple[str, ...]
    depends_on: tuple[str, ...]  # purls

    @property
    def purl(self) -> str:
        """The package URL (also the component's reference)."""
        return str(self.package.purl)


@dataclass(frozen=True, slots=True)
class SoftwareInventory:
    """Components of a target, the direct ones, and files that could not be read."""

    name: str
    components: tuple[Component, ...]
    direct: tuple[str, ...]  # purls
    errors: tuple[ScanError, ...] = field(default=())


def build_inventory(target: Path, exclude: Sequence[str] = ()) -> SoftwareInventory:
    """Collect every lockfile and installed package under ``target``."""
    options = WalkOptions(exclude=tuple(exclude), max_file_size=SBOM_MAX_FILE_SIZE)
    files = [f for f in walk(target, options) if collector_for(f.path) is not None]
    root = target if target.is_dir() else target.parent
    collected = collect_group(files, str(root))
    packages: dict[str, Package] = {}
    sources: dict[str, list[str]] = {}
    edges: dict[str, set[str]] = {}
    direct: list[str] = []
    for inventory in collected.inventories:
        purl_of = {p.ref: str(p.purl) for p in inventory.packages}
        for package in inventory.packages:
            purl = str(package.purl)
            if purl not in packages or (package.licenses and not packages[purl].licenses):
                packages[purl] = package
            sources.setdefault(purl, []).append(inventory.path)
            edges.setdefault(purl, set()).update(
                purl_of[d] for d in package.dependencies if d in purl_of
            )
            if package.direct is not False and (
                package.direct or len(package.dependency_path) <= 1
            ):
                direct.append(purl)
    components = tuple(
        Component(packages[p], tuple(dict.fromkeys(sources[p])), tuple(sorted(edges[p] - {p})))
        for p in sorted(packages)
    )
    name = (target if target.is_dir() else target.parent).resolve().name
    return SoftwareInventory(
        name, components, tuple(dict.fromkeys(direct)), tuple(collected.errors)
    )
