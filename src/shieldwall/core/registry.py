"""The plugin registry: the built-ins plus Python entry points, built once and passed down.

Nothing registers itself at import time; ``build_registry`` is the only place the families are
assembled, and it fails on a duplicate id.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import MappingProxyType
from typing import Any, TypeVar

from shieldwall.core.errors import RegistryError
from shieldwall.core.ids import RuleId
from shieldwall.core.protocols import Analyzer, Importer, Reporter
from shieldwall.core.rule import Rule

ANALYZER_GROUP = "shieldwall.analyzers"
REPORTER_GROUP = "shieldwall.reporters"
IMPORTER_GROUP = "shieldwall.importers"


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PluginRef:
    """A plugin named by where it lives, imported on first use.

    Importing every scanner costs seconds (parsers, SBOM and hub libraries); a pre-commit hook
    that runs one scanner should pay for that one only.
    """

    id: str
    module: str
    attribute: str

    def load(self) -> Any:
        """Import the module and return the plugin (classes are instantiated)."""
        try:
            target = getattr(importlib.import_module(self.module), self.attribute)
        except (ImportError, AttributeError) as exc:
            raise RegistryError(
                f"plugin {self.id!r} ({self.module}:{self.attribute}): {exc}"
            ) from exc
        return target() if isinstance(target, type) else target


class LazyPlugins(Mapping[str, T]):
    """id -> plugin, where each :class:`PluginRef` is imported the first time it is asked for."""

    def __init__(self, entries: Mapping[str, Any], key: str) -> None:
        """``entries`` maps ids to plugins or refs; ``key`` names the id attribute."""
        self._entries = dict(entries)
        self._key = key
        self._loaded: dict[str, T] = {}

    def __getitem__(self, plugin_id: str) -> T:
        if plugin_id in self._loaded:
            return self._loaded[plugin_id]
        entry = self._entries[plugin_id]
        plugin = entry.load() if isinstance(entry, PluginRef) else entry
        if getattr(plugin, self._key, None) != plugin_id:
            raise RegistryError(
                f"plugin listed as {plugin_id!r} calls itself {getattr(plugin, self._key, None)!r}"
            )
        self._loaded[plugin_id] = plugin
        return plugin  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


class DeferredPlugins(Mapping[str, T]):
    """A whole family built by one loader on first access (ids are not known before)."""

    def __init__(self, loader: Callable[[], Iterable[T]], kind: str, key: str) -> None:
        """``loader`` returns the plugins; they are indexed by their ``key`` attribute."""
        self._loader = loader
        self._kind = kind
        self._key = key
        self._table: dict[str, T] | None = None

    def _index(self) -> dict[str, T]:
        if self._table is None:
            self._table = _index(self._kind, self._loader(), self._key)
        return self._table

    def __getitem__(self, plugin_id: str) -> T:
        return self._index()[plugin_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index())

    def __len__(self) -> int:
        return len(self._index())


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
        plugin_id = plugin.id if isinstance(plugin, PluginRef) else getattr(plugin, key)
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
    analyzers: Iterable[Analyzer | PluginRef] | None = None,
    reporters: Iterable[Reporter] | None = None,
    importers: Iterable[Importer] | Callable[[], Iterable[Importer]] | None = None,
    include_entry_points: bool = True,
) -> Registry:
    """Build the registry from the given built-ins plus installed entry points.

    Callers pass the built-ins (``shieldwall.plugins``) so that ``core`` imports nothing else of
    ours. Analyzers given as :class:`PluginRef` are imported when first used; importers given as
    a function are built when the hub first asks for them.
    """
    found_analyzers: list[Any] = list(analyzers or ())
    found_reporters = list(reporters or ())
    if include_entry_points:
        found_analyzers += _load_entry_points(ANALYZER_GROUP)
        found_reporters += _load_entry_points(REPORTER_GROUP)

    def all_importers() -> list[Importer]:
        given = importers() if callable(importers) else list(importers or ())
        extra = _load_entry_points(IMPORTER_GROUP) if include_entry_points else []
        return [*given, *extra]

    return Registry(
        analyzers=LazyPlugins(_index("analyzer", found_analyzers, "id"), "id"),
        reporters=MappingProxyType(_index("reporter", found_reporters, "format")),
        importers=DeferredPlugins(all_importers, "importer", "format"),
    )
