"""The condition language of YAML policies, evaluated in three-valued logic.

A condition is true (compliant), false (a finding) or unknown (a value that cannot be known
statically: no finding, because values are never guessed). Each outcome carries the place that
decided it, so a finding points at the offending attribute, or at the resource when the
attribute is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from shieldwall.analyzers.iac.model import Resource
from shieldwall.analyzers.iac.values import (
    ListValue,
    ObjectValue,
    Ref,
    Scalar,
    ScalarType,
    Unknown,
    Value,
    is_known,
    lookup,
    to_python,
    truthy,
)

Tri = bool | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of a condition and where it was decided."""

    result: Tri
    path: str
    line: int
    detail: str = ""
    present: bool = False  # decided by a value that is set (not by a missing attribute)


class Op(StrEnum):
    """Attribute comparisons."""

    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    IN = "in"
    NOT_IN = "not_in"
    EXISTS = "exists"
    CONTAINS = "contains"
    NOT_CONTAINS = "not_contains"
    REGEX = "regex"
    NOT_REGEX = "not_regex"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"
    TRUTHY = "is_true"
    FALSY = "is_false"


# What a missing attribute means for each operator when the policy gives no ``default``.
_MISSING_PASSES = frozenset({Op.NOT_EQUALS, Op.NOT_IN, Op.NOT_CONTAINS, Op.NOT_REGEX, Op.FALSY})


class Quantifier(StrEnum):
    """How many elements must satisfy a condition."""

    ANY = "any"
    ALL = "all"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Subject:
    """What a condition looks at: a value (attributes or a list element) and its resource."""

    value: Value
    resource: Resource


@dataclass(frozen=True, slots=True)
class AttrCondition:
    """``{attr: path, <op>: operand}``; ``default`` stands in for a missing attribute."""

    path: str
    op: Op
    operand: object
    default: object = None
    has_default: bool = False
    quantifier: Quantifier = Quantifier.ALL

    def evaluate(self, subject: Subject) -> Outcome:
        """Compare every value at the path."""
        found = [v for v in lookup(subject.value, self.path) if not _is_null(v)]
        if self.op is Op.EXISTS:
            present = bool(found)
            line = found[0].line if found else _deepest_line(subject, self.path)
            return Outcome(present == bool(self.operand), subject.resource.path, line, self.path)
        if not found:
            here = _deepest_line(subject, self.path)
            if self.has_default:
                default = Scalar(_as_scalar(self.default), here)
                result = _compare(self.op, default, self.operand)
                return Outcome(result, subject.resource.path, here, self.path)
            return Outcome(
                self.op in _MISSING_PASSES, subject.resource.path, here, f"{self.path} is not set"
            )
        results = [(_compare(self.op, v, self.operand), v) for v in found]
        out = _quantify(self.quantifier, results, subject, self.path)
        return Outcome(out.result, out.path, out.line, out.detail, present=True)


def _as_scalar(value: object) -> ScalarType:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _deepest_line(subject: Subject, path: str) -> int:
    """The line of the deepest existing part of a path (where a missing setting belongs)."""
    steps = path.split(".")
    for cut in range(len(steps) - 1, 0, -1):
        found = lookup(subject.value, ".".join(steps[:cut]))
        if found:
            return found[0].line
    return subject.value.line or subject.resource.line


def _quantify(
    q: Quantifier, results: list[tuple[Tri, Value]], subject: Subject, what: str
) -> Outcome:
    path = subject.resource.path
    if q is Quantifier.ALL:
        for res, v in results:
            if res is False:
                return Outcome(False, path, v.line, what)
        if any(res is None for res, _ in results):
            return Outcome(None, path, results[0][1].line, what)
        return Outcome(True, path, results[0][1].line, what)
    if q is Quantifier.ANY:
        if any(res is True for res, _ in results):
            return Outcome(True, path, results[0][1].line, what)
        if any(res is None for res, _ in results):
            return Outcome(None, path, results[0][1].line, what)
        return Outcome(False, path, results[0][1].line if results else subject.resource.line, what)
    for res, v in results:
        if res is True:
            return Outcome(False, path, v.line, what)
    if any(res is None for res, _ in results):
        return Outcome(None, path, subject.resource.line, what)
    return Outcome(True, path, subject.resource.line, what)


