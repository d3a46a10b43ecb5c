"""Maven pom.xml (properties, parent and dependencyManagement) and Gradle's gradle.lockfile.

A pom's dependency versions are resolved the way Maven resolves them for the repository's own
modules: ``${...}`` from ``<properties>`` and ``project.*``, then ``dependencyManagement``, both
inherited from a parent pom when it is inside the scanned tree (``<relativePath>``, default
``../pom.xml``). Imported BOMs and remote parents are not fetched: such versions are reported as
unpinned. XML is parsed with defusedxml (no entities, no external resources).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from shieldwall.analyzers.deps.collectors.base import (
    CollectorError,
    Inventory,
    InventoryKind,
    Package,
    Unpinned,
)
from shieldwall.analyzers.deps.collectors.lines import LineIndex
from shieldwall.vulndb.ecosystems import Ecosystem

_PROPERTY = re.compile(r"\$\{([^}]+)\}")
_MAX_PARENTS = 10
Reader = Callable[[str], str | None]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: Element | None, name: str) -> str:
    found = _child(element, name)
    return (found.text or "").strip() if found is not None else ""


@dataclass
class _Context:
    properties: dict[str, str] = field(default_factory=dict)
    managed: dict[str, str] = field(default_factory=dict)

    def expand(self, value: str) -> str:
        for _ in range(10):  # properties may refer to properties; bounded against cycles
            expanded = _PROPERTY.sub(lambda m: self.properties.get(m.group(1), m.group(0)), value)
            if expanded == value:
                break
            value = expanded
        return value


def _parse(path: str, text: str) -> Element:
    try:
        return ElementTree.fromstring(text)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise CollectorError(f"{path}: not a well-formed pom ({exc})") from exc


def _context(path: str, root: Element, read: Reader | None, depth: int = 0) -> _Context:
    ctx = _Context()
    parent = _child(root, "parent")
    if parent is not None and read is not None and depth < _MAX_PARENTS:
        relative = _text(parent, "relativePath") or "../pom.xml"
        if not relative.endswith(".xml"):
            relative = relative.rstrip("/") + "/pom.xml"
        parent_path = posixpath.normpath(posixpath.join(posixpath.dirname(path), relative))
        parent_text = read(parent_path)
        if parent_text is not None:
            inherited = _context(parent_path, _parse(parent_path, parent_text), read, depth + 1)
            ctx.properties.update(inherited.properties)
            ctx.managed.update(inherited.managed)
    version = _text(root, "version") or _text(parent, "version")
    group = _text(root, "groupId") or _text(parent, "groupId")
    ctx.properties.update({"project.version": version, "version": version, "pom.version": version})
    ctx.properties.update(
        {"project.groupId": group, "project.artifactId": _text(root, "artifactId")}
    )
    ctx.properties["project.parent.version"] = _text(parent, "version")
    for prop in _child(root, "properties") or []:
        ctx.properties[_local(prop.tag)] = (prop.text or "").strip()
    management = _child(_child(root, "dependencyManagement"), "dependencies")
    for dep in management or []:
        key = f"{ctx.expand(_text(dep, 'groupId'))}:{ctx.expand(_text(dep, 'artifactId'))}"
        if _text(dep, "version"):
            ctx.managed[key] = ctx.expand(_text(dep, "version"))
    return ctx


def collect_pom(path: str, text: str, read: Reader | None = None) -> Inventory:
    """The pom's direct dependencies; ``read(path)`` returns other poms of the tree (or None)."""
    root = _parse(path, text)
    if _local(root.tag) != "project":
        raise CollectorError(f"{path}: root element is <{_local(root.tag)}>, not <project>")
    ctx = _context(path, root, read)
    lines = LineIndex(text)
    deps_start = max(lines.offset("<dependencies>"), 0)
    managed_end = lines.offset("</dependencyManagement>")
    if managed_end >= 0:
        deps_start = max(lines.offset("<dependencies>", managed_end), 0)
    packages: list[Package] = []
    unpinned: list[Unpinned] = []
    for dep in _child(root, "dependencies") or []:
        group, artifact = ctx.expand(_text(dep, "groupId")), ctx.expand(_text(dep, "artifactId"))
        name = f"{group}:{artifact}"
        version = ctx.expand(_text(dep, "version")) or ctx.managed.get(name, "")
        line = lines.find(f"<artifactId>{_text(dep, 'artifactId')}</artifactId>", deps_start) or 0
        if not version or "$" in version or version[:1] in "[(" or "," in version:
            unpinned.append(Unpinned(name, version or "(no version)", line, "version not resolved"))
            continue
        packages.append(
            Package(
                name=name,
                version=version,
                ecosystem=Ecosystem.MAVEN,
                line=line or None,
                direct=True,
                dependency_path=(f"{name}@{version}",),
                dev=_text(dep, "scope") == "test",
            )
        )
    return Inventory(
        path, Ecosystem.MAVEN, InventoryKind.MANIFEST, tuple(packages), tuple(unpinned)
    )


class PomCollector:
    """pom.xml without access to parents (the analyzer passes a reader to collect_pom)."""

    name: ClassVar[str] = "pom.xml"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.MAVEN
    kind: ClassVar[InventoryKind] = InventoryKind.MANIFEST

    def matches(self, path: str) -> bool:
        """The file name is pom.xml."""
        return path.rsplit("/", 1)[-1] == "pom.xml"

    def collect(self, path: str, text: str) -> Inventory:
        """Direct dependencies resolved within the file."""
        return collect_pom(path, text)


class GradleLockCollector:
    """gradle.lockfile: ``group:artifact:version=configurations`` lines."""

    name: ClassVar[str] = "gradle.lockfile"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.MAVEN
    kind: ClassVar[InventoryKind] = InventoryKind.LOCKFILE

    def matches(self, path: str) -> bool:
        """gradle.lockfile or buildscript-gradle.lockfile."""
        return path.rsplit("/", 1)[-1].endswith("gradle.lockfile")

    def collect(self, path: str, text: str) -> Inventory:
        """Every locked module."""
        packages = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith(("#", "empty=")):
                continue
            coordinate, _, configurations = line.partition("=")
            parts = coordinate.split(":")
            if len(parts) != 3 or not all(parts):
                raise CollectorError(f"{path}:{number}: not a gradle lock line")
            name = f"{parts[0]}:{parts[1]}"
            packages.append(
                Package(
                    name=name,
                    version=parts[2],
                    ecosystem=Ecosystem.MAVEN,
                    line=number,
                    dependency_path=(f"{name}@{parts[2]}",),
                    dev=bool(configurations)
                    and all(c.startswith("test") for c in configurations.split(",")),
                )
            )
        return Inventory(path, Ecosystem.MAVEN, InventoryKind.LOCKFILE, tuple(packages))
