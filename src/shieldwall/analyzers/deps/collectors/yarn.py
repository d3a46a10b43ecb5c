"""yarn.lock: Yarn classic (v1, its own indented format) and Yarn berry (v2+, YAML).

Entries are keyed by the requested specifiers (``"lodash@^4.17.0", "lodash@^4.17.4":``); an
entry's ``dependencies`` name other specifiers, which is how the graph is rebuilt. Direct
dependencies are not recorded (they live in package.json), so the roots are the entries nothing
depends on.
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
from shieldwall.analyzers.deps.collectors.graph import implicit_roots, shortest_paths
from shieldwall.vulndb.ecosystems import Ecosystem

_KV = re.compile(r'^\s+"?([^"\s]+)"?\s+"?([^"]*)"?\s*$')


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML loading (the C loader when available, for large lockfiles)."""


def _spec_name(spec: str) -> str:
    spec = spec.strip().strip('"')
    at = spec.find("@", 1)  # scoped names start with @
    return spec[:at] if at > 0 else spec


def _classic(text: str) -> list[tuple[list[str], dict[str, Any], int]]:
    entries: list[tuple[list[str], dict[str, Any], int]] = []
    current: dict[str, Any] | None = None
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw.startswith(" "):
            if not raw.rstrip().endswith(":"):
                raise CollectorError(f"line {number}: expected an entry header")
            specs = [s.strip().strip('"') for s in raw.rstrip()[:-1].split(",")]
            current = {"dependencies": {}}
            entries.append((specs, current, number))
            section = None
            continue
        if current is None:
            raise CollectorError(f"line {number}: indented line before any entry")
        indent = len(raw) - len(raw.lstrip())
        if indent == 2 and raw.rstrip().endswith(":"):
            section = raw.strip()[:-1]
            continue
        match = _KV.match(raw)
        if not match:
            continue
        if indent == 2:
            current[match.group(1)] = match.group(2)
            section = None
        elif section in {"dependencies", "optionalDependencies"}:
            current["dependencies"][match.group(1)] = match.group(2)
    return entries


def _berry(text: str) -> list[tuple[list[str], dict[str, Any], int]]:
    data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader subclass
    if not isinstance(data, dict):
        raise CollectorError("not a YAML mapping")
    lines = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw and not raw.startswith((" ", "#")):
            lines[raw.rstrip().rstrip(":").strip('"')] = number
    entries = []
    for key, entry in data.items():
        if key == "__metadata" or not isinstance(entry, dict):
            continue
        if str(entry.get("linkType", "")).lower() == "soft":
            continue  # the workspace itself
        specs = [s.strip() for s in str(key).split(",")]
        deps = {name: str(spec) for name, spec in (entry.get("dependencies") or {}).items()}
        entries.append((specs, {"version": str(entry.get("version", "")), "dependencies": deps},
                        lines.get(str(key), 0)))  # fmt: skip
    return entries


class YarnLockCollector:
    """yarn.lock, classic or berry."""

    name: ClassVar[str] = "yarn.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.NPM
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """The file name is yarn.lock."""
        return path.rsplit("/", 1)[-1] == "yarn.lock"

    def collect(self, path: str, text: str) -> Inventory:
        """Every resolved package."""
        try:
            berry = "__metadata:" in text
            entries = _berry(text) if berry else _classic(text)
        except (CollectorError, yaml.YAMLError) as exc:
            raise CollectorError(f"{path}: not a yarn.lock ({exc})") from exc
        by_spec: dict[str, str] = {}
        for specs, entry, _ in entries:
            ref = f"{_spec_name(specs[0])}@{entry.get('version', '')}"
            for spec in specs:
                by_spec[spec] = ref
        edges: dict[str, list[str]] = {}
        for specs, entry, _ in entries:
            ref = by_spec[specs[0]]
            children = []
            for dep, wanted in entry["dependencies"].items():
                # berry writes "npm:^1.0.0" in dependencies and "dep@npm:^1.0.0" in keys.
                child = by_spec.get(f"{dep}@{wanted}") or by_spec.get(f"{dep}@npm:{wanted}")
                if child:
                    children.append(child)
            edges.setdefault(ref, []).extend(children)
        roots = implicit_roots(edges, edges)
        paths = shortest_paths(roots, edges)
        packages = []
        seen: set[str] = set()
        for specs, entry, line in entries:
            ref = by_spec[specs[0]]
            if ref in seen or not entry.get("version"):
                continue
            seen.add(ref)
            packages.append(
                Package(
                    name=_spec_name(specs[0]),
                    version=str(entry["version"]),
                    ecosystem=Ecosystem.NPM,
                    line=line or None,
                    direct=ref in roots,
                    dependency_path=paths.get(ref, (ref,)),
                    dependencies=tuple(dict.fromkeys(edges.get(ref, []))),
                )
            )
        if not packages and text.strip() and not text.lstrip().startswith("#"):
            raise CollectorError(f"{path}: no entries; not a yarn.lock")
        return Inventory(path, Ecosystem.NPM, InventoryKind.LOCKFILE, tuple(packages))
