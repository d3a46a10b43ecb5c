"""The Sigma engine: rules routed by log source, gated by field values or by literals.

For each event only the rules whose log source accepts it are considered (the routing is computed
once per distinct log source). Of those, a rule that needs a field to equal one of some values
(``eventSource: iam.amazonaws.com``) is evaluated only when a dictionary lookup of the event's
values finds it; a rule that needs one of some literals in the event's text only when one pass of
the multi-pattern matcher over the text finds it; the few rules with neither always. Rules are
never tried one by one against every event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
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
    keyed: frozenset[int]
    literals: LiteralIndex | None
    # The key index restricted to this route's keyed rules, by field: an AWS record is looked up
    # under the few fields the AWS rules name, not under the 160 names of every rule's keys.
    keys: tuple[tuple[str, Mapping[str, tuple[int, ...]]], ...] = ()


class SigmaEngine:
    """Matches events against a compiled rule set."""

    def __init__(self, rules: Sequence[CompiledRule], *, engine: str | None = None) -> None:
        """Index ``rules``; ``engine`` forces the literal matcher (hyperscan or ahocorasick)."""
        self.rules = tuple(rules)
        self._engine = engine
        # How many rules name each key: a key shared by many rules (eventSource: iam) is likely
        # common in events too, so each rule is indexed by its option with the rarest keys.
        popularity: Counter[tuple[str, str]] = Counter(
            key for rule in self.rules for option in rule.key_options for key in option
        )
        keys: dict[tuple[str, str], set[int]] = {}
        self._keyed_rules: set[int] = set()
        for index, rule in enumerate(self.rules):
            if not rule.key_options:
                continue
            best = min(rule.key_options, key=lambda o: (max(popularity[k] for k in o), len(o)))
            for key in best:
                keys.setdefault(key, set()).add(index)
            self._keyed_rules.add(index)
        self._keys = {k: frozenset(v) for k, v in keys.items()}
        # A cache, not state between calls: the routing of a log source never changes.
        self._routes: dict[LogSource, _Route] = {}
        # Log sources that accept the same rules share one route: syslog makes a log source per
        # program (sshd, cron, su...), and each compiled matcher costs ~70 ms to build.
        self._by_rules: dict[tuple[int, ...], _Route] = {}
        self._last: tuple[LogSource | None, _Route] = (
            None,
            _Route(frozenset(), (), frozenset(), None),
        )

    def _route(self, source: LogSource) -> _Route:
        route = self._routes.get(source)
        if route is None:
            accepted = [i for i, r in enumerate(self.rules) if r.route.accepts(source)]
            shared = self._by_rules.get(tuple(accepted))
            if shared is not None:
                self._routes[source] = shared
                return shared
            keyed = frozenset(i for i in accepted if i in self._keyed_rules)
            gated = frozenset(i for i in accepted if i not in keyed and self.rules[i].literals)
            route = _Route(
                gated,
                tuple(i for i in accepted if i not in keyed and self.rules[i].literals is None),
                keyed,
                self._literal_index(gated),
                self._route_keys(keyed),
            )
            self._routes[source] = self._by_rules[tuple(accepted)] = route
        return route

    def match(self, event: Event) -> list[CompiledRule]:
        """The rules that fire on ``event``, in rule-set order."""
        # Consecutive events mostly share their log source: an identity check, not a hash. One
        # tuple, assigned at once, so that threads sharing the engine never pair them wrongly.
        last, route = self._last
        if event.logsource is not last:
            route = self._route(event.logsource)
            self._last = (event.logsource, route)
        if not route.gated and not route.always and not route.keyed:
            return []
        prepared = PreparedEvent(event)
        candidates: set[int] = set(route.always)
        if route.keys:
            fields = event.fields
            for name, index in route.keys:
                value = fields.get(name)
                if type(value) is str:  # the common case inlined; the predicates reuse it
                    lowered = value.lower()
                    prepared.remember(name, (lowered,))
                    hit = index.get(lowered)
                    if hit:
                        candidates.update(hit)
                elif name in fields:
                    for text in prepared.lower(name) or ():
                        hit = index.get(text)
                        if hit:
                            candidates.update(hit)
        if route.literals is not None:
            candidates.update(route.literals.rules_in(prepared.text()))
        if not candidates:
            return []
        rules = self.rules
        if len(candidates) == 1:
            only = rules[candidates.pop()]
            return [only] if only.predicate(prepared) else []
        return [rules[i] for i in sorted(candidates) if rules[i].predicate(prepared)]

    def _route_keys(
        self, keyed: frozenset[int]
    ) -> tuple[tuple[str, Mapping[str, tuple[int, ...]]], ...]:
        """The (field -> value -> rules) index of the keyed rules of one route."""
        by_field: dict[str, dict[str, set[int]]] = {}
        for (name, value), owners in self._keys.items():
            mine = owners & keyed
            if mine:
                by_field.setdefault(name, {}).setdefault(value, set()).update(mine)
        return tuple(
            (name, {value: tuple(sorted(rules)) for value, rules in values.items()})
            for name, values in sorted(by_field.items())
        )

    def _literal_index(self, gated: frozenset[int]) -> LiteralIndex | None:
        """One multi-pattern matcher per log source, over the literals of its rules only: an
        AWS record is not scanned for the 13,000 literals of the Windows rules."""
        owners: dict[str, list[int]] = {}
        for index in sorted(gated):
            for literal in self.rules[index].literals or ():
                owners.setdefault(literal, []).append(index)
        if not owners:
            return None
        return LiteralIndex({k: tuple(v) for k, v in owners.items()}, engine=self._engine)
