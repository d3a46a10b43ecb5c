"""Which version scheme each OSV ecosystem uses."""

from __future__ import annotations

from shieldwall.vulndb.errors import InvalidVersionError
from shieldwall.vulndb.versions.base import VersionScheme
from shieldwall.vulndb.versions.composer import ComposerScheme
from shieldwall.vulndb.versions.maven import MavenScheme
from shieldwall.vulndb.versions.nuget import NuGetScheme
from shieldwall.vulndb.versions.pep440 import Pep440Scheme
from shieldwall.vulndb.versions.rubygems import RubyGemsScheme
from shieldwall.vulndb.versions.semver import GoScheme, SemverScheme

_SCHEMES: dict[str, VersionScheme] = {
    "PyPI": Pep440Scheme(),
    "npm": SemverScheme(),
    "crates.io": SemverScheme(),
    "Go": GoScheme(),
    "RubyGems": RubyGemsScheme(),
    "Packagist": ComposerScheme(),
    "Maven": MavenScheme(),
    "NuGet": NuGetScheme(),
}
SEMVER = SemverScheme()


def supported_ecosystems() -> tuple[str, ...]:
    """The OSV ecosystem names shieldwall can compare versions in."""
    return tuple(_SCHEMES)


def scheme_for(ecosystem: str, range_type: str = "ECOSYSTEM") -> VersionScheme:
    """The scheme for an ecosystem; OSV ``SEMVER`` ranges always use SemVer 2.0.

    Go's SEMVER ranges keep the Go scheme (it is SemVer with a ``v`` prefix allowed).
    """
    if range_type == "SEMVER" and ecosystem != "Go":
        return SEMVER
    try:
        return _SCHEMES[ecosystem]
    except KeyError:
        raise InvalidVersionError(f"unknown ecosystem {ecosystem!r}") from None
