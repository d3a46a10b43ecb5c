"""The normalised event every parser produces and every detector reads.

Field names follow the Elastic Common Schema (``source.ip``, ``user.name``, ``url.original``,
``http.response.status_code``, ``event.outcome``...); foreign JSON keeps its own keys flattened with
dots beside them, so Sigma rules written against CloudTrail names (``eventName``) still resolve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shieldwall.core.frozen import FrozenDict, freeze

FieldValue = str | int | float | bool | None | tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class LogSource:
    """Where an event comes from, in Sigma's terms: product, services and categories.

    An sshd line in auth.log is both ``service: sshd`` and ``service: auth``, so the services and
    categories are sets; a Sigma rule routes to the event when each attribute it names is present.
    """

    product: str | None = None
    services: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    # Every detector looks its routes up by log source, several times per event: the hash is
    # computed once. Not pickled (string hashes differ between processes): see __reduce__.
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.product, self.services, self.categories)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        return (LogSource, (self.product, self.services, self.categories))

    @classmethod
    def of(
        cls,
        product: str | None = None,
        services: tuple[str, ...] = (),
        categories: tuple[str, ...] = (),
    ) -> LogSource:
        """A log source from plain tuples."""
        return cls(product, frozenset(services), frozenset(categories))


@dataclass(frozen=True, slots=True)
class Event:
    """One parsed log record: normalised fields plus the raw line it came from."""

    source: str
    line: int
    raw: str
    logsource: LogSource
    fields: Mapping[str, FieldValue] = field(default_factory=dict)
    timestamp: datetime | None = None

    @classmethod
    def create(
        cls,
        *,
        source: str,
        line: int,
        raw: str,
        logsource: LogSource,
        fields: Mapping[str, FieldValue],
        timestamp: datetime | None = None,
    ) -> Event:
        """An event with its field mapping frozen (read-only)."""
        return cls(source, line, raw, logsource, freeze(fields), timestamp)

    @classmethod
    def parsed(
        cls,
        source: str,
        line: int,
        raw: str,
        logsource: LogSource,
        fields: dict[str, FieldValue],
        timestamp: datetime | None,
    ) -> Event:
        """:meth:`create` for a parser's own new dict: positional, one copy into the frozen
        mapping and no keyword handling (the per-line path; the parser drops its dict). A
        FrozenDict the parser made (the C flattener's) is kept as it is: nothing else holds it."""
        frozen = fields if type(fields) is FrozenDict else FrozenDict(fields)
        return cls(source, line, raw, logsource, frozen, timestamp)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Event:
        """The event :meth:`to_json` wrote, log source included when it was stored."""
        source = data.get("logsource") or {}
        stamp = data.get("timestamp")
        return cls.create(
            source=data["source"],
            line=data["line"],
            raw=data["raw"],
            logsource=LogSource.of(
                source.get("product"),
                tuple(source.get("services", ())),
                tuple(source.get("categories", ())),
            ),
            fields={k: tuple(v) if isinstance(v, list) else v for k, v in data["fields"].items()},
            timestamp=datetime.fromisoformat(stamp) if stamp else None,
        )

    def to_wire(self) -> dict[str, Any]:
        """:meth:`to_json` plus the log source: what crosses a queue between processes."""
        data = self.to_json()
        data["logsource"] = {
            "product": self.logsource.product,
            "services": sorted(self.logsource.services),
            "categories": sorted(self.logsource.categories),
        }
        return data

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable view: what alerts attach as their matched events."""
        return {
            "source": self.source,
            "line": self.line,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "fields": {k: list(v) if isinstance(v, tuple) else v for k, v in self.fields.items()},
            "raw": self.raw,
        }
