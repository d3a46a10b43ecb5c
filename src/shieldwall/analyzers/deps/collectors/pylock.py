"""Python lockfiles: poetry.lock, uv.lock, pdm.lock (TOML) and Pipfile.lock (JSON)."""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any, ClassVar

from packaging.requirements import InvalidRequirement, Requirement

from shieldwall.analyzers.deps.collectors.base import (
    CollectorError,
    Inventory,
    InventoryKind,
    Package,
)
from shieldwall.analyzers.deps.collectors.graph import implicit_roots, shortest_paths
from shieldwall.analyzers.deps.collectors.lines import LineIndex, toml_package_offset
from shieldwall.vulndb.ecosystems import Ecosystem, normalize_name

_PEP503 = re.compile(r"[-_.]+")


def _key(name: str) -> str:
    return _PEP503.sub("-", name).lower()


def load_toml(path: str, text: str) -> dict[str, Any]:
    """Parse TOML, translating the parser's error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CollectorError(f"{path}: not valid TOML ({exc})") from exc


def _dep_names(entry: dict[str, Any]) -> list[str]:
    deps = entry.get("dependencies", {})
    if isinstance(deps, dict):  # poetry: {name = "spec"}
        return [_key(n) for n in deps]
    names = []
    for dep in deps if isinstance(deps, list) else []:
        if isinstance(dep, dict) and "name" in dep:  # uv: [{name = "x"}]
            names.append(_key(str(dep["name"])))
        elif isinstance(dep, str):  # pdm: ["x>=1"]
            try:
                names.append(_key(Requirement(dep).name))
            except InvalidRequirement:
                continue
    return names


def _toml_lock(path: str, text: str, roots_from_project: bool) -> Inventory:
    data = load_toml(path, text)
    entries = data.get("package")
    if not isinstance(entries, list):
        raise CollectorError(f"{path}: no [[package]] tables; not a lockfile")
    lines = LineIndex(text)
    by_key: dict[str, dict[str, Any]] = {}
    edges: dict[str, list[str]] = {}
    roots: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict) or "name" not in entry:
            raise CollectorError(f"{path}: a [[package]] without a name")
        key = _key(str(entry["name"]))
        source = entry.get("source", {})
        if (
            roots_from_project
            and isinstance(source, dict)
            and {"editable", "virtual"} & set(source)
        ):
            roots.extend(_dep_names(entry))  # uv: the project itself lists the direct deps
            continue
        by_key[key] = entry
        edges[key] = _dep_names(entry)
    if not roots:
        roots = implicit_roots(by_key, edges)
    paths = shortest_paths(roots, edges)
    packages = []
    refs = {k: f"{e['name']}@{e.get('version', '')}" for k, e in by_key.items()}
    for key, entry in by_key.items():
        name, version = str(entry["name"]), str(entry.get("version", ""))
        at = toml_package_offset(text, name, version)
        packages.append(
            Package(
                name=name,
                version=version,
                ecosystem=Ecosystem.PYPI,
                line=lines.line_of(at) if at >= 0 else None,
                direct=key in roots,
                dependency_path=tuple(refs[k] for k in paths.get(key, (key,)) if k in refs),
                dependencies=tuple(refs[k] for k in edges[key] if k in refs),
                dev=entry.get("category") == "dev",
            )
        )
    return Inventory(path, Ecosystem.PYPI, InventoryKind.LOCKFILE, tuple(packages))


class PoetryLockCollector:
    """poetry.lock."""

    name: ClassVar[str] = "poetry.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PYPI
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """The file name is poetry.lock."""
        return path.rsplit("/", 1)[-1] == "poetry.lock"

    def collect(self, path: str, text: str) -> Inventory:
        """Every locked package; roots are the packages nothing else requires."""
        return _toml_lock(path, text, roots_from_project=False)


class UvLockCollector(PoetryLockCollector):
    """uv.lock: the project's own entry (editable or virtual source) names the direct deps."""

    name: ClassVar[str] = "uv.lock"

    def matches(self, path: str) -> bool:
        """The file name is uv.lock."""
        return path.rsplit("/", 1)[-1] == "uv.lock"

    def collect(self, path: str, text: str) -> Inventory:
        """Every locked package."""
        return _toml_lock(path, text, roots_from_project=True)


class PdmLockCollector(PoetryLockCollector):
    """pdm.lock."""

    name: ClassVar[str] = "pdm.lock"

    def matches(self, path: str) -> bool:
        """The file name is pdm.lock."""
        return path.rsplit("/", 1)[-1] == "pdm.lock"


class PipfileLockCollector:
    """Pipfile.lock: ``default`` and ``develop`` sections, versions as ``==x``; no graph."""

    name: ClassVar[str] = "Pipfile.lock"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PYPI
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """The file name is Pipfile.lock."""
        return path.rsplit("/", 1)[-1] == "Pipfile.lock"

    def collect(self, path: str, text: str) -> Inventory:
        """Every locked package."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CollectorError(f"{path}: not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or not ({"default", "develop"} & set(data)):
            raise CollectorError(f"{path}: no 'default' or 'develop' section; not a Pipfile.lock")
        lines = LineIndex(text)
        packages = []
        for section in ("default", "develop"):
            start = lines.offset(f'"{section}"')
            for name, entry in (data.get(section) or {}).items():
                version = str(entry.get("version", "")) if isinstance(entry, dict) else ""
                if not version.startswith("=="):
                    continue  # VCS and path entries have no version
                version = version[2:].lstrip("=")
                packages.append(
                    Package(
                        name=name,
                        version=version,
                        ecosystem=Ecosystem.PYPI,
                        line=lines.find(f'"{name}": {{', max(start, 0)),
                        dependency_path=(f"{name}@{version}",),
                        dev=section == "develop",
                    )
                )
        return Inventory(path, Ecosystem.PYPI, InventoryKind.LOCKFILE, tuple(packages))


__all__ = [
    "PdmLockCollector",
    "PipfileLockCollector",
    "PoetryLockCollector",
    "UvLockCollector",
    "load_toml",
    "normalize_name",
]
