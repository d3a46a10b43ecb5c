"""pnpm-lock.yaml, lockfile versions 5, 6 and 9.

``importers`` (or, in v5 single-project files, the top level) list each project's direct
dependencies with the resolved version; ``packages`` (and ``snapshots`` in v9) key each package
as ``/name/1.0.0`` (v5), ``/name@1.0.0`` (v6) or ``name@1.0.0`` (v9), with a peer suffix in
parentheses or after ``_``.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

from shieldwall.analyzers.deps.collectors.base import (
    CollectorError,
    Inventory,
    InventoryKind,
    Package,
)
from shieldwall.analyzers.deps.collectors.graph import shortest_paths
from shieldwall.analyzers.deps.collectors.yarn import _Loader
from shieldwall.vulndb.ecosystems import Ecosystem

_PEER = re.compile(r"\(.*$|_.*$")
_SECTIONS = ("dependencies", "devDependencies", "optionalDependencies")


def parse_key(key: str) -> tuple[str, str] | None:
    """(name, version) of a packages key in any lockfile version."""
    key = key.lstrip("/")
    key = _PEER.sub("", key) if "(" in key else key
    at = key.rfind("@")
    if at > 0:
        name, version = key[:at], key[at + 1 :]
    else:  # v5: name/version, where a scoped name has one more slash
        parts = key.rsplit("/", 1)
        if len(parts) != 2:
            return None
        name, version = parts
        version = version.split("_", 1)[0]
    return (name, version) if name and version and version[0].isdigit() else None


def _dep_version(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("version", "")
    return _PEER.sub("", str(value)) if "(" in str(value) else str(value).split("_", 1)[0]


class PnpmLockCollector:
    """pnpm-lock.yaml."""

    name: ClassVar[str] = "pnpm-lock.yaml"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.NPM
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """The file name is pnpm-lock.yaml."""
        return path.rsplit("/", 1)[-1] == "pnpm-lock.yaml"

    def collect(self, path: str, text: str) -> Inventory:
        """Every package with paths from the importers' direct dependencies."""
        try:
            data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            raise CollectorError(f"{path}: not valid YAML ({exc})") from exc
        if not isinstance(data, dict) or "lockfileVersion" not in data:
            raise CollectorError(f"{path}: no lockfileVersion; not a pnpm lockfile")
        importers = data.get("importers") or {".": data}
        roots = [
            f"{name}@{_dep_version(value)}"
            for project in importers.values()
            if isinstance(project, dict)
            for section in _SECTIONS
            for name, value in (project.get(section) or {}).items()
        ]
        packages_data: dict[str, Any] = {**(data.get("packages") or {})}
        for key, snap in (data.get("snapshots") or {}).items():
            packages_data.setdefault(key, {}).update(snap or {})  # v9 keeps edges in snapshots
        found: dict[str, tuple[str, str, dict[str, Any], str]] = {}
        for key, entry in packages_data.items():
            parsed = parse_key(str(key))
            if parsed is None:
                continue
            ref = f"{parsed[0]}@{parsed[1]}"
            if ref in found:  # v9: the snapshot of a peer variant carries the edges
                merged = found[ref][2]
                for section in _SECTIONS:
                    merged.setdefault(section, {}).update((entry or {}).get(section) or {})
            else:
                found[ref] = (parsed[0], parsed[1], dict(entry or {}), str(key))
        edges = {
            ref: [
                f"{dep}@{_dep_version(value)}"
                for section in ("dependencies", "optionalDependencies")
                for dep, value in (entry.get(section) or {}).items()
            ]
            for ref, (_, _, entry, _) in found.items()
        }
        paths = shortest_paths(roots, edges)
        line_of = {}
        for number, raw in enumerate(text.splitlines(), start=1):
            stripped = raw.strip().rstrip(":").strip("'\"")
            if raw.startswith("  ") and not raw.startswith("   ") and stripped not in line_of:
                line_of[stripped] = number
        packages = [
            Package(
                name=name,
                version=version,
                ecosystem=Ecosystem.NPM,
                line=line_of.get(key),
                direct=ref in roots,
                dependency_path=paths.get(ref, (ref,)),
                dependencies=tuple(c for c in edges[ref] if c in found),
                dev=bool(entry.get("dev")),
            )
            for ref, (name, version, entry, key) in found.items()
        ]
        return Inventory(path, Ecosystem.NPM, InventoryKind.LOCKFILE, tuple(packages))
