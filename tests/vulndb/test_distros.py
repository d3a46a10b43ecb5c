"""Which OSV ecosystems describe an image's os-release, and parsing OSV distribution names."""

from __future__ import annotations

import pytest

from shieldwall.vulndb.distros import OsFamily, PackageFormat, ecosystems_for, parse_os_ecosystem


@pytest.mark.parametrize(
    ("os_id", "version_id", "expected"),
    [
        ("debian", "12", ["Debian:12"]),
        ("debian", "11.9", ["Debian:11"]),
        ("ubuntu", "22.04", ["Ubuntu:22.04:LTS", "Ubuntu:22.04"]),
        ("alpine", "3.19.1", ["Alpine:v3.19"]),
        ("wolfi", "20230201", ["Wolfi"]),
        ("rocky", "9.3", ["Rocky Linux:9"]),
        ("almalinux", "8.10", ["AlmaLinux:8"]),
        ("rhel", "9.4", ["Red Hat:enterprise_linux:9::baseos",
                         "Red Hat:enterprise_linux:9::appstream",
                         "Red Hat:enterprise_linux:9::crb"]),
        ("debian", "", []),  # sid/testing have no VERSION_ID: no release to match
        ("kali", "2024.1", []),  # a derivative: its versions are not Debian's
        ("fedora", "40", []),
    ],
)  # fmt: skip
def test_ecosystems_for_os_release(os_id: str, version_id: str, expected: list[str]) -> None:
    assert [e.value for e in ecosystems_for(os_id, version_id)] == expected


def test_parse_os_ecosystem() -> None:
    ubuntu = parse_os_ecosystem("Ubuntu:Pro:18.04:LTS")
    assert ubuntu is not None
    assert (ubuntu.family, ubuntu.release, ubuntu.package_format) == (
        OsFamily.UBUNTU, "Pro:18.04:LTS", PackageFormat.DPKG,
    )  # fmt: skip
    rocky = parse_os_ecosystem("rocky linux:9")
    assert rocky is not None and rocky.value == "Rocky Linux:9"
    assert rocky.package_format is PackageFormat.RPM
    assert parse_os_ecosystem("PyPI") is None
    assert parse_os_ecosystem("Android") is None
