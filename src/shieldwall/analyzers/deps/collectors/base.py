"""The collector contract: a pure parser from one lockfile or manifest to an inventory."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Protocol

from shieldwall.core.errors import AnalysisError
from shieldwall.core.ids import Purl
from shieldwall.vulndb.ecosystems import Ecosystem, purl_for


class CollectorError(AnalysisError):
    """A file is not what its name says (not a lockfile of that format, or malformed)."""


class InventoryKind(StrEnum):
    """What a file pins: exact versions (lockfile), ranges (manifest) or an installed set."""

    LOCKFILE = "lockfile"
    MANIFEST = "manifest"
    ENVIRONMENT = "environment"


@dataclass(frozen=True, slots=True)
class Package:
    """One resolved package. ``dependency_path`` runs from a direct dependency to this one."""

    name: str
    version: str
    ecosystem: Ecosystem
    line: int | None = None
    direct: bool | None = None  # None: the format does not say
    dependency_path: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()  # refs (name@version) of what this package requires
    licenses: tuple[str, ...] = ()
    dev: bool = False

    @property
    def ref(self) -> str:
        """``name@version``, the node id in dependency paths and graphs."""
        return f"{self.name}@{self.version}"

    @property
    def purl(self) -> Purl:
        """The package URL."""
        return Purl(purl_for(self.ecosystem, self.name, self.version or None))


@dataclass(frozen=True, slots=True)
class Unpinned:
    """A requirement that does not pin one exact version (a range, an editable or URL line)."""

    name: str
    spec: str
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Inventory:
    """Everything one file declares."""

    path: str
    ecosystem: Ecosystem
    kind: InventoryKind
    packages: tuple[Package, ...] = ()
    unpinned: tuple[Unpinned, ...] = ()
    includes: tuple[str, ...] = ()  # other files this one pulls in (``-r base.txt``)
    declared_license: str | None = None  # the project's own license, in manifests
    declared_license_line: int | None = None
    dependencies_line: int | None = None  # manifests: where dependencies are declared, if any


class Collector(Protocol):
    """Parses one file format."""

    name: ClassVar[str]
    ecosystem: ClassVar[Ecosystem]
    kind: ClassVar[InventoryKind]

    def matches(self, path: str) -> bool:
        """Whether a relative path is a file of this format."""
        ...

    def collect(self, path: str, text: str) -> Inventory:
        """The inventory of the file; raises :class:`CollectorError` when it is malformed."""
        ...
