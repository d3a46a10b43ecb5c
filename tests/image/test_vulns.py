"""OS and language package vulnerabilities in images, end to end through ``shieldwall image``.

The advisories are shipped fixtures in OSV form (``tests/data/image/osv-os.jsonl``: hand-written
Debian, Alpine and Rocky records plus two real Go records); the images are built here, with a
real rpm database made by rpm 4.18 (``tests/data/image/rpmdb-rocky9.sqlite``).
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shieldwall.cli.app import app
from tests.image.build import DATA, M, docker_save, layer, make_config, oci_layout
from tests.image.pkgfixtures import GEMSPEC_RACK, go_binary, jar

ROCKY_RELEASE = b'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n'
LIBC_BIN = b"""
Package: libc-bin
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u14
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A cache whose advisory index holds the fixture records."""
    env = {"SHIELDWALL_CACHE_DIR": str(tmp_path / "cache")}
    imported = CliRunner().invoke(app, ["db", "import", str(DATA / "osv-os.jsonl")], env=env)
    assert imported.exit_code == 0, imported.output
    return env


def _scan(env: dict[str, str], target: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    report = target.parent / "report.json"
    result = CliRunner().invoke(
        app,
        ["image", str(target), "--scanners", "deps", "--offline", "--no-progress", "-q",
         "-f", "json", "-o", str(report), *extra],
        env=env,
    )  # fmt: skip
    document = json.loads(report.read_text()) if report.exists() else {}
    return result.exit_code, document, result.output


def _os_hits(document: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        (f["location"]["name"], f["properties"]["advisories"][0], f["properties"]["fix_status"])
        for f in document["findings"]
        if f["rule"]["id"] == "SW-IMG-006"
    }


def test_debian_packages_match_by_source_with_layers(tmp_path: Path, env: dict[str, str]) -> None:
    status = (DATA / "dpkg-status").read_bytes()
    layers = [
        layer(
            M("etc/", type=tarfile.DIRTYPE, mode=0o755),
            M("etc/os-release", (DATA / "os-release-debian12").read_bytes()),
            M("var/lib/dpkg/status", status),
        ),
        layer(M("var/lib/dpkg/status", status + LIBC_BIN)),
    ]
    steps = ["ADD rootfs.tar /", "RUN apt-get install -y libc-bin"]
    target = docker_save(tmp_path / "deb.tar", layers, make_config(layers, steps, User="app"))
    code, document, output = _scan(env, target)
    assert code == 1, output
    assert _os_hits(document) == {
        ("bash", "DEBIAN-CVE-2099-0004", "fixed"),  # source version 5.2.15-2 < 5.2.15-2+deb12u1
        ("libssl3", "DEBIAN-CVE-2099-0001", "fixed"),  # matched through its source, openssl
        ("libc6", "DEBIAN-CVE-2099-0003", "not-fixed"),
        ("libc-bin", "DEBIAN-CVE-2099-0003", "not-fixed"),
    }
    by_name = {f["location"]["name"]: f for f in document["findings"]}
    ssl = by_name["libssl3"]
    assert ssl["properties"]["installed_version"] == "3.0.19-1~deb12u2"
    assert ssl["properties"]["source_package"] == "openssl"
    assert ssl["properties"]["fixed_versions"] == ["3.0.19-1~deb12u3"]
    assert ssl["fix"]["fixed_versions"] == ["3.0.19-1~deb12u3"]
    assert ssl["location"]["ecosystem"] == "Debian:12"
    assert ssl["location"]["purl"].startswith("pkg:deb/debian/libssl3@3.0.19-1~deb12u2?")
    assert (ssl["severity"], ssl["properties"]["cvss_score"]) == ("critical", 9.1)  # CVSS 3.1
    # The package came with the base layer even though layer 1 rewrote the status file.
    assert (ssl["properties"]["image_layer_index"], ssl["properties"]["image_created_by"]) == (
        0,
        steps[0],
    )
    assert by_name["libc-bin"]["properties"]["image_created_by"] == steps[1]
    assert "no fixed version" in by_name["libc-bin"]["message"]
    assert not any("not matched" in w for w in document["warnings"])


def test_alpine_packages_match_by_origin(tmp_path: Path, env: dict[str, str]) -> None:
    layers = [
        layer(
            M("etc/os-release", (DATA / "os-release-alpine").read_bytes()),
            M("lib/apk/db/installed", (DATA / "apk-installed").read_bytes()),
        )
    ]
    target = oci_layout(tmp_path / "alpine", layers, make_config(layers, User="app"))
    code, document, output = _scan(env, target)
    assert code == 1, output
    assert _os_hits(document) == {
        ("libcrypto3", "ALPINE-CVE-2099-0101", "fixed"),
        ("musl", "ALPINE-CVE-2099-0104", "fixed"),  # 1.2.4-r2 < 1.2.4_git20230717-r4
    }


def test_ubuntu_lts_release(tmp_path: Path, env: dict[str, str]) -> None:
    release = b'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n'
    status = (
        b"Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\n"
        b"Source: openssl\nVersion: 3.0.2-0ubuntu1.12\n"
    )
    layers = [layer(M("etc/os-release", release), M("var/lib/dpkg/status", status))]
    target = docker_save(tmp_path / "jammy.tar", layers, make_config(layers, User="app"))
    code, document, output = _scan(env, target)
    assert code == 1, output
    # The Pro (ESM) record is for another ecosystem: it does not apply to a plain image.
    assert _os_hits(document) == {("libssl3", "UBUNTU-CVE-2099-0401", "fixed")}


def test_rocky_rpmdb_sqlite(tmp_path: Path, env: dict[str, str]) -> None:
    layers = [
        layer(
            M("etc/os-release", ROCKY_RELEASE),
            M("var/lib/rpm/rpmdb.sqlite", (DATA / "rpmdb-rocky9.sqlite").read_bytes()),
        )
    ]
    target = docker_save(tmp_path / "rocky.tar", layers, make_config(layers, User="app"))
    code, document, output = _scan(env, target)
    assert code == 1, output
    # Both binary packages of the openssl source RPM; bash 5.1.8-6.el9_1 is past the fix.
    assert _os_hits(document) == {
        ("openssl", "RLSA-2099:0201", "fixed"),
        ("openssl-libs", "RLSA-2099:0201", "fixed"),
    }
    found = next(f for f in document["findings"] if f["location"]["name"] == "openssl-libs")
    assert found["properties"]["installed_version"] == "1:3.0.7-24.el9"
    assert found["location"]["purl"] == (
        "pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=noarch&distro=rocky-9.3&epoch=1&upstream=openssl"
    )


def test_rocky8_berkeley_db(tmp_path: Path, env: dict[str, str]) -> None:
    release = ROCKY_RELEASE.replace(b"9.3", b"8.9")
    bdb = (DATA / "rpm" / "Packages-bdb-512").read_bytes()
    layers = [layer(M("etc/os-release", release), M("var/lib/rpm/Packages", bdb))]
    target = docker_save(tmp_path / "rocky8.tar", layers, make_config(layers, User="app"))
    code, document, output = _scan(env, target)
    assert code == 1, output
    assert _os_hits(document) == {
        ("openssl", "RLSA-2099:0801", "fixed"),
        ("openssl-libs", "RLSA-2099:0801", "fixed"),
    }


def test_language_packages_in_archives_and_binaries(tmp_path: Path, env: dict[str, str]) -> None:
    log4j = jar(("org.apache.logging.log4j", "log4j-core", "2.14.1"))
    war = jar(("com.example", "shop", "1.0"), nested={"WEB-INF/lib/log4j-core.jar": log4j})
    gems = "usr/local/bundle/specifications"
    go = go_binary(
        "go1.19.8", ["mod\texample.com/app\t(devel)\t", "dep\tgolang.org/x/text\tv0.3.7\th1:x"]
    )
    layers = [
        layer(M("opt/app/shop.war", war), M(f"{gems}/rack-2.2.3.gemspec", GEMSPEC_RACK)),
        layer(
            M("srv/node_modules/lodash/package.json", b'{"name":"lodash","version":"4.17.20"}'),
            M(
                "usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info",
                b"Name: PyYAML\nVersion: 5.3.1\n",
            ),
            M("usr/local/bin/app", go, mode=0o755),
        ),
    ]
    steps = ["COPY shop.war /opt/app/", "RUN build"]
    target = docker_save(tmp_path / "lang.tar", layers, make_config(layers, steps, User="app"))
    code, document, output = _scan(env, target)
    assert code == 1, output
    hits = {
        (f["rule"]["id"], f["location"]["path"], f["properties"]["advisories"][0],
         f["properties"]["image_created_by"])
        for f in document["findings"]
    }  # fmt: skip
    dep = "SW-DEP-001"
    egg = "usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info"
    assert hits == {
        (dep, "opt/app/shop.war!/WEB-INF/lib/log4j-core.jar", "GHSA-fixture-maven-0001", steps[0]),
        (dep, f"{gems}/rack-2.2.3.gemspec", "GHSA-fixture-gem-0001", steps[0]),
        (dep, "srv/node_modules/lodash/package.json", "GHSA-fixture-npm-0001", steps[1]),
        (dep, egg, "GHSA-fixture-pypi-0001", steps[1]),
        (dep, "usr/local/bin/app", "GO-2022-1059", steps[1]),  # golang.org/x/text v0.3.7
        (dep, "usr/local/bin/app", "GO-2023-1751", steps[1]),  # stdlib 1.19.8
    }


def test_unknown_distribution_is_said_aloud(tmp_path: Path, env: dict[str, str]) -> None:
    layers = [
        layer(
            M("etc/os-release", b"ID=plan9\nVERSION_ID=4\n"),
            M("var/lib/dpkg/status", (DATA / "dpkg-status").read_bytes()),
        )
    ]
    target = docker_save(tmp_path / "odd.tar", layers, make_config(layers, User="app"))
    code, document, output = _scan(env, target)
    assert code == 0, output
    assert _os_hits(document) == set()
    assert any("not matched" in w for w in document["warnings"])


def test_no_advisory_database_aborts_with_advice(tmp_path: Path) -> None:
    layers = [
        layer(
            M("etc/os-release", (DATA / "os-release-debian12").read_bytes()),
            M("var/lib/dpkg/status", (DATA / "dpkg-status").read_bytes()),
        )
    ]
    target = docker_save(tmp_path / "deb.tar", layers, make_config(layers, User="app"))
    code, _, output = _scan({"SHIELDWALL_CACHE_DIR": str(tmp_path / "empty")}, target)
    assert code == 3
    assert "shieldwall db" in output


def test_executables_over_the_size_limit_are_still_inventoried(
    tmp_path: Path, env: dict[str, str]
) -> None:
    go = go_binary("go1.19.8", ["dep\tgolang.org/x/text\tv0.3.7\th1:x"])
    big = go[:64] + b"\0" * (3 << 20) + go[64:]  # 3 MiB: over --max-file-size 1 MiB
    log4j = jar(("org.apache.logging.log4j", "log4j-core", "2.14.1"))
    layers = [layer(M("usr/local/bin/big", big, mode=0o755), M("opt/lib/log4j.jar", log4j))]
    target = docker_save(tmp_path / "big.tar", layers, make_config(layers, User="app"))
    code, document, output = _scan(env, target, "--max-file-size", str(1 << 20))
    assert code == 1, output
    assert {
        (f["location"]["path"], f["properties"]["advisories"][0]) for f in document["findings"]
    } == {
        ("usr/local/bin/big", "GO-2022-1059"),
        ("usr/local/bin/big", "GO-2023-1751"),
        ("opt/lib/log4j.jar", "GHSA-fixture-maven-0001"),
    }