def _is_null(value: Value) -> bool:
    return isinstance(value, Scalar) and value.value is None


def _scalars(value: Value) -> list[object] | None:
    """The known scalar(s) of a value; ``None`` if any part is unknown."""
    if isinstance(value, Unknown | Ref):
        return None
    if isinstance(value, Scalar):
        return [value.value]
    if isinstance(value, ListValue):
        out: list[object] = []
        for item in value.items:
            inner = _scalars(item)
            if inner is None:
                return None
            out.extend(inner)
        return out
    return [to_python(value)]


def _norm(x: object) -> object:
    if isinstance(x, bool) or x is None:
        return x
    if isinstance(x, int | float):
        return float(x)
    if isinstance(x, str):
        low = x.strip().lower()
        if low in {"true", "false"}:
            return low == "true"
        try:
            return float(low)
        except ValueError:
            return x
    return x


def _eq(a: object, b: object) -> bool:
    return _norm(a) == _norm(b)


def _num(x: object) -> float | None:
    n = _norm(x)
    return n if isinstance(n, float) else None


def _compare(op: Op, value: Value, operand: object) -> Tri:
    if op is Op.TRUTHY or op is Op.FALSY:
        b = truthy(value)
        return None if b is None else (b if op is Op.TRUTHY else not b)
    if op in (Op.CONTAINS, Op.NOT_CONTAINS):
        items = _scalars(value)
        if items is None:
            return None
        if isinstance(value, Scalar) and isinstance(value.value, str):
            hit = str(operand).lower() in value.value.lower()
        else:
            hit = any(_eq(i, operand) for i in items)
        return hit if op is Op.CONTAINS else not hit
    if isinstance(value, Unknown | Ref):
        return None
    if not isinstance(value, Scalar):
        if not is_known(value):
            return None
        if op in (Op.EQUALS, Op.NOT_EQUALS):
            same = to_python(value) == operand
            return same if op is Op.EQUALS else not same
        # A known list or object never equals, matches or orders against a scalar operand.
        return op in _MISSING_PASSES
    raw = value.value
    match op:
        case Op.EQUALS:
            return _eq(raw, operand)
        case Op.NOT_EQUALS:
            return not _eq(raw, operand)
        case Op.IN:
            return any(_eq(raw, o) for o in _as_list(operand))
        case Op.NOT_IN:
            return not any(_eq(raw, o) for o in _as_list(operand))
        case Op.REGEX | Op.NOT_REGEX:
            hit = re.search(str(operand), "" if raw is None else str(raw)) is not None
            return hit if op is Op.REGEX else not hit
        case _:
            return _ordered(op, raw, operand)


def _ordered(op: Op, raw: object, operand: object) -> Tri:
    a, b = _num(raw), _num(operand)
    if a is None or b is None:
        return None
    compare: dict[Op, Callable[[float, float], bool]] = {
        Op.GT: lambda x, y: x > y,
        Op.GTE: lambda x, y: x >= y,
        Op.LT: lambda x, y: x < y,
        Op.LTE: lambda x, y: x <= y,
    }
    return compare[op](a, b)


def _as_list(operand: object) -> list[object]:
    return list(operand) if isinstance(operand, list | tuple) else [operand]


