"""The database operations behind ``shieldwall db``: import, update, status, freshness."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from shieldwall.vulndb.distros import OsFamily
from shieldwall.vulndb.download import FetchResult, OsvClient
from shieldwall.vulndb.ecosystems import Ecosystem, parse_ecosystem
from shieldwall.vulndb.errors import AdvisorySourceError, IndexMissingError, InvalidVersionError
from shieldwall.vulndb.index import AdvisoryIndex, ImportReport, IndexBuilder, index_path
from shieldwall.vulndb.sources import Parsed, read_source

ARCHIVES = "archives"


def build_index(cache_dir: Path, parsed: Iterator[Parsed], source: str) -> ImportReport:
    """Build a new index from records and swap it in; on any error the old index stays."""
    builder = IndexBuilder(index_path(cache_dir), source)
    try:
        builder.add_all(parsed)
    except BaseException:
        builder.abort()
        raise
    if builder.report.records == 0:
        builder.abort()
        raise AdvisorySourceError(f"{source}: no usable advisories; the index was not replaced")
    return builder.commit()


def import_source(cache_dir: Path, source: Path) -> ImportReport:
    """Replace the index with the records of an OSV zip, folder or JSON lines file."""
    return build_index(cache_dir, read_source(source), f"import: {source}")


def parse_ecosystems(names: Sequence[str]) -> tuple[Ecosystem | OsFamily, ...]:
    """Ecosystems named on the command line (all language ecosystems when none).

    Distributions (``Debian``, ``Alpine``, ``Rocky Linux`` ...) are fetched only when named:
    their archives are large, and only image scans need them.
    """
    if not names:
        return tuple(Ecosystem)
    by_lower = {f.value.lower(): f for f in OsFamily}
    chosen: list[Ecosystem | OsFamily] = []
    for name in names:
        try:
            chosen.append(parse_ecosystem(name))
        except InvalidVersionError as exc:
            family = by_lower.get(name.strip().lower())
            if family is None:
                known = ", ".join([*(e.value for e in Ecosystem), *(f.value for f in OsFamily)])
                raise AdvisorySourceError(f"{exc}; known: {known}") from None
            chosen.append(family)
    return tuple(dict.fromkeys(chosen))


@dataclass(frozen=True, slots=True)
class UpdateReport:
    """What an update fetched and built."""

    fetched: tuple[FetchResult, ...]
    index: ImportReport


def update(
    cache_dir: Path, client: OsvClient, ecosystems: Sequence[Ecosystem | OsFamily]
) -> UpdateReport:
    """Fetch each ecosystem's archive (conditionally) and rebuild the index from all archives.

    Every fetch must succeed before the index is rebuilt, so a failed update leaves the previous
    index untouched.
    """
    archive_dir = cache_dir / "vulndb" / ARCHIVES
    archive_dir.mkdir(parents=True, exist_ok=True)
    fetched = tuple(client.fetch(e.value, archive_dir / f"{e.value}.zip") for e in ecosystems)
    archives = sorted(archive_dir.glob("*.zip"))

    def records() -> Iterator[Parsed]:
        for archive in archives:
            yield from read_source(archive)

    names = ", ".join(a.stem for a in archives)
    report = build_index(cache_dir, records(), f"download: {client.base_url} ({names})")
    return UpdateReport(fetched, report)


@dataclass(frozen=True, slots=True)
class Status:
    """What ``db status`` shows."""

    path: Path
    source: str
    built_at: datetime | None
    counts: dict[str, int]

    @property
    def age_days(self) -> float | None:
        """Days since the index was built."""
        if self.built_at is None:
            return None
        return (datetime.now(UTC) - self.built_at).total_seconds() / 86400


def status(cache_dir: Path) -> Status:
    """The index's source, age and advisories per ecosystem (``IndexMissingError`` if none)."""
    index = AdvisoryIndex(index_path(cache_dir))
    try:
        return Status(index.path, index.meta.get("source", "?"), index.built_at(), index.counts())
    finally:
        index.close()


def freshness_warning(cache_dir: Path, max_age_days: int) -> str | None:
    """A warning when the index is older than ``max_age_days`` (0 disables the check)."""
    try:
        current = status(cache_dir)
    except IndexMissingError:
        return None  # the deps analyzer aborts with its own message
    age = current.age_days
    if max_age_days and age is not None and age > max_age_days:
        return (
            f"the advisory database is {age:.0f} days old (limit {max_age_days}); "
            "run `shieldwall db update`"
        )
    return None


def status_json(current: Status) -> str:
    """The status as JSON."""
    return json.dumps(
        {
            "path": str(current.path),
            "source": current.source,
            "built_at": current.built_at.isoformat() if current.built_at else None,
            "age_days": round(current.age_days, 2) if current.age_days is not None else None,
            "advisories": current.counts,
        },
        indent=2,
    )
