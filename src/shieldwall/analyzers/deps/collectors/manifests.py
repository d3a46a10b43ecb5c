"""Project manifests: what a project declares (dependencies, its own license) before locking.

A manifest that declares dependencies but has no lockfile beside it (or above it, for
workspaces) resolves different versions on every install; the analyzer reports that.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from shieldwall.analyzers.deps.collectors.base import CollectorError, Inventory, InventoryKind
from shieldwall.analyzers.deps.collectors.lines import LineIndex
from shieldwall.analyzers.deps.collectors.pylock import load_toml
from shieldwall.vulndb.ecosystems import Ecosystem

# Which lockfiles pin each manifest's dependencies.
LOCKFILES: dict[str, frozenset[str]] = {
    "package.json": frozenset(
        {"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"}
    ),
    "pyproject.toml": frozenset({"poetry.lock", "uv.lock", "pdm.lock"}),
    "Pipfile": frozenset({"Pipfile.lock"}),
    "Gemfile": frozenset({"Gemfile.lock", "gems.locked"}),
    "composer.json": frozenset({"composer.lock"}),
    "Cargo.toml": frozenset({"Cargo.lock"}),
}
_ECOSYSTEMS = {
    "package.json": Ecosystem.NPM,
    "pyproject.toml": Ecosystem.PYPI,
    "Pipfile": Ecosystem.PYPI,
    "Gemfile": Ecosystem.RUBYGEMS,
    "composer.json": Ecosystem.PACKAGIST,
    "Cargo.toml": Ecosystem.CRATES_IO,
}
_GEM = re.compile(r"^[ \t]*gem\s+['\"]", re.MULTILINE)


def _json(path: str, text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CollectorError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise CollectorError(f"{path}: not a JSON object")
    return data


def _license_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # old package.json {"type": "MIT"}, pyproject {text = "MIT"}
        text = value.get("type") or value.get("text")
        return str(text) if text else None
    if isinstance(value, list) and value:  # composer ["MIT", "GPL-2.0-only"] means "or"
        return " OR ".join(str(v.get("type", v)) if isinstance(v, dict) else str(v) for v in value)
    return None


class ManifestCollector:
    """package.json, pyproject.toml, Pipfile, Gemfile, composer.json, Cargo.toml."""

    name: ClassVar[str] = "manifest"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.NPM  # per file, see collect()
    kind: ClassVar[InventoryKind] = InventoryKind.MANIFEST

    def matches(self, path: str) -> bool:
        """One of the manifest names, outside installed trees."""
        return path.rsplit("/", 1)[-1] in _ECOSYSTEMS and "node_modules/" not in path

    def collect(self, path: str, text: str) -> Inventory:
        """Where dependencies are declared, and the project's license."""
        filename = path.rsplit("/", 1)[-1]
        lines = LineIndex(text)
        deps_line: int | None = None
        license_value: str | None = None
        license_key = ""
        match filename:
            case "package.json" | "composer.json":
                data = _json(path, text)
                sections = ("dependencies", "devDependencies") if filename == "package.json" else (
                    "require", "require-dev")  # fmt: skip
                for section in sections:
                    if data.get(section):
                        deps_line = deps_line or lines.find(f'"{section}"')
                license_value, license_key = _license_text(data.get("license")), '"license"'
            case "pyproject.toml" | "Cargo.toml" | "Pipfile":
                data = load_toml(path, text)
                deps_line, license_value = _toml_manifest(filename, data, lines)
                license_key = "license"
            case "Gemfile":
                found = _GEM.search(text)
                deps_line = lines.line_of(found.start()) if found else None
        return Inventory(
            path=path,
            ecosystem=_ECOSYSTEMS[filename],
            kind=InventoryKind.MANIFEST,
            declared_license=license_value,
            declared_license_line=lines.find(license_key) if license_value else None,
            dependencies_line=deps_line,
        )


def _toml_manifest(
    filename: str, data: dict[str, Any], lines: LineIndex
) -> tuple[int | None, str | None]:
    if filename == "Pipfile":
        return (lines.find("[packages]") if data.get("packages") else None), None
    if filename == "Cargo.toml":
        package = data.get("package") or {}
        deps = lines.find("[dependencies]") if data.get("dependencies") else None
        return deps, _license_text(package.get("license"))
    project = data.get("project") or {}
    poetry = ((data.get("tool") or {}).get("poetry")) or {}
    poetry_deps = {k for k in poetry.get("dependencies") or {} if k.lower() != "python"}
    deps_line = None
    if project.get("dependencies"):
        deps_line = lines.find("dependencies", max(lines.offset("[project]"), 0))
    elif poetry_deps:
        deps_line = lines.find("[tool.poetry.dependencies]")
    return deps_line, _license_text(project.get("license") or poetry.get("license"))