@dataclass(frozen=True, slots=True)
class AllOf:
    """``{and: [...]}``: every part holds."""

    items: tuple[Condition, ...]

    def evaluate(self, subject: Subject) -> Outcome:
        """False at the first failing part; unknown if a part is unknown and none fails."""
        unknown: Outcome | None = None
        first: Outcome | None = None
        for item in self.items:
            out = item.evaluate(subject)
            if out.result is False:
                return out
            if out.result is None and unknown is None:
                unknown = out
            first = first or out
        return unknown or first or Outcome(True, subject.resource.path, subject.resource.line)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """``{or: [...]}``: at least one part holds."""

    items: tuple[Condition, ...]

    def evaluate(self, subject: Subject) -> Outcome:
        """True at the first holding part; a failure points at the most specific failing part."""
        unknown: Outcome | None = None
        failures: list[Outcome] = []
        for item in self.items:
            out = item.evaluate(subject)
            if out.result is True:
                return out
            if out.result is None:
                unknown = unknown or out
            else:
                failures.append(out)
        if unknown is not None:
            return unknown
        # Point at a setting that is there and wrong; else at the first alternative's place.
        present = [f for f in failures if f.present]
        fallback = [Outcome(False, subject.resource.path, subject.resource.line)]
        return (present or failures or fallback)[0]


@dataclass(frozen=True, slots=True)
class Not:
    """``{not: ...}``."""

    item: Condition

    def evaluate(self, subject: Subject) -> Outcome:
        """The inverse, decided at the same place."""
        out = self.item.evaluate(subject)
        result = None if out.result is None else not out.result
        return Outcome(result, out.path, out.line, out.detail, out.present)


@dataclass(frozen=True, slots=True)
class Each:
    """``{each: path, any|all|none: condition}``: a condition over the elements of a list."""

    path: str
    quantifier: Quantifier
    item: Condition

    def evaluate(self, subject: Subject) -> Outcome:
        """Evaluate the inner condition on each element."""
        elements = [
            e
            for v in lookup(subject.value, self.path)
            for e in (v.items if isinstance(v, ListValue) else (v,))
        ]
        outcomes = [self.item.evaluate(Subject(e, subject.resource)) for e in elements]
        return _combine(self.quantifier, outcomes, subject)


def _combine(q: Quantifier, outcomes: list[Outcome], subject: Subject) -> Outcome:
    here = Outcome(q is not Quantifier.ANY, subject.resource.path, subject.resource.line)
    if q is Quantifier.ALL:
        return next(
            (o for o in outcomes if o.result is False),
            next((o for o in outcomes if o.result is None), here),
        )
    if q is Quantifier.NONE:
        hit = next((o for o in outcomes if o.result is True), None)
        if hit is not None:
            return Outcome(False, hit.path, hit.line, hit.detail)
        return next((o for o in outcomes if o.result is None), here)
    if any(o.result is True for o in outcomes):
        return next(o for o in outcomes if o.result is True)
    fallback = (
        outcomes[0] if outcomes else Outcome(False, subject.resource.path, subject.resource.line)
    )
    return next((o for o in outcomes if o.result is None), fallback)


@dataclass(frozen=True, slots=True)
class Related:
    """``{related: type, any|all|none: condition}`` or ``{related: type, exists: bool}``.

    Looks at the resources joined to this one (see :mod:`relations`); with no related resource
    ``any`` fails at the resource, ``all`` and ``none`` hold.
    """

    type: str
    quantifier: Quantifier | None
    item: Condition | None
    exists: bool | None = None

    def evaluate(self, subject: Subject) -> Outcome:
        """Evaluate over the related resources."""
        others = subject.resource.relations(self.type)
        res = subject.resource
        if self.exists is not None:
            return Outcome(
                bool(others) == self.exists,
                res.path,
                others[0].line if others else res.line,
                self.type,
            )
        if self.item is None or self.quantifier is None:
            return Outcome(None, res.path, res.line)
        outcomes = [self.item.evaluate(Subject(o.attributes, o)) for o in others]
        if not outcomes:
            return Outcome(
                self.quantifier is not Quantifier.ANY, res.path, res.line, f"no {self.type}"
            )
        return _combine(self.quantifier, outcomes, subject)


@dataclass(frozen=True, slots=True)
class Always:
    """A condition that always holds (a policy without ``when``)."""

    def evaluate(self, subject: Subject) -> Outcome:
        """True."""
        return Outcome(True, subject.resource.path, subject.resource.line)


Condition = AttrCondition | AllOf | AnyOf | Not | Each | Related | Always


def is_object(value: Value) -> bool:
    """Whether a value is an object (helper for checks)."""
    return isinstance(value, ObjectValue)
