"""A detection rule compiled for the engine, and the report of a rule that could not be."""

from __future__ import annotations

from dataclasses import dataclass

from shieldwall.core.severity import Severity
from shieldwall.monitor.event import LogSource
from shieldwall.monitor.sigma.compile import KeyOptions, Keys, Literals, Predicate

_LEVELS = {
    "informational": Severity.INFO,
    "low": Severity.LOW,
    "medium": Severity.MEDIUM,
    "high": Severity.HIGH,
    "critical": Severity.CRITICAL,
}


def severity_of(level: str | None) -> Severity:
    """The shieldwall severity of a Sigma ``level`` (medium when the rule states none)."""
    return _LEVELS.get((level or "medium").lower(), Severity.MEDIUM)


@dataclass(frozen=True, slots=True)
class RouteKey:
    """A rule's Sigma log source: each attribute it names must be present on the event."""

    product: str | None
    category: str | None
    service: str | None

    def accepts(self, source: LogSource) -> bool:
        """Whether events of ``source`` are routed to rules of this key."""
        return (
            (self.product is None or self.product == source.product)
            and (self.category is None or self.category in source.categories)
            and (self.service is None or self.service in source.services)
        )


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """One Sigma rule ready to match: metadata, log source and a compiled predicate."""

    rule_id: str
    title: str
    severity: Severity
    route: RouteKey
    predicate: Predicate
    literals: Literals
    path: str
    author: str | None = None
    tags: tuple[str, ...] = ()
    key_options: KeyOptions = ()

    @property
    def keys(self) -> Keys:
        """The smallest of the rule's key sets (the engine picks by rarity instead)."""
        return min(self.key_options, key=len) if self.key_options else None


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A rule that was not loaded, and the feature (or error) that stopped it."""

    path: str
    rule_id: str | None
    title: str | None
    feature: str

    def __str__(self) -> str:
        name = self.rule_id or self.title or "?"
        return f"{self.path}: {name}: {self.feature}"
