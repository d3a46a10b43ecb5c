"""The SQLite advisory index: affected packages keyed by ecosystem and normalised name.

The index is built into a temporary file beside the live one and swapped in with ``os.replace``,
so a failed import or update leaves the previous index intact and a reader never sees half of it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from shieldwall.vulndb.distros import parse_os_ecosystem
from shieldwall.vulndb.ecosystems import AnyEcosystem, normalize_name, parse_ecosystem
from shieldwall.vulndb.errors import IndexMissingError, InvalidVersionError, VulnDbError
from shieldwall.vulndb.models import OsvAffected, OsvRecord
from shieldwall.vulndb.ranges import (
    EVALUATED_RANGE_TYPES,
    AffectedSpec,
    CompiledSpec,
    Event,
    EventKind,
    VersionRange,
    canonical_listed,
    compile_spec,
    validate_range,
)
from shieldwall.vulndb.sources import Parsed

SCHEMA_VERSION = "1"
INDEX_NAME = "osv.sqlite3"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE advisory (
    id TEXT PRIMARY KEY, aliases TEXT NOT NULL, summary TEXT NOT NULL, severity TEXT NOT NULL,
    ratings TEXT NOT NULL, published TEXT, modified TEXT NOT NULL, refs TEXT NOT NULL
);
CREATE TABLE affected (
    ecosystem TEXT NOT NULL, name TEXT NOT NULL, advisory_id TEXT NOT NULL,
    display_name TEXT NOT NULL, spec TEXT NOT NULL
);
"""
_INDEXES = "CREATE INDEX affected_key ON affected (ecosystem, name);"


@dataclass(frozen=True, slots=True)
class Advisory:
    """What a finding needs of an advisory."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    severity: tuple[tuple[str, str], ...]
    ratings: tuple[str, ...]
    published: str | None
    modified: str
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AffectedRow:
    """One advisory's statement about one package, compiled for evaluation."""

    advisory_id: str
    spec: AffectedSpec
    compiled: CompiledSpec

    @classmethod
    def of(cls, advisory_id: str, spec: AffectedSpec) -> AffectedRow:
        """A row with its spec compiled once."""
        return cls(advisory_id, spec, compile_spec(spec))


@dataclass(slots=True)
class ImportReport:
    """What an import did: records kept, dropped and why."""

    source: str
    records: int = 0
    withdrawn: int = 0
    per_ecosystem: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def index_path(cache_dir: Path) -> Path:
    """Where the index lives inside a cache directory."""
    return cache_dir / "vulndb" / INDEX_NAME


def _spec_json(spec: AffectedSpec) -> str:
    return json.dumps(
        {
            "r": [[r.type, [[e.kind.value, e.version] for e in r.events]] for r in spec.ranges],
            # Listed versions are stored in the form they are compared in (PEP 440 canonical
            # for PyPI), so matching never parses them.
            "c": sorted({canonical_listed(spec.ecosystem, v) for v in spec.versions}),
        },
        separators=(",", ":"),
    )


def _spec_from_json(ecosystem: str, text: str) -> AffectedSpec:
    data = json.loads(text)
    ranges = tuple(
        VersionRange(kind, tuple(Event(EventKind(k), v) for k, v in events))
        for kind, events in data["r"]
    )
    canonical = tuple(data["c"])
    return AffectedSpec(ecosystem, ranges, canonical, canonical)


def affected_spec(
    record_id: str, ecosystem: AnyEcosystem, affected: OsvAffected, problems: list[str]
) -> AffectedSpec | None:
    """The evaluable part of an ``affected`` entry; unusable ranges are reported and skipped."""
    ranges: list[VersionRange] = []
    for rng in affected.ranges:
        if rng.type == "GIT":
            continue  # commit ranges need the repository; the versions list covers them
        if rng.type not in EVALUATED_RANGE_TYPES:
            problems.append(f"{record_id}: unknown range type {rng.type!r}; range skipped")
            continue
        events = tuple(
            Event(EventKind(kind), value)
            for ev in rng.events
            for kind, value in ev.model_dump(exclude_none=True).items()
        )
        candidate = VersionRange(rng.type, events)
        why = validate_range(ecosystem.value, candidate)
        if why:
            problems.append(f"{record_id}: {why}; range skipped")
            continue
        ranges.append(candidate)
    if not ranges and not affected.versions:
        return None
    return AffectedSpec(ecosystem.value, tuple(ranges), affected.versions)


