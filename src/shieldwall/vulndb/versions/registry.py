"""Which version scheme each OSV ecosystem uses."""

from __future__ import annotations

from shieldwall.vulndb.distros import PackageFormat, parse_os_ecosystem
from shieldwall.vulndb.errors import InvalidVersionError
from shieldwall.vulndb.versions.apk import ApkScheme
from shieldwall.vulndb.versions.base import VersionScheme
from shieldwall.vulndb.versions.composer import ComposerScheme
from shieldwall.vulndb.versions.dpkg import DpkgScheme
from shieldwall.vulndb.versions.maven import MavenScheme
from shieldwall.vulndb.versions.nuget import NuGetScheme
from shieldwall.vulndb.versions.pep440 import Pep440Scheme
from shieldwall.vulndb.versions.rpm import RpmScheme
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
_OS_SCHEMES: dict[PackageFormat, VersionScheme] = {
    PackageFormat.DPKG: DpkgScheme(),
    PackageFormat.APK: ApkScheme(),
    PackageFormat.RPM: RpmScheme(),
}


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
        pass
    os_ecosystem = parse_os_ecosystem(ecosystem)  # Debian:12, Alpine:v3.19, Rocky Linux:9 ...
    if os_ecosystem is None:
        raise InvalidVersionError(f"unknown ecosystem {ecosystem!r}")
    return _OS_SCHEMES[os_ecosystem.package_format]
