"""Installed Python packages: ``*.dist-info/METADATA`` (core metadata, an RFC 822 header block)."""

from __future__ import annotations

import re
from email.parser import HeaderParser
from typing import ClassVar

from shieldwall.analyzers.deps.collectors.base import (
    CollectorError,
    Inventory,
    InventoryKind,
    Package,
)
from shieldwall.vulndb.ecosystems import Ecosystem

_CLASSIFIER_PREFIX = "License :: "
_DIST_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_EXTRA = re.compile(r";.*\bextra\s*==")


def metadata_licenses(headers: dict[str, list[str]]) -> tuple[str, ...]:
    """Declared licenses: License-Expression (PEP 639), else License, else classifiers."""
    if headers.get("License-Expression"):
        return (headers["License-Expression"][0].strip(),)
    license_text = (headers.get("License") or [""])[0].strip()
    if license_text and "\n" not in license_text and len(license_text) < 100:
        return (license_text,)
    classifiers = [
        c.rsplit(" :: ", 1)[-1]
        for c in headers.get("Classifier", [])
        if c.startswith(_CLASSIFIER_PREFIX)
    ]
    return tuple(classifiers)


class DistInfoCollector:
    """One installed distribution per METADATA file."""

    name: ClassVar[str] = "dist-info"
    ecosystem: ClassVar[Ecosystem] = Ecosystem.PYPI
    kind: ClassVar[InventoryKind] = InventoryKind.ENVIRONMENT

    def matches(self, path: str) -> bool:
        """``<name>-<version>.dist-info/METADATA``."""
        parts = path.rsplit("/", 2)
        return len(parts) >= 2 and parts[-1] == "METADATA" and parts[-2].endswith(".dist-info")

    def collect(self, path: str, text: str) -> Inventory:
        """The installed distribution with its license and requirements."""
        message = HeaderParser().parsestr(text)
        headers: dict[str, list[str]] = {}
        for key, value in message.items():
            headers.setdefault(key, []).append(str(value))
        name, version = message.get("Name"), message.get("Version")
        if not name or not version:
            raise CollectorError(f"{path}: no Name/Version headers; not core metadata")
        requires = []
        for spec in headers.get("Requires-Dist", []):
            if _EXTRA.search(spec):
                continue  # only installed with an extra
            required = _DIST_NAME.match(spec)
            if required:
                requires.append(required.group(0))
        package = Package(
            name=str(name),
            version=str(version),
            ecosystem=Ecosystem.PYPI,
            line=1,
            dependency_path=(f"{name}@{version}",),
            dependencies=tuple(requires),
            licenses=metadata_licenses(headers),
        )
        return Inventory(path, Ecosystem.PYPI, InventoryKind.ENVIRONMENT, (package,))
