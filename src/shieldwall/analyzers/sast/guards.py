"""Validation guards: ``if is_safe(x):`` and ``if x not in ALLOWED: return``.

A branch taken only when a validator accepted ``x`` sees ``x`` as safe for the validator's sink
kinds; a branch that ends the function (``return``, ``raise``, ``abort()``) does not flow into
the code after the ``if``. Together: ``if not url_has_allowed_host_and_scheme(u): u = "/"`` and
``if u not in ALLOWED: abort(400)`` both leave ``u`` safe afterwards, while a guard on one path
only still leaves the other path tainted.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

Resolver = Callable[[ast.expr], str]

_ALL = frozenset({"all"})
_EXITS = ("abort", "flask.abort", "sys.exit", "exit", "os._exit")


@dataclass(frozen=True, slots=True)
class Guard:
    """The name a test validates, what it is safe for, and in which branch."""

    key: str
    clears: frozenset[str]
    when_true: bool


def find_guard(
    test: ast.expr,
    validators: dict[str, frozenset[str]],
    validator_methods: dict[str, frozenset[str]],
    resolve: Resolver,
) -> Guard | None:
    """The guard a condition expresses, if it is one we understand."""
    negated = False
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        negated = not negated
        test = test.operand
    found = _membership(test) or _validator_call(test, validators, validator_methods, resolve)
    if found is None:
        return None
    key, clears, when_true = found
    return Guard(key, clears, when_true != negated)


def _membership(test: ast.expr) -> tuple[str, frozenset[str], bool] | None:
    """``x in ALLOWED`` / ``x not in ("a", "b")`` against a literal or an upper-case constant."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    op, container = test.ops[0], test.comparators[0]
    if not isinstance(op, ast.In | ast.NotIn):
        return None
    literal = isinstance(container, ast.Tuple | ast.List | ast.Set | ast.Dict) and all(
        isinstance(e, ast.Constant)
        for e in getattr(container, "elts", getattr(container, "keys", []))
    )
    constant = isinstance(container, ast.Name) and container.id.isupper()
    key = _name(test.left)
    if key is None or not (literal or constant):
        return None
    return key, _ALL, isinstance(op, ast.In)


def _validator_call(
    test: ast.expr,
    validators: dict[str, frozenset[str]],
    validator_methods: dict[str, frozenset[str]],
    resolve: Resolver,
) -> tuple[str, frozenset[str], bool] | None:
    if not isinstance(test, ast.Call):
        return None
    func = test.func
    if isinstance(func, ast.Attribute) and func.attr in validator_methods:
        key = _name(func.value)
        return (key, validator_methods[func.attr], True) if key else None
    clears = validators.get(resolve(func))
    if clears is None or not test.args:
        return None
    key = _name(test.args[0]) or _keyword_name(test)
    return (key, clears, True) if key else None


def _keyword_name(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg in ("url", "value", "string"):
            return _name(keyword.value)
    return None


def _name(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        inner = _name(expr.value)
        return f"{inner}.{expr.attr}" if inner else None
    return None


def terminates(body: list[ast.stmt], resolve: Resolver) -> bool:
    """Whether a block always leaves the function (or the loop iteration)."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Return | ast.Raise | ast.Continue | ast.Break):
        return True
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        return resolve(last.value.func) in _EXITS
    if isinstance(last, ast.If):
        return terminates(last.body, resolve) and terminates(last.orelse, resolve)
    return False
