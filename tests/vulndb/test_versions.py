"""Version schemes against the edge cases of each ecosystem's specification."""

from __future__ import annotations

import pytest

from shieldwall.vulndb.errors import InvalidVersionError
from shieldwall.vulndb.versions import scheme_for
from shieldwall.vulndb.versions.composer import php_version_compare


def ordered(ecosystem: str, versions: list[str]) -> None:
    scheme = scheme_for(ecosystem)
    keys = [scheme.key(v) for v in versions]
    for lower, higher, a, b in zip(keys, keys[1:], versions, versions[1:], strict=False):
        assert lower < higher, f"{ecosystem}: expected {a} < {b}"
        assert not higher < lower


def equal(ecosystem: str, left: str, right: str) -> None:
    scheme = scheme_for(ecosystem)
    assert scheme.key(left) == scheme.key(right), f"{left} == {right}"


def test_pep440_order_from_the_spec() -> None:
    # PEP 440 "Summary of permitted suffixes and relative ordering".
    ordered(
        "PyPI",
        [
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.1.dev1",
            "1!0.1",
        ],
    )


def test_pep440_normalisation() -> None:
    equal("PyPI", "1.0", "1.0.0")
    equal("PyPI", "1.0RC1", "1.0rc1")
    equal("PyPI", "1.0-alpha-1", "1.0a1")
    equal("PyPI", "v1.0", "1.0")
    equal("PyPI", "1.0.post1", "1.0-1")
    with pytest.raises(InvalidVersionError):
        scheme_for("PyPI").key("2019-09-12-garbage")


def test_semver_precedence_from_the_spec() -> None:
    # semver.org item 11 example.
    ordered(
        "npm",
        [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ],
    )
    equal("npm", "1.0.0+build.1", "1.0.0+build.2")
    equal("npm", "v1.2.3", "=1.2.3")
    with pytest.raises(InvalidVersionError):
        scheme_for("npm").key("1.02.3")  # leading zeros are not allowed
    with pytest.raises(InvalidVersionError):
        scheme_for("npm").key("latest")


def test_cargo_zero_prerelease_is_the_lowest_of_a_release() -> None:
    # RustSec writes "introduced: 0.4.0-0" to include every pre-release of 0.4.0.
    ordered("crates.io", ["0.3.9", "0.4.0-0", "0.4.0-alpha", "0.4.0"])


def test_go_pseudo_versions_and_incompatible() -> None:
    ordered(
        "Go",
        [
            "v0.0.0-20160722212129-ac0cc4484ad4",
            "v0.0.0-20200131131040-063a3fb69896",
            "v0.1.0",
            "v1.2.3-pre",
            "v1.2.4-0.20191109021931-daa7c04131f5",  # pseudo-version after v1.2.3
            "v1.2.4",
        ],
    )
    equal("Go", "v2.0.0+incompatible", "2.0.0")


def test_rubygems_order() -> None:
    ordered(
        "RubyGems",
        ["0.9.9", "1.0.0.a", "1.0.0.b1", "1.0.0.pre", "1.0.0.rc1", "1.0.0", "1.0.0.1", "1.1"],
    )
    equal("RubyGems", "1.0", "1.0.0")
    equal("RubyGems", "1.0.0-rc1", "1.0.0.pre.rc1")  # Gem::Version reads "-" as ".pre."


def test_composer_order_and_php_version_compare() -> None:
    ordered(
        "Packagist",
        ["1.0.0-dev", "1.0.0-alpha1", "1.0.0-beta2", "1.0.0-RC1", "1.0.0", "1.0.0-p1", "1.0.1"],
    )
    equal("Packagist", "v1.2", "1.2.0.0")
    # php -r 'var_dump(version_compare("1.0rc1", "1.0"));' is -1, "1.0pl1" vs "1.0" is 1.
    assert php_version_compare("1.0rc1", "1.0") == -1
    assert php_version_compare("1.0pl1", "1.0") == 1
    assert php_version_compare("5.2", "5.10") == -1
    with pytest.raises(InvalidVersionError):
        scheme_for("Packagist").key("dev-master")


def test_maven_order_from_the_pom_reference() -> None:
    # https://maven.apache.org/pom.html#version-order-specification examples.
    ordered(
        "Maven",
        ["1-alpha", "1-beta", "1-milestone", "1-rc", "1-snapshot", "1", "1-sp", "1-abc", "1.1"],
    )
    equal("Maven", "1", "1.0")
    equal("Maven", "1.0.0", "1-ga")
    equal("Maven", "1-final", "1")
    equal("Maven", "1-cr1", "1-rc1")
    equal("Maven", "1a1", "1-alpha-1")
    ordered("Maven", ["1-foo2", "1-foo10"])
    ordered("Maven", ["1.0-alpha1", "1.0-SNAPSHOT", "1.0", "1.0.1"])


def test_nuget_order() -> None:
    ordered("NuGet", ["1.0.0-alpha", "1.0.0-Beta", "1.0.0", "1.0.0.1", "1.0.1"])
    equal("NuGet", "1.0", "1.0.0.0")
    equal("NuGet", "1.0.0-RC.1", "1.0.0-rc.1")
    equal("NuGet", "1.0.0+meta", "1.0.0")


def test_unknown_ecosystem() -> None:
    # Distribution ecosystems (Debian:11 ...) are known now: see test_os_versions.py.
    with pytest.raises(InvalidVersionError, match="unknown ecosystem"):
        scheme_for("Hackage")
