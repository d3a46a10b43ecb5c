"""OS inventory (os-release, dpkg, apk) and the image SBOM."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.image.inventory import build_inventory
from shieldwall.image.packages import parse_apk_installed, parse_dpkg_status, parse_os_release
from shieldwall.image.target import open_image
from tests.image.build import DATA, M, docker_save, layer, make_config, oci_layout
from tests.sbom.test_sbom import cyclonedx_validator


def test_dpkg_status_of_a_real_debian_system() -> None:
    packages = {p.name: p for p in parse_dpkg_status((DATA / "dpkg-status").read_text())}
    assert set(packages) == {
        "base-files", "bash", "libc6", "libssl3", "libzstd1", "perl-base", "tar", "zlib1g",
    }  # fmt: skip
    libc = packages["libc6"]
    assert (libc.version, libc.source_name, libc.source_version) == (
        "2.36-9+deb12u14", "glibc", "2.36-9+deb12u14",
    )  # fmt: skip
    bash = packages["bash"]  # "Source: bash (5.2.15-2)": binNMU version differs from source
    assert (bash.version, bash.source_version) == ("5.2.15-2+b8", "5.2.15-2")
    assert packages["zlib1g"].version == "1:1.2.13.dfsg-1"


def test_dpkg_skips_removed_but_configured_packages() -> None:
    text = (
        "Package: gone\nStatus: deinstall ok config-files\nVersion: 1.0\n\n"
        "Package: kept\nStatus: install ok installed\nVersion: 2.0\n"
        "Description: first line\n continuation: with a colon\n"
    )
    assert [(p.name, p.version) for p in parse_dpkg_status(text)] == [("kept", "2.0")]


def test_apk_installed() -> None:
    packages = parse_apk_installed((DATA / "apk-installed").read_text())
    assert [(p.name, p.version, p.source_name, p.license) for p in packages] == [
        ("musl", "1.2.4-r2", "musl", "MIT"),
        ("libcrypto3", "3.1.4-r1", "openssl", "Apache-2.0"),
        ("busybox", "1.36.1-r15", "busybox", "GPL-2.0-only"),
    ]


def test_os_release() -> None:
    debian = parse_os_release((DATA / "os-release-debian12").read_text())
    assert debian is not None
    assert (debian.id, debian.version_id) == ("debian", "12")
    alpine = parse_os_release((DATA / "os-release-alpine").read_text())
    assert alpine is not None
    assert (alpine.id, alpine.pretty_name) == ("alpine", "Alpine Linux v3.19")
    assert parse_os_release("NAME=thing\n") is None


def _inventory(tmp_path: Path, layers: list[bytes]):
    opened = open_image(str(docker_save(tmp_path / "i.tar", layers, make_config(layers))))
    with opened.image:
        return build_inventory(opened.entries())


def test_inventory_uses_only_what_the_final_filesystem_shows(tmp_path: Path) -> None:
    base = layer(
        M("etc/os-release", (DATA / "os-release-debian12").read_bytes()),
        M("var/lib/dpkg/status", b"Package: old\nStatus: install ok installed\nVersion: 1\n"),
    )
    upgrade = layer(M("var/lib/dpkg/status", (DATA / "dpkg-status").read_bytes()))
    distroless = layer(
        M("var/lib/dpkg/status.d/tzdata", b"Package: tzdata\nVersion: 2024a-0+deb12u1\n"),
        M("var/lib/dpkg/status.d/tzdata.md5sums", b"abc  usr/share/zoneinfo/UTC\n"),
    )
    inventory = _inventory(tmp_path, [base, upgrade, distroless])
    names = {p.name for p in inventory.packages}
    assert "old" not in names
    assert {"libc6", "tzdata"} <= names
    assert len(names) == 9
    assert inventory.describe_os() == "Debian GNU/Linux 12 (bookworm)"
    assert inventory.warnings == []


def test_unknown_os_is_a_warning(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path, [layer(M("app/run", b"x"))])
    assert inventory.packages == []
    assert inventory.warnings == ["unknown OS: no os-release with an ID in the image"]


def test_sbom_of_an_alpine_oci_image(tmp_path: Path) -> None:
    layers = [
        layer(
            M("etc/os-release", (DATA / "os-release-alpine").read_bytes()),
            M("lib/apk/db/installed", (DATA / "apk-installed").read_bytes()),
            M("usr/lib/python3.11/site-packages/", type=tarfile.DIRTYPE),
            M(
                "usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA",
                b"Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n",
            ),
        )
    ]
    (tmp_path / "oci").mkdir()
    target = oci_layout(tmp_path / "oci", layers, make_config(layers))
    out = tmp_path / "bom.json"
    result = CliRunner().invoke(app, ["sbom", str(target), "--format", "cyclonedx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    bom = json.loads(out.read_text())
    assert bom["specVersion"] == "1.6"
    errors = list(cyclonedx_validator().iter_errors(bom))
    assert errors == [], errors[0].message if errors else ""
    assert bom["metadata"]["component"]["type"] == "container"
    purls = {c.get("purl") for c in bom["components"]}
    assert "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.0" in purls
    assert any(p and p.startswith("pkg:apk/alpine/libcrypto3@3.1.4-r1?") for p in purls)
    assert "pkg:pypi/requests@2.31.0" in purls
    os_component = next(c for c in bom["components"] if c["type"] == "operating-system")
    assert (os_component["name"], os_component["version"]) == ("alpine", "3.19.0")
