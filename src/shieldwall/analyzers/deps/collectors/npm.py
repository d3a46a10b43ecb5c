"""npm's package-lock.json and npm-shrinkwrap.json, lockfile versions 1, 2 and 3.

v2/v3 (https://docs.npmjs.com/cli/configuring-npm/package-lock-json) list every installed
package under ``packages`` keyed by its ``node_modules/...`` path, the root project under ``""``;
v1 nests ``dependencies`` with ``requires``. Dependencies resolve like Node does: the nearest
``node_modules`` up the tree.
"""

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

_NM = "node_modules/"


def _resolve(location: str, name: str, packages: dict[str, Any]) -> str | None:
    """Node's lookup: ``<location>/node_modules/<name>``, then each parent's, then the root's."""
    base = location
    while True:
        candidate = f"{base}/{_NM}{name}" if base else f"{_NM}{name}"
        if candidate in packages:
            return candidate
        if not base:
            return None
        cut = base.rfind("/" + _NM)
        base = base[:cut] if cut >= 0 else ""


def _name_of(location: str, entry: dict[str, Any]) -> str:
    return str(entry.get("name") or location.rsplit(_NM, 1)[-1])


def _v2(path: str, data: dict[str, Any], lines: LineIndex) -> list[Package]:
    packages: dict[str, Any] = data["packages"]
    root = packages.get("", {})
    edges: dict[str, list[str]] = {}
    for location, entry in packages.items():
        if not isinstance(entry, dict):
            raise CollectorError(f"{path}: packages[{location!r}] is not an object")
        wanted = {
            **entry.get("dependencies", {}),
            **entry.get("optionalDependencies", {}),
            **entry.get("devDependencies", {} if location else root.get("devDependencies", {})),
        }
        resolved = (_resolve(location, dep, packages) for dep in wanted)
        edges[location] = [r for r in resolved if r is not None]
    roots = edges.get("", [])
    paths = shortest_paths(roots, edges)
    refs = {loc: f"{_name_of(loc, e)}@{e.get('version', '')}" for loc, e in packages.items() if loc}
    result = []
    for location, entry in packages.items():
        if not location.startswith(_NM) and _NM not in location:
            continue  # the root project and workspace folders are not installed packages
        if entry.get("link") or "version" not in entry:
            continue
        license_value = entry.get("license")
        licenses = (license_value,) if isinstance(license_value, str) else ()
        result.append(
            Package(
                name=_name_of(location, entry),
                version=str(entry["version"]),
                ecosystem=Ecosystem.NPM,
                line=lines.find(json.dumps(location) + ":"),
                direct=location in roots,
                dependency_path=tuple(refs[p] for p in paths.get(location, (location,))),
                dependencies=tuple(refs[c] for c in edges[location] if c in refs),
                licenses=licenses,
                dev=bool(entry.get("dev")),
            )
        )
    return result


def _v1(data: dict[str, Any], lines: LineIndex) -> list[Package]:
    """v1 nests ``dependencies`` and names edges in ``requires``; it does not say which are
    direct, so the roots are the packages nothing requires."""
    found: list[tuple[str, dict[str, Any], str, list[str]]] = []

    def walk(deps: dict[str, Any], scopes: list[dict[str, Any]]) -> None:
        for name, entry in deps.items():
            if not isinstance(entry, dict) or "version" not in entry:
                continue
            nested = entry.get("dependencies", {})
            visible = [nested, *scopes]
            requires = []
            for dep in entry.get("requires", {}):
                scope = next((s for s in visible if isinstance(s.get(dep), dict)), None)
                if scope is not None:
                    requires.append(f"{dep}@{scope[dep].get('version', '')}")
            found.append((name, entry, f"{name}@{entry['version']}", requires))
            if nested:
                walk(nested, visible)

    top = data.get("dependencies", {})
    walk(top, [top])
    edges: dict[str, list[str]] = {}
    for _, _, ref, requires in found:
        edges.setdefault(ref, []).extend(requires)
    roots = implicit_roots(edges, edges)
    paths = shortest_paths(roots, edges)
    result = []
    for name, entry, ref, requires in found:
        version = str(entry["version"])
        needle = f"{json.dumps(name)}: {{"
        at = lines.offset(needle)
        while at >= 0 and f'"version": {json.dumps(version)}' not in lines.text[at : at + 400]:
            at = lines.offset(needle, at + 1)
        result.append(
            Package(
                name=name,
                version=version,
                ecosystem=Ecosystem.NPM,
                line=lines.line_of(at) if at >= 0 else None,
                direct=ref in roots,
                dependency_path=paths.get(ref, (ref,)),
                dependencies=tuple(dict.fromkeys(requires)),
                dev=bool(entry.get("dev")),
            )
        )
    return result


class PackageLockCollector:
    """package-lock.json and npm-shrinkwrap.json."""

    name: ClassVar[str] = "package-lock.json"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.NPM
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """package-lock.json or npm-shrinkwrap.json, not inside node_modules."""
        name = path.rsplit("/", 1)[-1]
        return name in {"package-lock.json", "npm-shrinkwrap.json"} and _NM not in path

    def collect(self, path: str, text: str) -> Inventory:
        """Every installed package with its path from the root."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CollectorError(f"{path}: not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or "lockfileVersion" not in data:
            raise CollectorError(f"{path}: no lockfileVersion; not an npm lockfile")
        lines = LineIndex(text)
        if isinstance(data.get("packages"), dict):
            packages = _v2(path, data, lines)
        elif isinstance(data.get("dependencies"), dict):
            packages = _v1(data, lines)
        else:
            packages = []
        return Inventory(path, Ecosystem.NPM, InventoryKind.LOCKFILE, tuple(packages))
