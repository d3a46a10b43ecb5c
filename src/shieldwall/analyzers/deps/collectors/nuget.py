"""NuGet packages.lock.json: per target framework, ``Direct``/``Transitive`` with ``resolved``."""

from __future__ import annotations

import json
from typing import ClassVar

from shieldwall.analyzers.deps.collectors.base import (
    CollectorError,
    Inventory,
    InventoryKind,
    Package,
)
from shieldwall.analyzers.deps.collectors.graph import shortest_paths
from shieldwall.analyzers.deps.collectors.lines import LineIndex
from shieldwall.vulndb.ecosystems import Ecosystem


class NuGetLockCollector:
    """packages.lock.json."""

    name: ClassVar[str] = "packages.lock.json"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.NUGET
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """The file name is packages.lock.json."""
        return path.rsplit("/", 1)[-1] == "packages.lock.json"

    def collect(self, path: str, text: str) -> Inventory:
        """Every resolved package, once across target frameworks."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CollectorError(f"{path}: not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("dependencies"), dict):
            raise CollectorError(f"{path}: no 'dependencies'; not a NuGet lock file")
        found: dict[str, tuple[str, str, bool, int]] = {}
        edges: dict[str, list[str]] = {}
        lines = LineIndex(text)
        for framework in data["dependencies"].values():
            if not isinstance(framework, dict):
                continue
            start = 0
            for name, entry in framework.items():
                if not isinstance(entry, dict) or "resolved" not in entry:
                    continue  # project references have no resolved version
                ref = f"{name}@{entry['resolved']}"
                at = lines.offset(f"{json.dumps(name)}: {{", start)
                start = max(start, at)
                direct = entry.get("type") == "Direct"
                if ref not in found:
                    found[ref] = (
                        name,
                        entry["resolved"],
                        direct,
                        lines.line_of(at) if at >= 0 else 0,
                    )
                edges[name.lower()] = [d.lower() for d in entry.get("dependencies", {})]
        by_lower = {name.lower(): ref for ref, (name, _, _, _) in found.items()}
        roots = [name.lower() for name, _, direct, _ in found.values() if direct]
        paths = shortest_paths(roots, edges)
        packages = [
            Package(
                name=name,
                version=version,
                ecosystem=Ecosystem.NUGET,
                line=line or None,
                direct=direct,
                dependency_path=tuple(
                    by_lower[n] for n in paths.get(name.lower(), (name.lower(),)) if n in by_lower
                ),
                dependencies=tuple(
                    by_lower[c] for c in edges.get(name.lower(), []) if c in by_lower
                ),
            )
            for ref, (name, version, direct, line) in found.items()
        ]
        return Inventory(path, Ecosystem.NUGET, InventoryKind.LOCKFILE, tuple(packages))
