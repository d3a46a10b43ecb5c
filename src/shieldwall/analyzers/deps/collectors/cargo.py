"""Cargo.lock: ``[[package]]`` tables; workspace members have no ``source``.

Dependencies are written ``"name"`` or ``"name version"`` (or with a source) when several
versions of a crate are locked.
"""

from __future__ import annotations

from typing import ClassVar

from shieldwall.analyzers.deps.collectors.base import (
    CollectorError,
    Inventory,
    InventoryKind,
    Package,
)
from shieldwall.analyzers.deps.collectors.graph import shortest_paths
from shieldwall.analyzers.deps.collectors.lines import LineIndex, toml_package_offset
from shieldwall.analyzers.deps.collectors.pylock import load_toml
from shieldwall.vulndb.ecosystems import Ecosystem


class CargoLockCollector:
    """Cargo.lock."""

    name: ClassVar[str] = "Cargo.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.CRATES_IO
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """The file name is Cargo.lock."""
        return path.rsplit("/", 1)[-1] == "Cargo.lock"

    def collect(self, path: str, text: str) -> Inventory:
        """Every registry crate, with paths from the workspace members' dependencies."""
        data = load_toml(path, text)
        entries = data.get("package")
        if not isinstance(entries, list):
            raise CollectorError(f"{path}: no [[package]] tables; not a Cargo.lock")
        if not all(isinstance(e, dict) and "name" in e and "version" in e for e in entries):
            raise CollectorError(f"{path}: a [[package]] without name or version")
        by_name: dict[str, list[str]] = {}
        for entry in entries:
            by_name.setdefault(entry["name"], []).append(f"{entry['name']}@{entry['version']}")
        edges: dict[str, list[str]] = {}
        members: list[str] = []
        for entry in entries:
            ref = f"{entry['name']}@{entry['version']}"
            children = []
            for dep in entry.get("dependencies", []):
                parts = str(dep).split(" ")
                candidates = by_name.get(parts[0], [])
                if len(parts) > 1:
                    candidates = [c for c in candidates if c == f"{parts[0]}@{parts[1]}"]
                children.extend(candidates[:1])
            edges[ref] = children
            if "source" not in entry:
                members.append(ref)
        roots = [child for member in members for child in edges[member]]
        paths = shortest_paths(roots, edges)
        lines = LineIndex(text)
        packages = []
        for entry in entries:
            if "source" not in entry:
                continue  # workspace members are the project, not dependencies
            ref = f"{entry['name']}@{entry['version']}"
            at = toml_package_offset(text, entry["name"], entry["version"])
            packages.append(
                Package(
                    name=entry["name"],
                    version=entry["version"],
                    ecosystem=Ecosystem.CRATES_IO,
                    line=lines.line_of(at) if at >= 0 else None,
                    direct=ref in roots,
                    dependency_path=paths.get(ref, (ref,)),
                    dependencies=tuple(edges[ref]),
                )
            )
        return Inventory(path, Ecosystem.CRATES_IO, InventoryKind.LOCKFILE, tuple(packages))
