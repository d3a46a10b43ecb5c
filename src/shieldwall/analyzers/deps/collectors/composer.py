"""composer.lock: ``packages`` and ``packages-dev`` with versions, licenses and ``require``."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from shieldwall.analyzers.deps.collectors.base import (
    CollectorError,
    Inventory,
    InventoryKind,
    Package,
)
from shieldwall.analyzers.deps.collectors.graph import implicit_roots, shortest_paths
from shieldwall.analyzers.deps.collectors.lines import LineIndex
from shieldwall.vulndb.ecosystems import Ecosystem


class ComposerLockCollector:
    """composer.lock."""

    name: ClassVar[str] = "composer.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PACKAGIST
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """The file name is composer.lock."""
        return path.rsplit("/", 1)[-1] == "composer.lock"

    def collect(self, path: str, text: str) -> Inventory:
        """Every locked package; roots are those no other package requires."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CollectorError(f"{path}: not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or "packages" not in data:
            raise CollectorError(f"{path}: no 'packages'; not a composer.lock")
        entries: list[tuple[dict[str, Any], bool]] = [
            (e, dev)
            for dev, key in ((False, "packages"), (True, "packages-dev"))
            for e in data.get(key) or []
            if isinstance(e, dict) and "name" in e and "version" in e
        ]
        refs = {e["name"].lower(): f"{e['name']}@{e['version']}" for e, _ in entries}
        edges = {
            refs[e["name"].lower()]: [
                refs[d.lower()] for d in e.get("require", {}) if d.lower() in refs
            ]
            for e, _ in entries
        }
        roots = implicit_roots(edges, edges)
        paths = shortest_paths(roots, edges)
        lines = LineIndex(text)
        packages = []
        for entry, dev in entries:
            ref = refs[entry["name"].lower()]
            licenses = entry.get("license") or []
            packages.append(
                Package(
                    name=entry["name"],
                    version=str(entry["version"]),
                    ecosystem=Ecosystem.PACKAGIST,
                    line=lines.find(f'"name": {json.dumps(entry["name"])}'),
                    direct=ref in roots,
                    dependency_path=paths.get(ref, (ref,)),
                    dependencies=tuple(edges[ref]),
                    licenses=tuple(str(x) for x in licenses) if isinstance(licenses, list) else (),
                    dev=dev,
                )
            )
        return Inventory(path, Ecosystem.PACKAGIST, InventoryKind.LOCKFILE, tuple(packages))