def _ratings(record: OsvRecord) -> list[str]:
    specifics = [record.database_specific] + [a.database_specific for a in record.affected]
    return [s["severity"] for s in specifics if s and isinstance(s.get("severity"), str)]


def _vectors(record: OsvRecord) -> list[list[str]]:
    vectors = [[s.type, s.score] for s in record.severity]
    for affected in record.affected:
        vectors.extend([s.type, s.score] for s in affected.severity)
        specific = affected.database_specific or {}
        if isinstance(specific.get("cvss"), str):  # RustSec keeps its vector here
            vectors.append(["CVSS_V3", specific["cvss"]])
    return vectors


AdvisoryRow = tuple[str, str, str, str, str, str | None, str, str]
AffectedDbRow = tuple[str, str, str, str, str]


def record_rows(
    record: OsvRecord, report: ImportReport
) -> tuple[AdvisoryRow, list[AffectedDbRow]] | None:
    """The index rows of a (non-withdrawn) record, or None when it affects nothing we scan."""
    rows: list[AffectedDbRow] = []
    for affected in record.affected:
        if affected.package is None:
            continue
        ecosystem: AnyEcosystem | None
        try:
            ecosystem = parse_ecosystem(affected.package.ecosystem)
        except InvalidVersionError:
            ecosystem = parse_os_ecosystem(affected.package.ecosystem)  # Debian:12, ...
        if ecosystem is None:
            continue  # ecosystems we do not scan (Android, Linux ...) are not an error
        spec = affected_spec(record.id, ecosystem, affected, report.problems)
        if spec is None:
            report.problems.append(
                f"{record.id}: {affected.package.name}: no usable ranges or versions; skipped"
            )
            continue
        key = normalize_name(ecosystem, affected.package.name)
        rows.append((ecosystem.value, key, record.id, affected.package.name, _spec_json(spec)))
        report.per_ecosystem[ecosystem.value] += 1
    if not rows:
        return None
    report.records += 1
    advisory_row: AdvisoryRow = (
        record.id,
        json.dumps(list(record.aliases)),
        record.summary or _first_sentence(record.details),
        json.dumps(_vectors(record)),
        json.dumps(_ratings(record)),
        record.published,
        record.modified,
        json.dumps([r.url for r in record.references[:8]]),
    )
    return advisory_row, rows


