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
from functools import lru_cache

from packaging.utils import canonicalize_version
from packaging.version import InvalidVersion, Version

from shieldwall.vulndb.versions import VersionKey, scheme_for


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
    canonical: tuple[str, ...] = ()  # ``versions`` in canonical form, when precomputed

    def fixed_versions(self) -> tuple[str, ...]:
        """Every ``fixed`` version named by the ranges, in file order."""
        return tuple(e.version for r in self.ranges for e in r.events if e.kind is EventKind.FIXED)


@lru_cache(maxsize=131072)
def parse_version(ecosystem: str, range_type: str, version: str) -> VersionKey:
    """A version's key, cached per process: the same event versions recur across packages."""
    return scheme_for(ecosystem, range_type).key(version)


@lru_cache(maxsize=262144)
def canonical_listed(ecosystem: str, version: str) -> str:
    """The form in which listed versions are compared: PEP 440 equality for PyPI.

    ``2.0.0rc1`` and ``2.0rc1`` are the same PyPI release; other registries' ``versions`` lists
    hold the registry's literal version strings, which lockfiles repeat, so only a ``v`` or ``=``
    prefix is dropped there.
    """
    if ecosystem == "PyPI":
        try:
            return canonicalize_version(Version(version))
        except InvalidVersion:
            return version
    return version.lstrip("=v")


def _is_zero(event: Event) -> bool:
    return event.kind is EventKind.INTRODUCED and event.version in {"0", "0.0.0-0"}


@dataclass(frozen=True, slots=True)
class CompiledRange:
    """A range with its event versions parsed once and sorted as the specification says."""

    events: tuple[tuple[str, VersionKey | None], ...]  # (EventKind value, key); None: "0"
    limits: tuple[VersionKey, ...]

    def affects(self, version: VersionKey) -> bool:
        """The OSV evaluation of one range."""
        if self.limits and not any(version < limit for limit in self.limits):
            return False
        affected = False
        # Plain string comparisons: this loop runs for every package of every lockfile.
        for kind, key in self.events:
            if kind == "introduced":
                if key is None or version >= key:
                    affected = True
            elif kind == "fixed":
                if key is not None and version >= key:
                    affected = False
            elif kind == "last_affected" and key is not None and version > key:
                affected = False
        return affected


def compile_range(rng: VersionRange, ecosystem: str) -> CompiledRange:
    """Parse and sort a range's events (``InvalidVersionError`` on a malformed event)."""
    keyed: list[tuple[int, VersionKey | None, EventKind]] = []
    for event in rng.events:
        if _is_zero(event):
            keyed.append((0, None, event.kind))
        else:
            keyed.append((1, parse_version(ecosystem, rng.type, event.version), event.kind))
    limits = tuple(key for _, key, kind in keyed if kind is EventKind.LIMIT)
    ordered = sorted(
        (item for item in keyed if item[2] is not EventKind.LIMIT),
        key=lambda item: (item[0], _SortKey(item[1]), _TIE_ORDER[item[2]]),
    )
    return CompiledRange(tuple((kind.value, key) for _, key, kind in ordered), limits)


def range_affects(version: VersionKey, rng: VersionRange, ecosystem: str) -> bool:
    """Whether a parsed version is in a range (``InvalidVersionError`` on a bad event)."""
    return compile_range(rng, ecosystem).affects(version)


@dataclass(frozen=True, slots=True)
class CompiledSpec:
    """An :class:`AffectedSpec` ready for fast repeated evaluation."""

    ecosystem: str
    listed: frozenset[str]  # literal and canonical forms of the listed versions
    ranges: tuple[tuple[str, CompiledRange], ...]  # (range type, compiled)
    fixed: tuple[str, ...]
    fixed_keys: tuple[tuple[str, VersionKey], ...]  # the valid fixed versions, parsed

    def affects(self, version: str) -> bool:
        """Whether ``version`` is affected (``InvalidVersionError`` when it is malformed)."""
        return self.affects_key(version, parse_version(self.ecosystem, "ECOSYSTEM", version))

    def affects_key(self, version: str, key: VersionKey) -> bool:
        """Like :meth:`affects`, with the version already parsed in the ecosystem's scheme."""
        if self.listed and (
            version in self.listed or canonical_listed(self.ecosystem, version) in self.listed
        ):
            return True
        for range_type, compiled in self.ranges:
            if range_type == "ECOSYSTEM" or self.ecosystem == "Go":
                parsed = key
            else:
                parsed = parse_version(self.ecosystem, range_type, version)
            if compiled.affects(parsed):
                return True
        return False


def compile_spec(spec: AffectedSpec) -> CompiledSpec:
    """Parse every version of a spec once; ranges with malformed events are left out."""
    ranges = []
    for rng in spec.ranges:
        try:
            ranges.append((rng.type, compile_range(rng, spec.ecosystem)))
        except ValueError:
            continue  # reported at import; such a range cannot be evaluated
    fixed_keys = []
    for fixed in spec.fixed_versions():
        try:
            fixed_keys.append((fixed, parse_version(spec.ecosystem, "ECOSYSTEM", fixed)))
        except ValueError:
            continue
    return CompiledSpec(
        spec.ecosystem,
        frozenset(spec.versions)
        | frozenset(spec.canonical or (canonical_listed(spec.ecosystem, v) for v in spec.versions)),
        tuple(ranges),
        spec.fixed_versions(),
        tuple(fixed_keys),
    )


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


def is_affected(spec: AffectedSpec | CompiledSpec, version: str) -> bool:
    """Whether ``version`` of the package is affected (raises ``InvalidVersionError``)."""
    compiled = spec if isinstance(spec, CompiledSpec) else compile_spec(spec)
    return compiled.affects(version)


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
    specs: Sequence[AffectedSpec | CompiledSpec], current: str
) -> str | None:
    """The smallest fixed version above ``current`` that no spec marks as affected.

    Every spec affecting ``current`` must be left behind, so no candidate below the largest of
    their first fixes can work: the search starts there (usually the answer).
    """
    compiled = [s if isinstance(s, CompiledSpec) else compile_spec(s) for s in specs]
    if not compiled:
        return None
    current_key = parse_version(compiled[0].ecosystem, "ECOSYSTEM", current)
    candidates: dict[str, VersionKey] = {}
    floor: VersionKey | None = None
    for spec in compiled:
        above = []
        for fixed, key in spec.fixed_keys:
            if key > current_key:
                candidates[fixed] = key
                above.append(key)
        if not above:
            if spec.affects_key(current, current_key):
                return None  # still affected and never fixed above this version
            continue
        first = min(above, key=_SortKey)
        if spec.affects_key(current, current_key) and (floor is None or floor < first):
            floor = first
    for candidate, key in sorted(candidates.items(), key=lambda item: _SortKey(item[1])):
        if floor is not None and key < floor:
            continue
        if not any(spec.affects_key(candidate, key) for spec in compiled):
            return candidate
    return None
