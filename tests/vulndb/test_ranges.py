"""OSV range evaluation against the specification's semantics."""

from __future__ import annotations

import pytest

from shieldwall.vulndb.errors import InvalidVersionError
from shieldwall.vulndb.ranges import (
    AffectedSpec,
    Event,
    EventKind,
    VersionRange,
    is_affected,
    smallest_clearing_version,
    validate_range,
)

INTRO, F, L, LIM = EventKind.INTRODUCED, EventKind.FIXED, EventKind.LAST_AFFECTED, EventKind.LIMIT


def spec(ecosystem: str, *events: tuple[EventKind, str], kind: str = "ECOSYSTEM",
         versions: tuple[str, ...] = ()) -> AffectedSpec:  # fmt: skip
    return AffectedSpec(
        ecosystem, (VersionRange(kind, tuple(Event(k, v) for k, v in events)),), versions
    )


def test_introduced_zero_and_fixed() -> None:
    s = spec("PyPI", (INTRO, "0"), (F, "2.7.2"))
    assert is_affected(s, "0.1")
    assert is_affected(s, "2.7.1")
    assert is_affected(s, "2.7.2rc1")  # a pre-release of the fix is still before it
    assert not is_affected(s, "2.7.2")
    assert not is_affected(s, "3.0")


def test_several_introduced_events_in_one_range() -> None:
    # RUSTSEC-2018-0003 (smallvec), unsorted on purpose: evaluation sorts the events.
    s = spec(
        "crates.io",
        (INTRO, "0.6.0-0"), (F, "0.6.3"), (INTRO, "0.3.2"), (F, "0.3.4"),
        (INTRO, "0.5.0-0"), (F, "0.5.1"),
        kind="SEMVER",
    )  # fmt: skip
    assert not is_affected(s, "0.3.1")
    assert is_affected(s, "0.3.3")
    assert not is_affected(s, "0.3.4")
    assert not is_affected(s, "0.4.9")
    assert is_affected(s, "0.5.0")
    assert is_affected(s, "0.6.0-alpha")
    assert is_affected(s, "0.6.2")
    assert not is_affected(s, "0.6.3")


def test_last_affected_is_inclusive() -> None:
    s = spec("npm", (INTRO, "0"), (L, "1.5.1"), kind="SEMVER")
    assert is_affected(s, "1.5.1")
    assert not is_affected(s, "1.5.2")
    assert not is_affected(s, "1.5.2-beta")  # above 1.5.1 in semver order


def test_open_ended_range_affects_everything_after_introduced() -> None:
    s = spec("Go", (INTRO, "1.2.0"), kind="SEMVER")
    assert not is_affected(s, "v1.1.9")
    assert is_affected(s, "v1.2.0")
    assert is_affected(s, "v99.0.0+incompatible")


def test_limit_caps_the_range() -> None:
    s = spec("Go", (INTRO, "0"), (LIM, "1.5.0"), kind="SEMVER")
    assert is_affected(s, "v1.4.9")
    assert not is_affected(s, "v1.5.0")


def test_explicit_versions_list_with_normalisation() -> None:
    s = AffectedSpec("PyPI", (), ("2.0rc1", "2.1"))
    assert is_affected(s, "2.0rc1")
    assert is_affected(s, "2.0.0rc1")  # PEP 440 equal
    assert is_affected(s, "2.1.0")
    assert not is_affected(s, "2.2")


def test_malformed_package_version_raises() -> None:
    with pytest.raises(InvalidVersionError):
        is_affected(spec("npm", (INTRO, "0"), (F, "1.0.0"), kind="SEMVER"), "not-a-version")


def test_validate_range_reports_malformed_events() -> None:
    bad = VersionRange("ECOSYSTEM", (Event(INTRO, "0"), Event(F, "2019-09-12")))
    assert "2019-09-12" in (validate_range("PyPI", bad) or "")
    no_intro = VersionRange("SEMVER", (Event(F, "1.0.0"),))
    assert "introduced" in (validate_range("npm", no_intro) or "")
    assert validate_range("npm", VersionRange("SEMVER", (Event(INTRO, "0"),))) is None


def test_smallest_version_that_clears_every_advisory() -> None:
    specs = [
        spec("PyPI", (INTRO, "0"), (F, "2.7.2")),
        spec("PyPI", (INTRO, "0"), (F, "2.7.3")),
        # a later regression: 2.8 introduced a new bug fixed in 2.8.1
        spec("PyPI", (INTRO, "2.8"), (F, "2.8.1")),
    ]
    assert smallest_clearing_version(specs, "2.7") == "2.7.3"
    assert smallest_clearing_version(specs[:1], "2.7") == "2.7.2"
    # 2.8 is affected by the regression, so the fix for it is the answer
    assert smallest_clearing_version(specs[2:], "2.8") == "2.8.1"
    open_ended = [spec("PyPI", (INTRO, "0"))]
    assert smallest_clearing_version(open_ended, "1.0") is None


def test_fix_candidate_inside_another_range_is_skipped() -> None:
    specs = [
        spec("npm", (INTRO, "0"), (F, "1.2.0"), kind="SEMVER"),
        spec("npm", (INTRO, "1.2.0"), (F, "1.3.0"), kind="SEMVER"),
    ]
    assert smallest_clearing_version(specs, "1.0.0") == "1.3.0"
