"""Gemfile.lock (Bundler): ``GEM``/``GIT``/``PATH`` sections with ``specs:`` and ``DEPENDENCIES``.

Specs are indented four spaces (``name (version)`` or ``name (version-platform)``), their own
dependencies six; ``DEPENDENCIES`` lists the Gemfile's direct gems.
"""

from __future__ import annotations

import re
from typing import ClassVar

from shieldwall.analyzers.deps.collectors.base import (
    CollectorError,
    Inventory,
    InventoryKind,
    Package,
)
from shieldwall.analyzers.deps.collectors.graph import shortest_paths
from shieldwall.vulndb.ecosystems import Ecosystem

_SPEC = re.compile(r"^    ([^\s(]+) \(([^)\s]+)\)$")
_SPEC_DEP = re.compile(r"^      ([^\s(]+)")
_DIRECT = re.compile(r"^  ([^\s(!]+)")
_PLATFORMS = ("-x86", "-arm", "-aarch64", "-java", "-universal", "-mingw", "-mswin", "-darwin")


def _strip_platform(version: str) -> str:
    for marker in _PLATFORMS:
        cut = version.find(marker)
        if cut > 0:
            return version[:cut]
    return version


class GemfileLockCollector:
    """Gemfile.lock."""

    name: ClassVar[str] = "Gemfile.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.RUBYGEMS
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """Gemfile.lock or gems.locked."""
        return path.rsplit("/", 1)[-1] in {"Gemfile.lock", "gems.locked"}

    def collect(self, path: str, text: str) -> Inventory:
        """Every locked gem (from rubygems sources) with paths from the direct ones."""
        section = ""
        in_specs = False
        specs: dict[str, tuple[str, int, bool]] = {}  # name -> (version, line, from rubygems)
        edges: dict[str, list[str]] = {}
        direct: list[str] = []
        current = ""
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.rstrip()
            if line and not line.startswith(" "):
                section, in_specs = line, False
                continue
            if section in {"GEM", "GIT", "PATH"}:
                if line.strip() == "specs:":
                    in_specs = True
                elif in_specs and (m := _SPEC.match(line)):
                    current = m.group(1)
                    specs[current] = (_strip_platform(m.group(2)), number, section == "GEM")
                    edges.setdefault(current, [])
                elif in_specs and current and (m := _SPEC_DEP.match(line)):
                    edges[current].append(m.group(1))
            elif section == "DEPENDENCIES" and (m := _DIRECT.match(line)):
                direct.append(m.group(1))
        if not specs and "DEPENDENCIES" not in text:
            raise CollectorError(f"{path}: no GEM specs or DEPENDENCIES; not a Gemfile.lock")
        paths = shortest_paths(direct, edges)
        refs = {name: f"{name}@{v}" for name, (v, _, _) in specs.items()}
        packages = [
            Package(
                name=name,
                version=version,
                ecosystem=Ecosystem.RUBYGEMS,
                line=number,
                direct=name in direct,
                dependency_path=tuple(refs[n] for n in paths.get(name, (name,)) if n in refs),
                dependencies=tuple(refs[c] for c in edges.get(name, []) if c in refs),
            )
            for name, (version, number, from_registry) in specs.items()
            if from_registry
        ]
        return Inventory(path, Ecosystem.RUBYGEMS, InventoryKind.LOCKFILE, tuple(packages))
