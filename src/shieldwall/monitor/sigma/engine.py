"""The Sigma engine: rules routed by log source and gated by a multi-pattern literal prefilter.

For each event only the rules whose log source accepts it are considered (the routing is computed
once per distinct log source), and of those only the rules one of whose required literals occurs in
the event's text (one Aho-Corasick pass over the text) plus the few rules without such a literal
are evaluated. Rules are never tried one by one against every event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shieldwall.monitor.event import Event, LogSource
from shieldwall.monitor.sigma.literals import LiteralIndex
from shieldwall.monitor.sigma.prepared import PreparedEvent
from shieldwall.monitor.sigma.rule import CompiledRule


@dataclass(frozen=True, slots=True)
class _Route:
    """The rules that apply to one log source, split by whether a literal gates them."""

    gated: frozenset[int]
    always: tuple[int, ...]


class SigmaEngine:
    """Matches events against a compiled rule set."""

    def __init__(self, rules: Sequence[CompiledRule], *, engine: str | None = None) -> None:
        """Index ``rules``; ``engine`` forces the literal matcher (hyperscan or ahocorasick)."""
        self.rules = tuple(rules)
        owners: dict[str, list[int]] = {}
        for index, rule in enumerate(self.rules):
            for literal in rule.literals or ():
                owners.setdefault(literal, []).append(index)
        self._literals = LiteralIndex({k: tuple(v) for k, v in owners.items()}, engine=engine)
        # A cache, not state between calls: the routing of a log source never changes.
        self._routes: dict[LogSource, _Route] = {}

    def _route(self, source: LogSource) -> _Route:
        route = self._routes.get(source)
        if route is None:
            accepted = [i for i, r in enumerate(self.rules) if r.route.accepts(source)]
            route = _Route(
                frozenset(i for i in accepted if self.rules[i].literals is not None),
                tuple(i for i in accepted if self.rules[i].literals is None),
            )
            self._routes[source] = route
        return route

    def match(self, event: Event) -> list[CompiledRule]:
        """The rules that fire on ``event``, in rule-set order."""
        route = self._route(event.logsource)
        if not route.gated and not route.always:
            return []
        prepared = PreparedEvent(event)
        candidates: set[int] = set(route.always)
        if route.gated and self._literals:
            candidates.update(self._literals.rules_in(prepared.text()) & route.gated)
        return [self.rules[i] for i in sorted(candidates) if self.rules[i].predicate(prepared)]
