"""The inventory of an image: its OS, OS packages and language packages, with their layers.

:class:`InventoryCollector` is fed every member of every layer as the view streams them (last
layer first). The visible databases give the packages; the shadowed copies of the same
databases in lower layers say which layer first installed each package version, so a finding
names the Dockerfile step that brought the package in, not the last step that touched the
database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from shieldwall.image.entry import EntryKind, FileStatus, ImageEntry
from shieldwall.image.errors import ImageError
from shieldwall.image.langpkgs import LanguagePackage, packages_in, wants
from shieldwall.image.packages import (
    OsInfo,
    OsPackage,
    parse_apk_installed,
    parse_dpkg_status,
    parse_os_release,
)
from shieldwall.image.rpmdb import (
    BDB_PATHS,
    NDB_PATHS,
    SQLITE_PATHS,
    read_bdb_rpmdb,
    read_sqlite_rpmdb,
)

OS_RELEASE = ("etc/os-release", "usr/lib/os-release")
DPKG_STATUS = "var/lib/dpkg/status"
DPKG_STATUS_D = "var/lib/dpkg/status.d/"
APK_INSTALLED = "lib/apk/db/installed"
_DATABASES = frozenset({DPKG_STATUS, APK_INSTALLED, *SQLITE_PATHS, *BDB_PATHS})
_UNSUPPORTED = frozenset(NDB_PATHS)
# A rootfs file is read from disk for the inventory up to this size, like a layer's archives
# and executables (ViewLimits.max_archive_size).
MAX_LANGUAGE_FILE = 256 << 20


@dataclass(frozen=True, slots=True)
class Provenance:
    """The layer a package came from and its history step."""

    layer_index: int
    layer: str
    created_by: str

    @classmethod
    def of(cls, entry: ImageEntry) -> Provenance:
        """The provenance of a file of the view."""
        return cls(entry.layer_index, entry.layer_digest, entry.created_by)


PackageKey = tuple[str, str, str]  # (manager, name, version)


@dataclass(slots=True)
class ImageInventory:
    """What the image ships: OS, packages, the database each came from, and their layers."""

    os: OsInfo | None = None
    packages: list[OsPackage] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # package key -> database path
    warnings: list[str] = field(default_factory=list)
    introduced: dict[PackageKey, Provenance] = field(default_factory=dict)
    language: list[tuple[LanguagePackage, Provenance]] = field(default_factory=list)

    def describe_os(self) -> str:
        """A one-line name of the OS, or ``unknown``."""
        if self.os is None:
            return "unknown"
        return self.os.pretty_name or f"{self.os.id} {self.os.version_id}".strip()

    def provenance(self, package: OsPackage) -> Provenance | None:
        """The layer that first installed this version of the package."""
        return self.introduced.get((package.manager, package.name, package.version))


def is_inventory_path(path: str) -> bool:
    """Whether a path holds OS inventory data."""
    return (
        path in OS_RELEASE
        or path in _DATABASES
        or path in _UNSUPPORTED
        or (path.startswith(DPKG_STATUS_D) and not path.endswith(".md5sums"))
    )


def _content(entry: ImageEntry) -> bytes:
    if entry.data is not None:
        return entry.data
    if entry.abspath:
        return Path(entry.abspath).read_bytes()
    return b""


def _os_packages(path: str, raw: bytes) -> tuple[list[OsPackage], list[str]]:
    if path == APK_INSTALLED:
        return parse_apk_installed(raw.decode("utf-8", errors="replace")), []
    if path in SQLITE_PATHS or path in BDB_PATHS:
        headers, problems = (read_sqlite_rpmdb if path in SQLITE_PATHS else read_bdb_rpmdb)(raw)
        packages = [
            OsPackage(
                manager="rpm",
                name=h.name,
                version=h.evr,
                arch=h.arch,
                source_name=h.source_name,
                source_version=h.evr,
                license=h.license,
            )
            for h in headers
        ]
        return packages, [f"/{path}: {p}" for p in problems]
    return parse_dpkg_status(raw.decode("utf-8", errors="replace")), []


class InventoryCollector:
    """Builds an :class:`ImageInventory` from the view's entries, one at a time."""

    def __init__(self) -> None:
        self.inventory = ImageInventory()
        self._releases: dict[str, OsInfo | None] = {}
        self._done = False

    def add(self, entry: ImageEntry) -> None:
        """Take what one member of one layer says about the inventory."""
        if entry.kind is not EntryKind.FILE:
            return
        if is_inventory_path(entry.path):
            self._database(entry)
        elif entry.status is FileStatus.PRESENT and wants(entry.path, entry.mode):
            self._language(entry)

    def _database(self, entry: ImageEntry) -> None:
        present = entry.status is FileStatus.PRESENT
        inventory = self.inventory
        if entry.path in _UNSUPPORTED:
            if present:
                inventory.warnings.append(
                    f"/{entry.path}: NDB rpm databases (SUSE) are not supported; "
                    "rpm packages of this image are unknown"
                )
            return
        if entry.truncated:
            if present:
                inventory.warnings.append(f"{entry.path}: too large to read; packages unknown")
            return
        raw = _content(entry)
        if entry.path in OS_RELEASE:
            if present:
                self._releases[entry.path] = parse_os_release(raw.decode("utf-8", "replace"))
            return
        try:
            found, problems = _os_packages(entry.path, raw)
        except ImageError as exc:
            if present:
                inventory.warnings.append(f"/{entry.path}: {exc}; packages unknown")
            return
        where = Provenance.of(entry)
        for package in found:
            key = (package.manager, package.name, package.version)
            known = inventory.introduced.get(key)
            if known is None or where.layer_index < known.layer_index:
                inventory.introduced[key] = where
            if present:
                inventory.packages.append(package)
                inventory.sources[f"{package.manager}:{package.name}"] = "/" + entry.path
        if present:
            inventory.warnings.extend(problems)

    def _language(self, entry: ImageEntry) -> None:
        if entry.data is None and (not entry.abspath or entry.size > MAX_LANGUAGE_FILE):
            return  # over the size limits
        try:
            raw = _content(entry)
        except OSError as exc:
            self.inventory.warnings.append(f"/{entry.path}: cannot read ({exc.strerror})")
            return
        found, problems = packages_in(entry.path, raw)
        where = Provenance.of(entry)
        self.inventory.language.extend((package, where) for package in found)
        self.inventory.warnings.extend(f"/{p}" for p in problems)

    def finish(self) -> ImageInventory:
        """The inventory, once every entry has been added."""
        inventory = self.inventory
        if self._done:
            return inventory
        self._done = True
        # etc/os-release wins over the usr/lib fallback it usually links to (os-release(5)).
        inventory.os = self._releases.get(OS_RELEASE[0]) or self._releases.get(OS_RELEASE[1])
        if inventory.os is None:
            inventory.warnings.append("unknown OS: no os-release with an ID in the image")
        inventory.packages.sort(key=lambda p: (p.manager, p.name, p.version))
        inventory.language.sort(key=lambda item: (item[0].path, item[0].name, item[0].version))
        return inventory


def build_inventory(entries: Iterable[ImageEntry]) -> ImageInventory:
    """The inventory of a sequence of view entries (every layer, last first)."""
    collector = InventoryCollector()
    for entry in entries:
        collector.add(entry)
    return collector.finish()
