"""Pattern rules: small pure checks dispatched by ``ast`` node type, Bandit-style.

A check is a function ``(node, ctx) -> message | None`` wrapped with :func:`pattern`, which
records the rule and the node types it wants. Modules list their checks in a ``CHECKS`` tuple;
nothing registers itself at import.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from shieldwall.analyzers.sast.program import ModuleInfo
from shieldwall.analyzers.sast.project import Project
from shieldwall.core.rule import Rule

UNKNOWN = object()


class PatternContext:
    """What a check may look at besides its node: the module and name resolution."""

    __slots__ = ("_names", "module", "project")

    def __init__(self, module: ModuleInfo, project: Project | None = None) -> None:
        self.module = module
        self.project = project
        # Several checks ask for the name of the same call; resolve it once.
        self._names: dict[int, str] = {}

    def name(self, expr: ast.expr) -> str:
        """Dotted name of an expression with its root resolved through imports (``""`` if none)."""
        key = id(expr)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = self._resolve(expr)
        return found

    def _resolve(self, expr: ast.expr) -> str:
        parts: list[str] = []
        node = expr
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Call):
            inner = self.name(node.func)
            if not inner:
                return ""
            parts.append(inner)
            parts.reverse()
            return ".".join(parts)
        if not isinstance(node, ast.Name):
            return ""
        root = self.module.resolve_name(node.id) or node.id
        parts.append(root)
        parts.reverse()
        return ".".join(parts)

    def derives_from(self, expr: ast.expr, suffixes: tuple[str, ...]) -> bool:
        """Whether a class expression is, or (for project classes) derives from, one of these."""
        name = self.name(expr)
        names = [name]
        if self.project is not None and name:
            names.extend(self.project.base_names(name, self.module))
        return any(n.rsplit(".", 1)[-1] in suffixes for n in names)

    def constant(self, expr: ast.expr | None) -> object:
        """The literal value of an expression (module constants included), or ``UNKNOWN``."""
        if expr is None:
            return UNKNOWN
        if isinstance(expr, ast.Constant):
            return expr.value
        if isinstance(expr, ast.Name):
            return self.module.constants.get(expr.id, UNKNOWN)
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
            value = self.constant(expr.operand)
            return -value if isinstance(value, int | float) else UNKNOWN
        return UNKNOWN

    def is_literal(self, expr: ast.expr) -> bool:
        """Whether an expression is built only from literals (no variable part)."""
        if isinstance(expr, ast.Constant):
            return True
        if isinstance(expr, ast.JoinedStr):
            return all(not isinstance(v, ast.FormattedValue) for v in expr.values)
        if isinstance(expr, ast.BinOp):
            return self.is_literal(expr.left) and self.is_literal(expr.right)
        if isinstance(expr, ast.List | ast.Tuple):
            return all(self.is_literal(e) for e in expr.elts)
        return False


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value of a keyword argument, if given."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def argument(call: ast.Call, index: int, name: str = "") -> ast.expr | None:
    """A positional argument, or the keyword of the same parameter."""
    if index < len(call.args) and not isinstance(call.args[index], ast.Starred):
        return call.args[index]
    return keyword(call, name) if name else None


CheckFunction = Callable[[Any, PatternContext], str | None]


@dataclass(frozen=True, slots=True)
class PatternCheck:
    """A rule, the node types its check wants, and the check."""

    rule: Rule
    node_types: tuple[type[ast.AST], ...]
    check: CheckFunction


def pattern(rule: Rule, *node_types: type[ast.AST]) -> Callable[[CheckFunction], PatternCheck]:
    """Wrap a check function with its rule and node types."""

    def wrap(function: CheckFunction) -> PatternCheck:
        return PatternCheck(rule, node_types, function)

    return wrap


@dataclass(frozen=True, slots=True)
class PatternHit:
    """A check that fired on a node."""

    rule: Rule
    node: ast.AST
    message: str


def run_checks(
    module: ModuleInfo, checks: Sequence[PatternCheck], project: Project | None = None
) -> Iterator[PatternHit]:
    """Every hit of every check over one module, walking the tree once."""
    by_type: dict[type[ast.AST], list[PatternCheck]] = {}
    for check in checks:
        for node_type in check.node_types:
            by_type.setdefault(node_type, []).append(check)
    ctx = PatternContext(module, project)
    nodes = module.index.by_type
    for node_type, wanted in by_type.items():
        for node in nodes.get(node_type, ()):
            for check in wanted:
                message = check.check(node, ctx)
                if message:
                    yield PatternHit(check.rule, node, message)
