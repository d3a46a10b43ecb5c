"""Matching packages against the index: affected advisories, merged by alias, with a fix.

Advisories that share an identifier (an advisory's id or any alias: CVE, GHSA, PYSEC, ...) are
one vulnerability published by several databases; they become one group, hence one finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from shieldwall.vulndb.ecosystems import Ecosystem
from shieldwall.vulndb.index import Advisory, AdvisoryIndex, AdvisoryIndexLike
from shieldwall.vulndb.ranges import AffectedSpec, is_affected, smallest_clearing_version
from shieldwall.vulndb.severity import ScoredSeverity, advisory_severity
from shieldwall.vulndb.versions import VersionKey, VersionScheme, scheme_for

_ID_ORDER = ("CVE-", "GHSA-")


@dataclass(frozen=True, slots=True)
class AdvisoryGroup:
    """Advisories about one vulnerability of one package version."""

    advisories: tuple[Advisory, ...]
    ids: tuple[str, ...]  # every identifier, the primary one first
    fixed_versions: tuple[str, ...]
    severity: ScoredSeverity | None

    @property
    def primary(self) -> str:
        """The identifier shown first (a CVE when there is one)."""
        return self.ids[0]

    @property
    def summary(self) -> str:
        """The first non-empty summary."""
        return next((a.summary for a in self.advisories if a.summary), "")


@dataclass(frozen=True, slots=True)
class PackageMatch:
    """Every vulnerability of one package version and the version that clears them all."""

    groups: tuple[AdvisoryGroup, ...]
    recommended: str | None


def _id_rank(identifier: str) -> tuple[int, str]:
    for rank, prefix in enumerate(_ID_ORDER):
        if identifier.startswith(prefix):
            return rank, identifier
    return len(_ID_ORDER), identifier


def _group(advisories: list[Advisory]) -> list[list[Advisory]]:
    parent = list(range(len(advisories)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, advisory in enumerate(advisories):
        for identifier in (advisory.id, *advisory.aliases):
            if identifier in owner:
                parent[find(i)] = find(owner[identifier])
            else:
                owner[identifier] = i
    groups: dict[int, list[Advisory]] = {}
    for i, advisory in enumerate(advisories):
        groups.setdefault(find(i), []).append(advisory)
    return list(groups.values())


def match_package(
    index: AdvisoryIndexLike, ecosystem: Ecosystem, name: str, version: str
) -> PackageMatch:
    """Advisories affecting ``name@version``; raises ``InvalidVersionError`` on a bad version."""
    rows = index.affected(ecosystem, name)
    if not rows:
        return PackageMatch((), None)
    scheme = scheme_for(ecosystem.value)
    scheme.key(version)  # a malformed package version is an error, not "not affected"
    specs: dict[str, list[AffectedSpec]] = {}
    for row in rows:
        try:
            hit = is_affected(row.spec, version)
        except ValueError:
            continue  # checked at import; a listed version that fails is not a match
        if hit:
            specs.setdefault(row.advisory_id, []).append(row.spec)
    if not specs:
        return PackageMatch((), None)
    advisories = sorted((index.advisory(aid) for aid in specs), key=lambda a: a.id)
    groups = []
    current = scheme.key(version)
    for members in _group(advisories):
        member_specs = [s for a in members for s in specs[a.id]]
        ids = sorted({i for a in members for i in (a.id, *a.aliases)}, key=_id_rank)
        fixed = {
            f for spec in member_specs for f in spec.fixed_versions() if _above(scheme, f, current)
        }
        groups.append(
            AdvisoryGroup(
                advisories=tuple(members),
                ids=tuple(ids),
                fixed_versions=tuple(sorted(fixed, key=_safe_key(scheme))),
                severity=_group_severity(members),
            )
        )
    groups.sort(key=lambda g: _id_rank(g.primary))
    all_specs = [s for group_specs in specs.values() for s in group_specs]
    return PackageMatch(tuple(groups), smallest_clearing_version(all_specs, version, scheme))


def _above(scheme: VersionScheme, fixed: str, current: VersionKey) -> bool:
    try:
        return bool(scheme.key(fixed) > current)
    except ValueError:
        return False


def _safe_key(scheme: VersionScheme) -> Callable[[str], _Ordered]:
    def key(value: str) -> _Ordered:
        return _Ordered(scheme.key(value))

    return key


class _Ordered:
    __slots__ = ("key",)

    def __init__(self, key: VersionKey) -> None:
        self.key = key

    def __lt__(self, other: _Ordered) -> bool:
        return bool(self.key < other.key)


def _group_severity(members: list[Advisory]) -> ScoredSeverity | None:
    vectors = [v for a in members for v in a.severity]
    ratings = [r for a in members for r in a.ratings]
    return advisory_severity(vectors, ratings)


_OPEN: dict[tuple[str, float], AdvisoryIndex] = {}


def open_index(path: Path) -> AdvisoryIndex:
    """The index at ``path``, opened once per process (re-opened when the file is replaced).

    This is a per-process connection cache, not shared state: each pool worker opens its own.
    """
    stamp = path.stat().st_mtime if path.exists() else 0.0
    key = (str(path), stamp)
    index = _OPEN.get(key)
    if index is None:
        index = AdvisoryIndex(path)
        _OPEN.clear()
        _OPEN[key] = index
    return index
