"""An in-memory advisory index for records vendored in the scanned tree.

A project can commit OSV records under ``.shieldwall/advisories/`` (its own internal packages, or
the exact records an air-gapped build relies on); they are matched together with the index.
"""

from __future__ import annotations

from collections.abc import Iterable

from shieldwall.vulndb.ecosystems import AnyEcosystem, normalize_name
from shieldwall.vulndb.index import (
    Advisory,
    AdvisoryIndexLike,
    AdvisoryRow,
    AffectedRow,
    ImportReport,
    advisory_from_row,
    record_rows,
    spec_from_json,
)
from shieldwall.vulndb.models import OsvRecord


class MemoryIndex:
    """Records held in dictionaries, with the read interface of ``AdvisoryIndex``."""

    def __init__(self, records: Iterable[OsvRecord]) -> None:
        self.report = ImportReport(source="vendored")
        self._advisories: dict[str, AdvisoryRow] = {}
        self._affected: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for record in records:
            if record.withdrawn:
                continue
            rows = record_rows(record, self.report)
            if rows is None:
                continue
            self._advisories[record.id] = rows[0]
            for ecosystem, name, advisory_id, _, spec in rows[1]:
                self._affected.setdefault((ecosystem, name), []).append((advisory_id, spec))

    def affected(self, ecosystem: AnyEcosystem, name: str) -> list[AffectedRow]:
        """What every vendored advisory says about a package."""
        rows = self._affected.get((ecosystem.value, normalize_name(ecosystem, name)), [])
        return [AffectedRow.of(aid, spec_from_json(ecosystem.value, spec)) for aid, spec in rows]

    def advisory(self, advisory_id: str) -> Advisory:
        """One vendored advisory."""
        return advisory_from_row(self._advisories[advisory_id])

    def __bool__(self) -> bool:
        return bool(self._advisories)


class CombinedIndex:
    """Several indexes read as one (the first index wins for a repeated advisory id)."""

    def __init__(self, *indexes: AdvisoryIndexLike) -> None:
        self.indexes = indexes
        self._owner: dict[str, AdvisoryIndexLike] = {}

    def affected(self, ecosystem: AnyEcosystem, name: str) -> list[AffectedRow]:
        """Rows from every index."""
        seen: set[str] = set()
        rows: list[AffectedRow] = []
        for index in self.indexes:
            found = index.affected(ecosystem, name)
            for row in found:
                if row.advisory_id not in seen:
                    rows.append(row)
                    self._owner.setdefault(row.advisory_id, index)
            seen |= {row.advisory_id for row in found}
        return rows

    def advisory(self, advisory_id: str) -> Advisory:
        """The advisory from the index that reported it."""
        return self._owner[advisory_id].advisory(advisory_id)
