"""OSV ecosystems of Linux distributions: ``Debian:12``, ``Alpine:v3.19``, ``Ubuntu:22.04:LTS``.

The OSV schema (``docs/schema.md``, "Ecosystems") names a distribution's packages with the
distribution's name and a release suffix: ``Debian:<N>`` (or a series, ``Debian:sid``),
``Ubuntu:<YY.MM>[:LTS]`` (``Ubuntu:Pro:18.04:LTS`` for ESM fixes), ``Alpine:v<X.Y>``,
``Rocky Linux:<N>``, ``AlmaLinux:<N>``, ``Red Hat:<CPE without cpe:/[oa]:redhat:>``
(``Red Hat:enterprise_linux:9::appstream``). Debian, Ubuntu, Alpine, Rocky and Alma key their
records by *source* package; Red Hat by binary RPM. This module names those ecosystems and says,
for an image's os-release, which ones describe it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OsFamily(StrEnum):
    """The distribution part of an OSV ecosystem name, with its spelling in OSV."""

    DEBIAN = "Debian"
    UBUNTU = "Ubuntu"
    ALPINE = "Alpine"
    WOLFI = "Wolfi"
    CHAINGUARD = "Chainguard"
    RED_HAT = "Red Hat"
    ROCKY = "Rocky Linux"
    ALMA = "AlmaLinux"
    SUSE = "SUSE"
    OPENSUSE = "openSUSE"
    MAGEIA = "Mageia"
    AZURE_LINUX = "Azure Linux"
    OPENEULER = "openEuler"


class PackageFormat(StrEnum):
    """Which package manager's version ordering a family uses."""

    DPKG = "dpkg"
    APK = "apk"
    RPM = "rpm"


FORMATS = {
    OsFamily.DEBIAN: PackageFormat.DPKG,
    OsFamily.UBUNTU: PackageFormat.DPKG,
    OsFamily.ALPINE: PackageFormat.APK,
    OsFamily.WOLFI: PackageFormat.APK,
    OsFamily.CHAINGUARD: PackageFormat.APK,
}
# Families whose OSV records name the source package (the others name binary packages).
BY_SOURCE = frozenset(
    {OsFamily.DEBIAN, OsFamily.UBUNTU, OsFamily.ALPINE, OsFamily.ROCKY, OsFamily.ALMA}
)
_BY_LOWER = {f.value.lower(): f for f in OsFamily}


@dataclass(frozen=True, slots=True)
class OsEcosystem:
    """One OSV distribution ecosystem: the family and the release suffix as OSV spells it."""

    family: OsFamily
    release: str = ""

    @property
    def value(self) -> str:
        """The OSV ecosystem string (``Debian:12``): the index key."""
        return f"{self.family.value}:{self.release}" if self.release else self.family.value

    @property
    def package_format(self) -> PackageFormat:
        """The package manager whose version ordering applies."""
        return FORMATS.get(self.family, PackageFormat.RPM)

    def __str__(self) -> str:
        return self.value


def parse_os_ecosystem(name: str) -> OsEcosystem | None:
    """The distribution ecosystem an OSV name denotes, or None for any other name."""
    family_name, _, release = name.strip().partition(":")
    family = _BY_LOWER.get(family_name.strip().lower())
    if family is None:
        return None
    return OsEcosystem(family, release.strip())


def _major(version_id: str) -> str:
    return version_id.split(".", 1)[0]


def ecosystems_for(os_id: str, version_id: str) -> tuple[OsEcosystem, ...]:
    """The OSV ecosystems whose advisories apply to an os-release ``ID``/``VERSION_ID``.

    Empty when the distribution (or its release) is one OSV has no advisories for: the caller
    says so rather than reporting a clean result.
    """
    os_id = os_id.lower()
    match os_id:
        case "debian" if version_id:
            return (OsEcosystem(OsFamily.DEBIAN, _major(version_id)),)
        case "ubuntu" if version_id:
            # An LTS release is spelt with the suffix; interim releases without it. The
            # os-release does not say which, so both are candidates (only one exists in OSV).
            return (
                OsEcosystem(OsFamily.UBUNTU, f"{version_id}:LTS"),
                OsEcosystem(OsFamily.UBUNTU, version_id),
            )
        case "alpine" if version_id:
            return (OsEcosystem(OsFamily.ALPINE, "v" + ".".join(version_id.split(".")[:2])),)
        case "wolfi":
            return (OsEcosystem(OsFamily.WOLFI),)
        case "chainguard":
            return (OsEcosystem(OsFamily.CHAINGUARD),)
        case "rocky" if version_id:
            return (OsEcosystem(OsFamily.ROCKY, _major(version_id)),)
        case "almalinux" if version_id:
            return (OsEcosystem(OsFamily.ALMA, _major(version_id)),)
        case "rhel" if version_id:
            major = _major(version_id)
            return tuple(
                OsEcosystem(OsFamily.RED_HAT, f"enterprise_linux:{major}::{stream}")
                for stream in ("baseos", "appstream", "crb")
            )
    # Derivatives (Kali, Raspbian, CentOS Stream, Fedora ...) have versions of their own: a
    # parent's advisories would be compared with the wrong release, so none are used.
    return ()
