"""The Terraform built-in functions that matter for security settings, over known values.

A function whose arguments are not all known returns :class:`Unknown`: values are never guessed.
Functions that read the filesystem or the clock (``file``, ``timestamp``) are always unknown here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from shieldwall.analyzers.iac.values import (
    ListValue,
    ObjectValue,
    Scalar,
    Unknown,
    Value,
    is_known,
    obj,
    to_python,
)

Function = Callable[[list[Value], int], Value]


def _str(value: Value) -> str | None:
    if isinstance(value, Scalar) and value.value is not None:
        raw = value.value
        if isinstance(raw, bool):
            return "true" if raw else "false"
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        return str(raw)
    return None


def _string_fn(fn: Callable[[str], str]) -> Function:
    def call(args: list[Value], line: int) -> Value:
        text = _str(args[0]) if args else None
        return Unknown(line, "unknown argument") if text is None else Scalar(fn(text), line)

    return call


def _jsonencode(args: list[Value], line: int) -> Value:
    # Keep the structure: IAM checks read policy documents whether they are JSON text or
    # jsonencode() objects, and the lines inside the object stay exact.
    return args[0] if args else Unknown(line)


def _concat(args: list[Value], line: int) -> Value:
    items: list[Value] = []
    for arg in args:
        if not isinstance(arg, ListValue):
            return Unknown(line, "concat of an unknown list")
        items.extend(arg.items)
    return ListValue(tuple(items), line)


def _merge(args: list[Value], line: int) -> Value:
    fields: dict[str, Value] = {}
    for arg in args:
        if not isinstance(arg, ObjectValue):
            return Unknown(line, "merge of an unknown map")
        fields.update(arg.fields)
    return obj(fields, line)


def _join(args: list[Value], line: int) -> Value:
    if len(args) < 2 or _str(args[0]) is None:
        return Unknown(line)
    parts: list[str] = []
    for lst in args[1:]:
        if not isinstance(lst, ListValue):
            return Unknown(line)
        for item in lst.items:
            text = _str(item)
            if text is None:
                return Unknown(line)
            parts.append(text)
    return Scalar(str(_str(args[0])).join(parts), line)


def _split(args: list[Value], line: int) -> Value:
    sep, text = (_str(a) for a in args[:2]) if len(args) >= 2 else (None, None)
    if sep is None or text is None:
        return Unknown(line)
    return ListValue(tuple(Scalar(p, line) for p in text.split(sep)), line)


def _lookup(args: list[Value], line: int) -> Value:
    if len(args) < 2 or not isinstance(args[0], ObjectValue) or _str(args[1]) is None:
        return Unknown(line)
    found = args[0].fields.get(str(_str(args[1])))
    if found is not None:
        return found
    return args[2] if len(args) > 2 else Unknown(line, "lookup of a missing key")


def _coalesce(args: list[Value], line: int) -> Value:
    for arg in args:
        if not isinstance(arg, Scalar):
            return Unknown(line)
        if arg.value not in (None, ""):
            return arg
    return Unknown(line)


_ERRORS = ("no attribute", "lookup of a missing key")


def _try(args: list[Value], line: int) -> Value:
    # try() skips arguments that fail (a missing key), not ones that are merely unknown: an
    # unknown first argument makes the result unknown, as it does for Terraform.
    for arg in args:
        if is_known(arg):
            return arg
        if not (isinstance(arg, Unknown) and arg.reason.startswith(_ERRORS)):
            return Unknown(line, "try() of an unknown value")
    return Unknown(line)


def _identity(args: list[Value], line: int) -> Value:
    return args[0] if args else Unknown(line)


def _tolist(args: list[Value], line: int) -> Value:
    if args and isinstance(args[0], ListValue):
        return args[0]
    return Unknown(line)


def _length(args: list[Value], line: int) -> Value:
    if not args:
        return Unknown(line)
    arg = args[0]
    if isinstance(arg, ListValue):
        return Scalar(len(arg.items), line)
    if isinstance(arg, ObjectValue):
        return Scalar(len(arg.fields), line)
    text = _str(arg)
    return Unknown(line) if text is None else Scalar(len(text), line)


def _tonumber(args: list[Value], line: int) -> Value:
    text = _str(args[0]) if args else None
    try:
        number = float(text) if text is not None else None
    except ValueError:
        return Unknown(line)
    if number is None:
        return Unknown(line)
    return Scalar(int(number) if number.is_integer() else number, line)


def _tobool(args: list[Value], line: int) -> Value:
    text = _str(args[0]) if args else None
    if text in {"true", "false"}:
        return Scalar(text == "true", line)
    return Unknown(line)


def _format(args: list[Value], line: int) -> Value:
    spec = _str(args[0]) if args else None
    if spec is None:
        return Unknown(line)
    values = [_str(a) for a in args[1:]]
    if any(v is None for v in values):
        return Unknown(line)
    it = iter(values)
    try:
        text = re.sub(
            r"%%|%[-+ #0-9.]*[sdvqft]", lambda m: "%" if m.group() == "%%" else str(next(it)), spec
        )
    except StopIteration:
        return Unknown(line, "format: too few arguments")
    return Scalar(text, line)


def _contains(args: list[Value], line: int) -> Value:
    if len(args) < 2 or not isinstance(args[0], ListValue) or not is_known(args[0]):
        return Unknown(line)
    wanted = to_python(args[1])
    return Scalar(any(to_python(v) == wanted for v in args[0].items), line)


def _element(args: list[Value], line: int) -> Value:
    if len(args) < 2 or not isinstance(args[0], ListValue) or not args[0].items:
        return Unknown(line)
    index = _str(args[1])
    if index is None or not index.lstrip("-").isdigit():
        return Unknown(line)
    return args[0].items[int(index) % len(args[0].items)]


def _replace(args: list[Value], line: int) -> Value:
    texts = [_str(a) for a in args[:3]]
    if len(texts) < 3 or any(t is None for t in texts):
        return Unknown(line)
    text, old, new = (str(t) for t in texts)
    return Scalar(text.replace(old, new), line)


FUNCTIONS: dict[str, Function] = {
    "jsonencode": _jsonencode,
    "yamlencode": _jsonencode,
    "lower": _string_fn(str.lower),
    "upper": _string_fn(str.upper),
    "trimspace": _string_fn(str.strip),
    "title": _string_fn(str.title),
    "tostring": _string_fn(lambda s: s),
    "tonumber": _tonumber,
    "tobool": _tobool,
    "concat": _concat,
    "merge": _merge,
    "join": _join,
    "split": _split,
    "lookup": _lookup,
    "coalesce": _coalesce,
    "try": _try,
    "tolist": _tolist,
    "toset": _tolist,
    "tomap": _identity,
    "sensitive": _identity,
    "nonsensitive": _identity,
    "length": _length,
    "format": _format,
    "contains": _contains,
    "element": _element,
    "replace": _replace,
}
