"""Evaluating OSV ``affected`` entries against a version, per the OSV specification.

https://ossf.github.io/osv-schema/#evaluation: events of a range are sorted by version
(``introduced: "0"`` first); walking them in order, ``introduced`` at or below the version marks it
affected, ``fixed`` at or below and ``last_affected`` strictly below clear it; ``limit`` caps the
range (the version must be below a limit). A version is also affected when it is listed in
``versions``. ``GIT`` ranges name commits, not versions, and are not evaluated here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from shieldwall.vulndb.versions import VersionKey, VersionScheme, scheme_for


class EventKind(StrEnum):
    """The four OSV event kinds."""

    INTRODUCED = "introduced"
    FIXED = "fixed"
    LAST_AFFECTED = "last_affected"
    LIMIT = "limit"


EVALUATED_RANGE_TYPES = frozenset({"ECOSYSTEM", "SEMVER"})
# Sorting ties (same version): an introduction precedes a fix of the same version.
_TIE_ORDER = {
    EventKind.INTRODUCED: 0,
    EventKind.LAST_AFFECTED: 1,
    EventKind.FIXED: 2,
    EventKind.LIMIT: 3,
}


@dataclass(frozen=True, slots=True)
class Event:
    """One range event."""

    kind: EventKind
    version: str


@dataclass(frozen=True, slots=True)
class VersionRange:
    """An ``ECOSYSTEM`` or ``SEMVER`` range, with its events in file order."""

    type: str
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class AffectedSpec:
    """What one advisory says about one package: ranges and/or explicit versions."""

    ecosystem: str
    ranges: tuple[VersionRange, ...]
    versions: tuple[str, ...] = ()

    def fixed_versions(self) -> tuple[str, ...]:
        """Every ``fixed`` version named by the ranges, in file order."""
        return tuple(e.version for r in self.ranges for e in r.events if e.kind is EventKind.FIXED)


def _is_zero(event: Event) -> bool:
    return event.kind is EventKind.INTRODUCED and event.version in {"0", "0.0.0-0"}


def range_affects(version: VersionKey, rng: VersionRange, scheme: VersionScheme) -> bool:
    """Whether a parsed version is in a range (``InvalidVersionError`` on a bad event)."""
    keyed: list[tuple[int, VersionKey | None, Event]] = []
    for event in rng.events:
        if _is_zero(event):
            keyed.append((0, None, event))
        else:
            keyed.append((1, scheme.key(event.version), event))
    limits = [key for _, key, event in keyed if event.kind is EventKind.LIMIT]
    if limits and not any(version < limit for limit in limits):
        return False
    ordered = sorted(
        (item for item in keyed if item[2].kind is not EventKind.LIMIT),
        key=lambda item: (item[0], _SortKey(item[1]), _TIE_ORDER[item[2].kind]),
    )
    affected = False
    for _, key, event in ordered:
        match event.kind:
            case EventKind.INTRODUCED:
                if key is None or version >= key:
                    affected = True
            case EventKind.FIXED:
                if key is not None and version >= key:
                    affected = False
            case EventKind.LAST_AFFECTED:
                if key is not None and version > key:
                    affected = False
            case EventKind.LIMIT:  # pragma: no cover - filtered out above
                pass
    return affected


class _SortKey:
    """Wraps possibly-None keys so ``sorted`` never compares None with a version."""

    __slots__ = ("key",)

    def __init__(self, key: VersionKey | None) -> None:
        self.key = key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _SortKey):
            return NotImplemented
        if self.key is None or other.key is None:
            return self.key is None and other.key is None
        return bool(self.key == other.key)

    __hash__ = None  # type: ignore[assignment]

    def __lt__(self, other: _SortKey) -> bool:
        if self.key is None:
            return other.key is not None
        if other.key is None:
            return False
        return bool(self.key < other.key)


def is_affected(spec: AffectedSpec, version: str) -> bool:
    """Whether ``version`` of the package is affected (raises ``InvalidVersionError``)."""
    if version in spec.versions:
        return True
    default_scheme = scheme_for(spec.ecosystem)
    key = default_scheme.key(version)
    if spec.versions and any(_same(default_scheme, key, listed) for listed in spec.versions):
        return True
    for rng in spec.ranges:
        scheme = scheme_for(spec.ecosystem, rng.type)
        parsed = key if scheme is default_scheme else scheme.key(version)
        if range_affects(parsed, rng, scheme):
            return True
    return False


def _same(scheme: VersionScheme, key: VersionKey, listed: str) -> bool:
    try:
        return bool(scheme.key(listed) == key)
    except ValueError:
        return False  # a malformed listed version cannot equal a valid one


def validate_range(ecosystem: str, rng: VersionRange) -> str | None:
    """Why a range cannot be evaluated (a malformed version), or None when it is sound."""
    scheme = scheme_for(ecosystem, rng.type)
    for event in rng.events:
        if _is_zero(event):
            continue
        try:
            scheme.key(event.version)
        except ValueError as exc:
            return f"{event.kind} version {event.version!r}: {exc}"
    if not any(e.kind is EventKind.INTRODUCED for e in rng.events):
        return "the range has no 'introduced' event"
    return None


def smallest_clearing_version(
    specs: Sequence[AffectedSpec], current: str, scheme: VersionScheme
) -> str | None:
    """The smallest fixed version above ``current`` that no spec marks as affected."""
    current_key = scheme.key(current)
    candidates: dict[str, VersionKey] = {}
    for spec in specs:
        for fixed in spec.fixed_versions():
            try:
                key = scheme.key(fixed)
            except ValueError:
                continue
            if key > current_key:
                candidates[fixed] = key
    for candidate, _ in sorted(candidates.items(), key=lambda item: _SortKey(item[1])):
        try:
            if not any(is_affected(spec, candidate) for spec in specs):
                return candidate
        except ValueError:
            continue
    return None
