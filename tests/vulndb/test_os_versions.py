"""Debian, Alpine and RPM version ordering, against the package managers' own test tables.

The tables in ``tests/vulndb/data`` come from dpkg (``scripts/t/Dpkg_Version.t``), apk-tools
(``test/version.data``) and rpm (``tests/rpmvercmp.at``); each file names its source. Where the
real tool is installed (``dpkg`` here), random versions are also compared with it.
"""

from __future__ import annotations

import itertools
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from shieldwall.vulndb.errors import InvalidVersionError
from shieldwall.vulndb.versions import apk, dpkg, rpm, scheme_for

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split() for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize(("left", "right", "expected"), _rows("dpkg_versions.txt"))
def test_dpkg_table(left: str, right: str, expected: str) -> None:
    assert dpkg.compare(left, right) == int(expected)
    assert dpkg.compare(right, left) == -int(expected)


@pytest.mark.parametrize(("left", "right", "expected"), _rows("rpm_versions.txt"))
def test_rpmvercmp_table(left: str, right: str, expected: str) -> None:
    assert rpm.rpmvercmp(left, right) == int(expected)


_OPS = {"<": -1, "=": 0, ">": 1}


@pytest.mark.parametrize(("left", "op", "right"), _rows("apk_versions.txt"))
def test_apk_table(left: str, op: str, right: str) -> None:
    assert apk.compare(left, right) == _OPS[op]
    assert apk.compare(right, left) == -_OPS[op]


def test_schemes_are_chosen_by_osv_ecosystem() -> None:
    debian = scheme_for("Debian:12")
    assert debian.key("1:1.0-1") > debian.key("2.0-1")  # the epoch wins
    assert debian.key("3.0.11-1~deb12u2") < debian.key("3.0.11-1")
    assert scheme_for("Ubuntu:22.04:LTS").key("1.0~rc1") < scheme_for("Ubuntu:22.04:LTS").key("1.0")
    alpine = scheme_for("Alpine:v3.19")
    assert alpine.key("3.1.4-r5") < alpine.key("3.1.4-r6") < alpine.key("3.1.5_rc1-r0")
    assert alpine.key("3.1.5_rc1-r0") < alpine.key("3.1.5-r0")
    rocky = scheme_for("Rocky Linux:9")
    assert rocky.key("1:3.0.7-24.el9") > rocky.key("3.0.7-27.el9")  # epoch 1 beats epoch 0
    assert rocky.key("0:3.0.7-24.el9") < rocky.key("3.0.7-27.el9")
    assert scheme_for("Red Hat:enterprise_linux:9::appstream").name == "rpm"
    with pytest.raises(InvalidVersionError):
        scheme_for("Plan9:4")


@pytest.mark.parametrize("bad", ["", "a:1.0", "1.0 beta", "1.0-", "1.0_x"])
def test_malformed_debian_versions_are_rejected(bad: str) -> None:
    with pytest.raises(InvalidVersionError):
        scheme_for("Debian:12").key(bad)


@pytest.mark.parametrize("bad", ["", "1.0-x1", "1.0_bogus", "abc"])
def test_malformed_apk_versions_are_rejected(bad: str) -> None:
    with pytest.raises(InvalidVersionError):
        scheme_for("Alpine:v3.20").key(bad)


def _random_debian(rng: random.Random) -> str:
    alphabet = "0123456789.+~abcAZ"
    upstream = str(rng.randint(0, 12)) + "".join(
        rng.choice(alphabet) for _ in range(rng.randint(0, 6))
    )
    revision = "".join(rng.choice("0123456789.+~ab") for _ in range(rng.randint(0, 4)))
    epoch = f"{rng.randint(0, 2)}:" if rng.random() < 0.2 else ""
    return epoch + upstream + (f"-{revision}" if revision else "")


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg is not installed")
def test_dpkg_agrees_with_the_real_dpkg() -> None:
    """A property test: 300 random pairs, each ordered as ``dpkg --compare-versions`` does."""
    rng = random.Random(20261129)
    dpkg_bin = shutil.which("dpkg")
    assert dpkg_bin is not None
    for _ in range(300):
        left, right = _random_debian(rng), _random_debian(rng)
        ours = dpkg.compare(left, right)
        op = {-1: "lt", 0: "eq", 1: "gt"}[ours]
        done = subprocess.run(
            [dpkg_bin, "--compare-versions", "--", left, op, right],
            check=False,
            capture_output=True,
        )
        assert done.returncode == 0, (left, op, right, done.stderr)


def test_orders_are_total_and_consistent() -> None:
    """Sorting with the keys agrees with the pairwise comparison (antisymmetric, transitive)."""
    rng = random.Random(7)
    versions = sorted({_random_debian(rng) for _ in range(200)})
    scheme = scheme_for("Debian:12")
    ordered = sorted(versions, key=scheme.key)
    for a, b in itertools.pairwise(ordered):
        assert dpkg.compare(a, b) <= 0
    rpms = ["1.0", "1.0~rc1", "1.0^git1", "1.01", "1.0-1", "1:0.1", "2.0-1.el9", "1.0a"]
    keyed = sorted(rpms, key=scheme_for("AlmaLinux:9").key)
    for a, b in itertools.pairwise(keyed):
        assert rpm.compare_evr(rpm.split_evr(a), rpm.split_evr(b)) <= 0


def _random_rpm(rng: random.Random) -> str:
    def part(alphabet: str) -> str:
        return str(rng.randint(0, 9)) + "".join(
            rng.choice(alphabet) for _ in range(rng.randint(0, 5))
        )

    epoch = f"{rng.randint(0, 2)}:" if rng.random() < 0.2 else ""
    release = f"-{part('0123456789.~^_abz')}" if rng.random() < 0.8 else ""
    return epoch + part("0123456789.~^+_abzA") + release


@pytest.mark.skipif(shutil.which("rpm") is None, reason="rpm is not installed")
def test_rpm_agrees_with_the_real_rpm() -> None:
    """A property test: 300 random EVR pairs, ordered as rpm's own ``rpm.vercmp`` orders them."""
    rng = random.Random(1129)
    pairs = [(_random_rpm(rng), _random_rpm(rng)) for _ in range(300)]
    calls = " ".join(f'print(rpm.vercmp("{a}", "{b}"), "\\n")' for a, b in pairs)
    rpm_bin = shutil.which("rpm")
    assert rpm_bin is not None
    done = subprocess.run(
        [rpm_bin, "--eval", f"%{{lua: {calls}}}"], check=True, capture_output=True, text=True
    )
    theirs = [int(line) for line in done.stdout.split() if line.strip()]
    ours = [rpm.compare_evr(rpm.split_evr(a), rpm.split_evr(b)) for a, b in pairs]
    assert len(theirs) == len(pairs)
    mismatches = [(a, b, o, t) for (a, b), o, t in zip(pairs, ours, theirs, strict=True) if o != t]
    assert mismatches == []
