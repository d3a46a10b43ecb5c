"""OSV ecosystem names, package-name normalisation and purl types."""

from __future__ import annotations

import re
from enum import StrEnum

from shieldwall.vulndb.distros import OsEcosystem
from shieldwall.vulndb.errors import InvalidVersionError


class Ecosystem(StrEnum):
    """The OSV ecosystems shieldwall reads lockfiles of and matches advisories for."""

    PYPI = "PyPI"
    NPM = "npm"
    GO = "Go"
    CRATES_IO = "crates.io"
    RUBYGEMS = "RubyGems"
    PACKAGIST = "Packagist"
    MAVEN = "Maven"
    NUGET = "NuGet"


# A language registry, or a distribution release (``Debian:12``): both have a ``value`` string.
AnyEcosystem = Ecosystem | OsEcosystem

_PURL_TYPES = {
    Ecosystem.PYPI: "pypi",
    Ecosystem.NPM: "npm",
    Ecosystem.GO: "golang",
    Ecosystem.CRATES_IO: "cargo",
    Ecosystem.RUBYGEMS: "gem",
    Ecosystem.PACKAGIST: "composer",
    Ecosystem.MAVEN: "maven",
    Ecosystem.NUGET: "nuget",
}
_PEP503 = re.compile(r"[-_.]+")
_BY_LOWER = {e.value.lower(): e for e in Ecosystem}


def parse_ecosystem(name: str) -> Ecosystem:
    """The ecosystem for an OSV name (case-insensitive; ``Debian:11``-style suffixes rejected)."""
    try:
        return _BY_LOWER[name.strip().lower()]
    except KeyError:
        raise InvalidVersionError(f"unknown ecosystem {name!r}") from None


def normalize_name(ecosystem: AnyEcosystem, name: str) -> str:
    """The index key of a package name, following each registry's own equivalence rules."""
    name = name.strip()
    if isinstance(ecosystem, OsEcosystem):
        return name  # distribution package names are matched exactly, as their tools do
    match ecosystem:
        case Ecosystem.PYPI:
            return _PEP503.sub("-", name).lower()  # PEP 503 normalisation
        case Ecosystem.NPM | Ecosystem.PACKAGIST | Ecosystem.NUGET | Ecosystem.CRATES_IO:
            return name.lower()  # registries that treat names case-insensitively
        case Ecosystem.GO | Ecosystem.RUBYGEMS | Ecosystem.MAVEN:
            return name  # case-sensitive names


def purl_for(ecosystem: Ecosystem, name: str, version: str | None = None) -> str:
    """The package URL (https://github.com/package-url/purl-spec) of a package."""
    from packageurl import PackageURL

    namespace: str | None = None
    short = name
    if ecosystem in {Ecosystem.MAVEN} and ":" in name:
        namespace, short = name.split(":", 1)
    elif ecosystem in {Ecosystem.NPM, Ecosystem.GO, Ecosystem.PACKAGIST} and "/" in name:
        namespace, short = name.rsplit("/", 1)
    elif ecosystem is Ecosystem.PYPI:
        short = _PEP503.sub("-", name).lower()
    return str(
        PackageURL(type=_PURL_TYPES[ecosystem], namespace=namespace, name=short, version=version)
    )
