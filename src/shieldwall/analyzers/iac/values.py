"""The typed value tree of every parser: scalars, lists, objects and unknowns, each with a line.

Terraform, CloudFormation, Kubernetes and Compose all end up as these values, so a policy reads one
shape whatever the source. A value that cannot be resolved (a variable without a default, a
reference to another resource's computed attribute) is :class:`Unknown` or :class:`Ref`: it is
never guessed, and checks treat it as "cannot tell" rather than as a violation.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ScalarType = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Scalar:
    """A known string, number, boolean or null."""

    value: ScalarType
    line: int


@dataclass(frozen=True, slots=True)
class ListValue:
    """A list (Terraform tuple/list/set or repeated block, YAML sequence, JSON array)."""

    items: tuple[Value, ...]
    line: int


@dataclass(frozen=True, slots=True)
class ObjectValue:
    """A mapping (Terraform object/map or block body, YAML mapping, JSON object)."""

    fields: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))
    line: int = 0

    def get(self, key: str) -> Value | None:
        """The value of one field, or ``None`` when absent."""
        return self.fields.get(key)


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value that cannot be known statically; ``reason`` says why (for notes and debugging)."""

    line: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to another resource (``aws_s3_bucket.b.id``, ``!Ref Bucket``); value unknown."""

    target: str
    attribute: str
    line: int


Value = Scalar | ListValue | ObjectValue | Unknown | Ref


def obj(fields: Mapping[str, Value], line: int) -> ObjectValue:
    """An object value over a private copy of ``fields``."""
    return ObjectValue(MappingProxyType(dict(fields)), line)


def is_known(value: Value) -> bool:
    """Whether a value is fully known (no Unknown or Ref anywhere inside)."""
    match value:
        case Scalar():
            return True
        case ListValue():
            return all(is_known(v) for v in value.items)
        case ObjectValue():
            return all(is_known(v) for v in value.fields.values())
        case Unknown() | Ref():
            return False


def to_python(value: Value) -> object:
    """Plain Python data (``None`` stands in for unknowns); used for IAM documents and messages."""
    match value:
        case Scalar():
            return value.value
        case ListValue():
            return [to_python(v) for v in value.items]
        case ObjectValue():
            return {k: to_python(v) for k, v in value.fields.items()}
        case Unknown() | Ref():
            return None


def lookup(value: Value, path: str) -> list[Value]:
    """Every value at a dotted path; lists of objects are walked through (``ingress.cidr_blocks``).

    ``[*]`` after a name spreads a list, and a number selects one element (``containers.0.name``).
    A path that does not exist gives ``[]``.
    """
    current: list[Value] = [value]
    for step in _steps(path):
        nxt: list[Value] = []
        for item in current:
            nxt.extend(_step(item, step))
        current = nxt
    return current


@functools.lru_cache(maxsize=4096)
def _steps(path: str) -> tuple[str, ...]:
    # Policies use a few hundred distinct paths over and over: parse each once.
    out: list[str] = []
    for part in path.split("."):
        if part.endswith("[*]"):
            if part[:-3]:
                out.append(part[:-3])
            out.append("*")
        elif part:
            out.append(part)
    return tuple(out)


def _step(item: Value, step: str) -> list[Value]:
    if step == "*":
        return list(item.items) if isinstance(item, ListValue) else [item]
    if isinstance(item, ObjectValue):
        found = item.fields.get(step)
        return [] if found is None else [found]
    if isinstance(item, ListValue):
        if step.isdigit():
            index = int(step)
            return [item.items[index]] if index < len(item.items) else []
        out: list[Value] = []
        for element in item.items:
            if isinstance(element, ObjectValue):
                found = element.fields.get(step)
                if found is not None:
                    out.append(found)
        return out
    return []


def truthy(value: Value) -> bool | None:
    """A boolean reading of a scalar (``true``, ``"Enabled"``...); ``None`` if unknown."""
    if not isinstance(value, Scalar):
        return None
    raw = value.value
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        low = raw.strip().lower()
        if low in {"true", "yes", "on", "enabled", "1"}:
            return True
        if low in {"false", "no", "off", "disabled", "0", ""}:
            return False
        return None
    if isinstance(raw, int | float):
        return raw != 0
    return False


def first_line(value: Value) -> int:
    """The line where a value starts."""
    return value.line