def _first_sentence(details: str, limit: int = 160) -> str:
    """A summary for records that have none (PyPA's): the start of the details, cut at a word.

    Not only the first sentence: PyPA details often open with a description of the product.
    """
    text = " ".join(details.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(".,;:") + "…"


def advisory_from_row(row: AdvisoryRow) -> Advisory:
    """An :class:`Advisory` from its index row."""
    return Advisory(
        id=row[0],
        aliases=tuple(json.loads(row[1])),
        summary=row[2],
        severity=tuple((k, v) for k, v in json.loads(row[3])),
        ratings=tuple(json.loads(row[4])),
        published=row[5],
        modified=row[6],
        references=tuple(json.loads(row[7])),
    )


def spec_from_json(ecosystem: str, text: str) -> AffectedSpec:
    """An :class:`AffectedSpec` from its stored JSON."""
    return _spec_from_json(ecosystem, text)


class AdvisoryIndexLike(Hashable, Protocol):
    """What matching needs of an index: rows per package and advisories by id."""

    def affected(self, ecosystem: AnyEcosystem, name: str) -> list[AffectedRow]:
        """What every advisory says about a package."""
        ...

    def advisory(self, advisory_id: str) -> Advisory:
        """One advisory's metadata."""
        ...


class IndexBuilder:
    """Writes a new index to a temporary file; :meth:`commit` swaps it in atomically."""

    def __init__(self, target: Path, source: str) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        self.temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        self.temp.unlink(missing_ok=True)
        self.conn = sqlite3.connect(self.temp)
        self.conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self.report = ImportReport(source=source)
        self._modified: dict[str, str] = {}

    def add_all(self, parsed: Iterable[Parsed]) -> ImportReport:
        """Add every record of a source."""
        for item in parsed:
            if item.record is None:
                self.report.problems.append(f"{item.where}: {item.problem}")
            else:
                self.add(item.record)
        return self.report

    def add(self, record: OsvRecord) -> None:
        """Add one record; withdrawn ones are dropped, a newer duplicate replaces an older one."""
        if record.withdrawn:
            self.report.withdrawn += 1
            return
        previous = self._modified.get(record.id)
        if previous is not None:
            if previous >= record.modified:
                return
            self.conn.execute("DELETE FROM advisory WHERE id = ?", (record.id,))
            self.conn.execute("DELETE FROM affected WHERE advisory_id = ?", (record.id,))
        rows = record_rows(record, self.report)
        if rows is None:
            return
        advisory_row, affected_rows = rows
        self._modified[record.id] = record.modified
        self.conn.executemany("INSERT INTO affected VALUES (?, ?, ?, ?, ?)", affected_rows)
        self.conn.execute("INSERT INTO advisory VALUES (?, ?, ?, ?, ?, ?, ?, ?)", advisory_row)

    def commit(self, extra_meta: dict[str, str] | None = None) -> ImportReport:
        """Finish the index and swap it in place of the live one."""
        meta = {
            "schema_version": SCHEMA_VERSION,
            "source": self.report.source,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "per_ecosystem": json.dumps(dict(sorted(self.report.per_ecosystem.items()))),
            **(extra_meta or {}),
        }
        self.conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        self.conn.executescript(_INDEXES)
        self.conn.commit()
        self.conn.close()
        self.temp.replace(self.target)
        return self.report

    def abort(self) -> None:
        """Drop the temporary index; the live one is untouched."""
        self.conn.close()
        self.temp.unlink(missing_ok=True)


class AdvisoryIndex:
    """Read access to a built index (one connection per process, opened lazily)."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise IndexMissingError(
                f"no advisory database at {path}; run `shieldwall db update` "
                "or `shieldwall db import PATH`"
            )
        self.path = path
        try:
            uri = f"{path.resolve().as_uri()}?mode=ro"  # read-only; as_uri escapes ? and #
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self.meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise VulnDbError(
                f"{path}: the advisory database is corrupt ({exc}); run `shieldwall db update`"
            ) from exc
        self._advisories: dict[str, Advisory] = {}
        self._affected: dict[tuple[str, str], list[AffectedRow]] = {}

    def affected(self, ecosystem: AnyEcosystem, name: str) -> list[AffectedRow]:
        """What every advisory says about a package (cached: lockfiles repeat packages)."""
        key = (ecosystem.value, normalize_name(ecosystem, name))
        cached = self._affected.get(key)
        if cached is None:
            rows = self.conn.execute(
                "SELECT advisory_id, spec FROM affected WHERE ecosystem = ? AND name = ?", key
            ).fetchall()
            cached = [AffectedRow.of(aid, _spec_from_json(key[0], spec)) for aid, spec in rows]
            self._affected[key] = cached
        return cached

    def advisory(self, advisory_id: str) -> Advisory:
        """One advisory's metadata."""
        cached = self._advisories.get(advisory_id)
        if cached is not None:
            return cached
        row = self.conn.execute(
            "SELECT id, aliases, summary, severity, ratings, published, modified, refs "
            "FROM advisory WHERE id = ?",
            (advisory_id,),
        ).fetchone()
        if row is None:
            raise VulnDbError(f"advisory {advisory_id} is missing from the index")
        advisory = advisory_from_row(row)
        self._advisories[advisory_id] = advisory
        return advisory

    def counts(self) -> dict[str, int]:
        """Advisories per ecosystem."""
        rows = self.conn.execute(
            "SELECT ecosystem, COUNT(DISTINCT advisory_id) FROM affected GROUP BY ecosystem"
        ).fetchall()
        return dict(rows)

    def built_at(self) -> datetime | None:
        """When the index was built."""
        value = self.meta.get("built_at")
        return datetime.fromisoformat(value) if value else None

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def iter_names(index: AdvisoryIndex) -> Iterator[tuple[str, str]]:
    """Every (ecosystem, normalised name) in the index."""
    yield from index.conn.execute("SELECT DISTINCT ecosystem, name FROM affected")
