"""Matching packages against the index: affected advisories, merged by alias, with a fix.

Advisories that share an identifier (an advisory's id or any alias: CVE, GHSA, PYSEC, ...) are
one vulnerability published by several databases; they become one group, hence one finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from shieldwall.vulndb.ecosystems import AnyEcosystem, normalize_name
from shieldwall.vulndb.index import Advisory, AdvisoryIndex, AdvisoryIndexLike, AffectedRow
from shieldwall.vulndb.ranges import (
    CompiledSpec,
    parse_version,
    smallest_clearing_version,
)
from shieldwall.vulndb.severity import ScoredSeverity, advisory_severity

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
    index: AdvisoryIndexLike, ecosystem: AnyEcosystem, name: str, version: str
) -> PackageMatch:
    """Advisories affecting ``name@version``; raises ``InvalidVersionError`` on a bad version.

    Results are memoised per process and index: monorepos lock the same versions many times.
    """
    return _match_cached(index, ecosystem, normalize_name(ecosystem, name), version)


@dataclass(frozen=True, slots=True)
class _Package:
    """What the index says about one package, grouped by vulnerability once for all versions."""

    rows: tuple[AffectedRow, ...]
    component: dict[str, int]  # advisory id -> vulnerability number


@lru_cache(maxsize=65536)
def _package(index: AdvisoryIndexLike, ecosystem: AnyEcosystem, name: str) -> _Package:
    rows = tuple(index.affected(ecosystem, name))
    advisories = [index.advisory(aid) for aid in sorted({r.advisory_id for r in rows})]
    component = {a.id: n for n, members in enumerate(_group(advisories)) for a in members}
    return _Package(rows, component)


@lru_cache(maxsize=65536)
def _match_cached(
    index: AdvisoryIndexLike, ecosystem: AnyEcosystem, name: str, version: str
) -> PackageMatch:
    package = _package(index, ecosystem, name)
    if not package.rows:
        return PackageMatch((), None)
    eco = ecosystem.value
    current = parse_version(eco, "ECOSYSTEM", version)  # malformed: an error
    specs: dict[str, list[CompiledSpec]] = {}
    for row in package.rows:
        try:
            hit = row.compiled.affects_key(version, current)
        except ValueError:
            continue  # checked at import; a listed version that fails is not a match
        if hit:
            specs.setdefault(row.advisory_id, []).append(row.compiled)
    if not specs:
        return PackageMatch((), None)
    by_vulnerability: dict[int, list[str]] = {}
    for advisory_id in sorted(specs):
        by_vulnerability.setdefault(package.component[advisory_id], []).append(advisory_id)
    groups = []
    for member_ids in by_vulnerability.values():
        members = tuple(index.advisory(aid) for aid in member_ids)
        fixed = {
            f: key for aid in member_ids for spec in specs[aid] for f, key in spec.fixed_keys
            if key > current
        }  # fmt: skip
        groups.append(
            AdvisoryGroup(
                advisories=members,
                ids=_group_ids(members),
                fixed_versions=tuple(sorted(fixed, key=fixed.__getitem__)),
                severity=_group_severity(members),
            )
        )
    groups.sort(key=lambda g: _id_rank(g.primary))
    all_specs = [s for group_specs in specs.values() for s in group_specs]
    return PackageMatch(tuple(groups), smallest_clearing_version(all_specs, version))


@lru_cache(maxsize=65536)
def _group_ids(members: tuple[Advisory, ...]) -> tuple[str, ...]:
    return tuple(sorted({i for a in members for i in (a.id, *a.aliases)}, key=_id_rank))


@lru_cache(maxsize=65536)
def _group_severity(members: tuple[Advisory, ...]) -> ScoredSeverity | None:
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
