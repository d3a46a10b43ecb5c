"""Which of our own rules (threshold, baseline) an event can concern: routed once per log source.

A log source's rules are computed once, with a gate: a field every one of them constrains and the
union of the values they allow, so one check rules out all of a route's rules at once (most events,
a cron line or an sshd disconnect, have no ``event.outcome`` that any brute-force rule counts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Generic, Protocol, TypeVar

from shieldwall.monitor.event import Event, FieldValue, LogSource
from shieldwall.monitor.sigma.prepared import as_text
from shieldwall.monitor.sigma.rule import RouteKey

__all__ = [
    "Gate",
    "RoutedRule",
    "RuleRouter",
    "common_gate",
    "compile_where",
    "fields_match",
    "gate_passes",
    "group_key",
]

# A field every routed rule constrains, and the union of the values they allow.
Gate = tuple[str, frozenset[str]]


class RoutedRule(Protocol):
    """What routing needs of a rule: its log source and its field equalities."""

    @property
    def route(self) -> RouteKey:
        """The rule's Sigma-style log source."""

    @property
    def where(self) -> Mapping[str, frozenset[str]]:
        """Field -> the lower-cased values the rule accepts."""


R = TypeVar("R", bound=RoutedRule)


def compile_where(where: Mapping[str, object]) -> dict[str, frozenset[str]]:
    """A rule's ``where:`` equalities as lower-cased value sets (a list is "any of")."""
    return {
        name: frozenset(as_text(v).lower() for v in (value if isinstance(value, list) else [value]))
        for name, value in where.items()
    }


def fields_match(where: Mapping[str, frozenset[str]], fields: Mapping[str, FieldValue]) -> bool:
    """Whether every equality of ``where`` holds on the event's fields."""
    for name, allowed in where.items():
        value = fields.get(name)
        if (value.lower() if type(value) is str else as_text(value).lower()) not in allowed:
            return False
    return True


def group_key(names: Sequence[str], fields: Mapping[str, FieldValue]) -> str | None:
    """``name=value,...`` of the grouping fields, or ``None`` when one is missing or empty."""
    values: list[str] = []
    for name in names:
        value = fields.get(name)
        if value is None or value == "":
            return None
        values.append(f"{name}={as_text(value)}")
    return ",".join(values)


def common_gate(wheres: Sequence[Mapping[str, frozenset[str]]]) -> Gate | None:
    """The most selective field all ``wheres`` constrain, with every value one of them allows."""
    if not wheres:
        return None
    names = set(wheres[0]).intersection(*wheres[1:])
    options = [(n, frozenset[str]().union(*(w[n] for w in wheres))) for n in sorted(names)]
    return min(options, key=lambda o: len(o[1])) if options else None


def gate_passes(gate: Gate, fields: Mapping[str, FieldValue]) -> bool:
    """Whether the event's value of the gate's field is one some rule allows."""
    value = fields.get(gate[0])
    return (value.lower() if type(value) is str else as_text(value).lower()) in gate[1]


class RuleRouter(Generic[R]):
    """The rules an event may concern, by its log source and the route's gate."""

    __slots__ = ("_last", "_routes", "rules")

    def __init__(self, rules: Sequence[R]) -> None:
        """Route ``rules``; nothing is computed until an event of a log source arrives."""
        self.rules = tuple(rules)
        # A cache, not state between calls: which rules a log source routes to never changes.
        self._routes: dict[LogSource, tuple[tuple[R, ...], Gate | None]] = {}
        # The previous event's log source and route, as one tuple (threads sharing a detector
        # stay consistent): consecutive events mostly share one, and an identity check is
        # cheaper than hashing the log source.
        self._last: tuple[LogSource | None, tuple[R, ...], Gate | None] = (None, (), None)

    def candidates(self, event: Event) -> tuple[R, ...]:
        """The rules routed to the event's log source, or () when the gate rules them all out."""
        last, routed, gate = self._last
        if event.logsource is not last:
            cached = self._routes.get(event.logsource)
            if cached is None:
                rules = tuple(r for r in self.rules if r.route.accepts(event.logsource))
                cached = self._routes[event.logsource] = (
                    rules,
                    common_gate([r.where for r in rules]),
                )
            routed, gate = cached
            self._last = (event.logsource, routed, gate)
        if gate is not None and not gate_passes(gate, event.fields):
            return ()
        return routed
