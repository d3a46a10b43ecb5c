"""The plugin registry: the built-ins plus Python entry points, built once and passed down.

Nothing registers itself at import time; ``build_registry`` is the only place the families are
assembled, and it fails on a duplicate id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import MappingProxyType
from typing import Any

from shieldwall.core.errors import RegistryError
from shieldwall.core.ids import RuleId
from shieldwall.core.protocols import Analyzer, Importer, Reporter
from shieldwall.core.rule import Rule

ANALYZER_GROUP = "shieldwall.analyzers"
REPORTER_GROUP = "shieldwall.reporters"
IMPORTER_GROUP = "shieldwall.importers"


@dataclass(frozen=True, slots=True)
class Registry:
    """Immutable maps from id to plugin for every family."""

    analyzers: Mapping[str, Analyzer]
    reporters: Mapping[str, Reporter]
    importers: Mapping[str, Importer]

    def analyzer(self, analyzer_id: str) -> Analyzer:
        """The analyzer with this id; :class:`RegistryError` lists the known ones otherwise."""
        try:
            return self.analyzers[analyzer_id]
        except KeyError:
            known = ", ".join(sorted(self.analyzers))
            raise RegistryError(f"unknown scanner {analyzer_id!r}; known: {known}") from None

    def reporter(self, fmt: str) -> Reporter:
        """The reporter for a format name."""
        try:
            return self.reporters[fmt]
        except KeyError:
            known = ", ".join(sorted(self.reporters))
            raise RegistryError(f"unknown format {fmt!r}; known: {known}") from None

    def all_rules(self) -> Mapping[RuleId, Rule]:
        """Every rule of every analyzer, keyed by id (ids are unique across analyzers)."""
        rules: dict[RuleId, Rule] = {}
        for analyzer in self.analyzers.values():
            for rule in analyzer.rules():
                if rule.id in rules and rules[rule.id] != rule:
                    raise RegistryError(f"rule id {rule.id} is defined twice")
                rules[rule.id] = rule
        return MappingProxyType(rules)


def _index(kind: str, plugins: Iterable[Any], key: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for plugin in plugins:
        plugin_id = getattr(plugin, key)
        if plugin_id in table:
            raise RegistryError(f"two {kind} plugins share the id {plugin_id!r}")
        table[plugin_id] = plugin
    return table


def _load_entry_points(group: str) -> list[Any]:
    loaded: list[Any] = []
    for entry in entry_points(group=group):
        try:
            factory = entry.load()
        except Exception as exc:  # a broken third-party plugin must name itself
            raise RegistryError(
                f"plugin {entry.name!r} ({entry.value}) failed to load: {exc}"
            ) from exc
        loaded.append(factory() if isinstance(factory, type) else factory)
    return loaded


def build_registry(
    *,
    analyzers: Iterable[Analyzer] | None = None,
    reporters: Iterable[Reporter] | None = None,
    importers: Iterable[Importer] | None = None,
    include_entry_points: bool = True,
) -> Registry:
    """Build the registry from the given built-ins plus installed entry points.

    Callers pass the built-ins (``shieldwall.plugins.builtin_*``) so that ``core`` imports
    nothing else of ours.
    """
    found_analyzers = list(analyzers or ())
    found_reporters = list(reporters or ())
    found_importers = list(importers or ())
    if include_entry_points:
        found_analyzers += _load_entry_points(ANALYZER_GROUP)
        found_reporters += _load_entry_points(REPORTER_GROUP)
        found_importers += _load_entry_points(IMPORTER_GROUP)
    return Registry(
        analyzers=MappingProxyType(_index("analyzer", found_analyzers, "id")),
        reporters=MappingProxyType(_index("reporter", found_reporters, "format")),
        importers=MappingProxyType(_index("importer", found_importers, "format")),
    )
