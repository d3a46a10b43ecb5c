"""The inventory of an image: its OS and OS packages, from the files visible in the image."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from shieldwall.image.entry import EntryKind, FileStatus, ImageEntry
from shieldwall.image.packages import (
    OsInfo,
    OsPackage,
    parse_apk_installed,
    parse_dpkg_status,
    parse_os_release,
)

OS_RELEASE = ("etc/os-release", "usr/lib/os-release")
DPKG_STATUS = "var/lib/dpkg/status"
DPKG_STATUS_D = "var/lib/dpkg/status.d/"
APK_INSTALLED = "lib/apk/db/installed"


@dataclass(slots=True)
class ImageInventory:
    """What the image ships: OS, OS packages and the database each came from."""

    os: OsInfo | None = None
    packages: list[OsPackage] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # package key -> database path
    warnings: list[str] = field(default_factory=list)

    def describe_os(self) -> str:
        """A one-line name of the OS, or ``unknown``."""
        if self.os is None:
            return "unknown"
        return self.os.pretty_name or f"{self.os.id} {self.os.version_id}".strip()


def is_inventory_path(path: str) -> bool:
    """Whether a path holds OS inventory data."""
    return (
        path in OS_RELEASE
        or path in {DPKG_STATUS, APK_INSTALLED}
        or (path.startswith(DPKG_STATUS_D) and not path.endswith(".md5sums"))
    )


def _content(entry: ImageEntry) -> str:
    if entry.data is not None:
        raw = entry.data
    elif entry.abspath:
        raw = Path(entry.abspath).read_bytes()
    else:
        return ""
    return raw.decode("utf-8", errors="replace")


def build_inventory(entries: Iterable[ImageEntry]) -> ImageInventory:
    """The inventory from the present files of the image (others are ignored)."""
    inventory = ImageInventory()
    releases: dict[str, OsInfo | None] = {}
    for entry in entries:
        if entry.status is not FileStatus.PRESENT or entry.kind is not EntryKind.FILE:
            continue
        if not is_inventory_path(entry.path):
            continue
        if entry.truncated:
            inventory.warnings.append(f"{entry.path}: too large to read; packages unknown")
            continue
        text = _content(entry)
        if entry.path in OS_RELEASE:
            releases[entry.path] = parse_os_release(text)
            continue
        found = (
            parse_apk_installed(text) if entry.path == APK_INSTALLED else parse_dpkg_status(text)
        )
        for package in found:
            inventory.packages.append(package)
            inventory.sources[f"{package.manager}:{package.name}"] = "/" + entry.path
    # etc/os-release wins over the usr/lib fallback it usually links to (os-release(5)).
    inventory.os = releases.get(OS_RELEASE[0]) or releases.get(OS_RELEASE[1])
    if inventory.os is None:
        inventory.warnings.append("unknown OS: no os-release with an ID in the image")
    inventory.packages.sort(key=lambda p: (p.manager, p.name, p.version))
    return inventory
