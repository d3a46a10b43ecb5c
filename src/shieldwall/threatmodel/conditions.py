"""Declarative rule conditions: compiled from data, checked against the fact types, never eval'd.

Grammar (YAML)::

    when:                       # a mapping is the conjunction of its entries
      kind: [web_app, api]      # list: the fact is one of these (a set fact: shares one)
      exposure: internet        # scalar: equal (a set fact: contains it)
      controls: {lacks: waf}    # operators: eq ne in not_in has lacks has_any gte lte
      any:                      # all / any take a list of conditions, not takes one
        - authentication: none
        - authorisation: none
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, assert_never

from shieldwall.core.errors import RuleDefinitionError
from shieldwall.threatmodel.facts import FACTS, FactKind, Facts, FactType
from shieldwall.threatmodel.vocabulary import ElementType

_OPERATORS = frozenset({"eq", "ne", "in", "not_in", "has", "lacks", "has_any", "gte", "lte"})
_SET_ONLY = frozenset({"has", "lacks", "has_any"})
_INT_ONLY = frozenset({"gte", "lte"})


@dataclass(frozen=True, slots=True)
class Test:
    """One comparison of a fact with a value."""

    fact: str
    op: str
    value: bool | int | str | frozenset[str]


@dataclass(frozen=True, slots=True)
class All:
    """Every part holds (true when empty)."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Any_:
    """At least one part holds."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """The part does not hold."""

    part: Condition


Condition = Test | All | Any_ | Not


def compile_condition(raw: Any, element: ElementType, where: str) -> Condition:
    """Compile a condition for ``element``; ``where`` names the rule in error messages."""
    facts = FACTS[element]
    if not isinstance(raw, Mapping):
        raise RuleDefinitionError(f"{where}: a condition must be a mapping, not {raw!r}")
    parts: list[Condition] = []
    for key, value in raw.items():
        match key:
            case "all" | "any":
                if not isinstance(value, list) or not value:
                    raise RuleDefinitionError(f"{where}: {key} takes a non-empty list")
                compiled = tuple(compile_condition(v, element, where) for v in value)
                parts.append(All(compiled) if key == "all" else Any_(compiled))
            case "not":
                parts.append(Not(compile_condition(value, element, where)))
            case _:
                fact_type = facts.get(key)
                if fact_type is None:
                    known = ", ".join(sorted(facts))
                    raise RuleDefinitionError(
                        f"{where}: {element} has no fact {key!r} (known: {known})"
                    )
                parts.append(_test(key, fact_type, value, where))
    return parts[0] if len(parts) == 1 else All(tuple(parts))


def _test(fact: str, fact_type: FactType, raw: Any, where: str) -> Test:
    if isinstance(raw, Mapping):
        if len(raw) != 1:
            raise RuleDefinitionError(f"{where}: {fact}: one operator per test")
        op, operand = next(iter(raw.items()))
    elif isinstance(raw, list):
        op, operand = ("has_any" if fact_type.kind is FactKind.SET else "in"), raw
    else:
        op, operand = ("has" if fact_type.kind is FactKind.SET else "eq"), raw
    if op not in _OPERATORS:
        raise RuleDefinitionError(f"{where}: {fact}: unknown operator {op!r}")
    if op in _SET_ONLY and fact_type.kind is not FactKind.SET:
        raise RuleDefinitionError(f"{where}: {fact}: {op} needs a set fact")
    if op in _INT_ONLY and fact_type.kind is not FactKind.INT:
        raise RuleDefinitionError(f"{where}: {fact}: {op} needs a number fact")
    return Test(fact, op, _operand(fact, fact_type, op, operand, where))


def _operand(
    fact: str, fact_type: FactType, op: str, operand: Any, where: str
) -> bool | int | str | frozenset[str]:
    if op in {"in", "not_in", "has_any"}:
        if not isinstance(operand, list) or not operand:
            raise RuleDefinitionError(f"{where}: {fact}: {op} takes a non-empty list")
        return frozenset(str(_scalar(fact, fact_type, v, where)) for v in operand)
    value = _scalar(fact, fact_type, operand, where)
    if isinstance(value, bool) and op not in {"eq", "ne"}:
        raise RuleDefinitionError(f"{where}: {fact}: {op} does not apply to true/false")
    return value


def _scalar(fact: str, fact_type: FactType, value: Any, where: str) -> bool | int | str:
    match fact_type.kind:
        case FactKind.BOOL:
            if not isinstance(value, bool):
                raise RuleDefinitionError(f"{where}: {fact} is true or false, not {value!r}")
            return bool(value)
        case FactKind.INT:
            if isinstance(value, bool) or not isinstance(value, int):
                raise RuleDefinitionError(f"{where}: {fact} is a number, not {value!r}")
            return int(value)
        case FactKind.TEXT | FactKind.SET:
            if not isinstance(value, str):
                raise RuleDefinitionError(f"{where}: {fact} is text, not {value!r}")
            text = value.lower()
            if fact_type.choices and text not in fact_type.choices:
                choices = ", ".join(sorted(fact_type.choices))
                raise RuleDefinitionError(f"{where}: {fact} is never {value!r} (one of: {choices})")
            return text
        case _:
            assert_never(fact_type.kind)


def evaluate(condition: Condition, facts: Facts) -> bool:
    """Whether ``facts`` satisfy ``condition``."""
    match condition:
        case All(parts):
            return all(evaluate(p, facts) for p in parts)
        case Any_(parts):
            return any(evaluate(p, facts) for p in parts)
        case Not(part):
            return not evaluate(part, facts)
        case Test():
            return _holds(condition, facts[condition.fact])
        case _:
            assert_never(condition)


def _holds(test: Test, actual: Any) -> bool:
    value = test.value
    is_set = isinstance(actual, frozenset)
    match test.op:
        case "eq":
            return bool(actual == value)
        case "ne":
            return bool(actual != value)
        case "in":
            return actual in value  # type: ignore[operator]
        case "not_in":
            return actual not in value  # type: ignore[operator]
        case "has":
            return is_set and value in actual
        case "lacks":
            return is_set and value not in actual
        case "has_any":
            return is_set and isinstance(value, frozenset) and bool(actual & value)
        case "gte":
            return bool(actual >= value)
        case "lte":
            return bool(actual <= value)
    raise RuleDefinitionError(f"unknown operator {test.op!r}")


Predicate = Callable[[Facts], bool]


def to_predicate(condition: Condition) -> Predicate:
    """The condition as a closure: evaluating a tree node by node is the hot loop of a check."""
    match condition:
        case All(parts):
            preds = tuple(to_predicate(p) for p in parts)
            return lambda facts: all(p(facts) for p in preds)
        case Any_(parts):
            preds = tuple(to_predicate(p) for p in parts)
            return lambda facts: any(p(facts) for p in preds)
        case Not(part):
            pred = to_predicate(part)
            return lambda facts: not pred(facts)
        case Test(fact=fact, op=op, value=value):
            return _test_predicate(fact, op, value)
        case _:
            assert_never(condition)


def _test_predicate(fact: str, op: str, value: bool | int | str | frozenset[str]) -> Predicate:
    match op:
        case "eq":
            return lambda facts: bool(facts[fact] == value)
        case "ne":
            return lambda facts: bool(facts[fact] != value)
        case "in" | "not_in" | "has_any":
            values = value if isinstance(value, frozenset) else frozenset({str(value)})
            if op == "in":
                return lambda facts: facts[fact] in values
            if op == "not_in":
                return lambda facts: facts[fact] not in values
            return lambda facts: not values.isdisjoint(facts[fact])
        case "has":
            return lambda facts: value in facts[fact]
        case "lacks":
            return lambda facts: value not in facts[fact]
        case "gte":
            return lambda facts: bool(facts[fact] >= value)
        case "lte":
            return lambda facts: bool(facts[fact] <= value)
    raise RuleDefinitionError(f"unknown operator {op!r}")
