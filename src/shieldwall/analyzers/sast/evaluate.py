"""Taint of expressions inside one function: sources, propagation, sanitizers, sinks and calls.

State is per analysis (one instance per function per round) and never kept on the analyzer.
The environment maps names and dotted attribute paths (``self.x``) to label sets; containers built
from literals also keep a per-key map, so ``d["safe"]`` is clean when only ``d["user"]`` is
tainted. Statements are handled by :mod:`.flow`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shieldwall.analyzers.sast.labels import (
    EMPTY,
    Label,
    ParamSink,
    SinkHit,
    Step,
    Summary,
    Taint,
    bounded,
)
from shieldwall.analyzers.sast.program import FunctionInfo
from shieldwall.analyzers.sast.project import Project
from shieldwall.analyzers.sast.spec import SinkKind, SinkSpec, TaintSpec

UNKNOWN = object()
_LOOKUPS = frozenset({"get", "pop", "setdefault", "get_or_default"})
_ALL = "all"
ElementKey = str | int


@dataclass(slots=True)
class Env:
    """Name -> taint, container elements, and constructor types of locals."""

    taint: dict[str, Taint] = field(default_factory=dict)
    elements: dict[str, dict[ElementKey, Taint]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)

    def copy(self) -> Env:
        """An independent copy for one branch."""
        return Env(
            dict(self.taint), {k: dict(v) for k, v in self.elements.items()}, dict(self.types)
        )

    def merge(self, other: Env) -> Env:
        """The join of two branches: union of taint, elements kept only where both agree."""
        taint = dict(self.taint)
        for key, value in other.taint.items():
            taint[key] = bounded(taint.get(key, EMPTY) | value)
        elements: dict[str, dict[ElementKey, Taint]] = {}
        for key, mine in self.elements.items():
            theirs = other.elements.get(key)
            if theirs is not None and mine.keys() == theirs.keys():
                elements[key] = {k: mine[k] | theirs[k] for k in mine}
        types = {k: v for k, v in self.types.items() if other.types.get(k) == v}
        return Env(taint, elements, types)


@dataclass(slots=True)
class Outcome:
    """What one analysis of a function produced."""

    summary: Summary
    hits: list[SinkHit]
    callees: set[str]
    clean_sinks: set[tuple[int, SinkKind]]
    param_only_sinks: set[tuple[int, SinkKind]]


class Evaluator:
    """Expression evaluation for one function; :class:`.flow.FlowAnalysis` adds statements."""

    def __init__(
        self,
        fn: FunctionInfo,
        project: Project,
        spec: TaintSpec,
        summaries: dict[str, Summary],
    ) -> None:
        self.fn = fn
        self.project = project
        self.spec = spec
        self.summaries = summaries
        self.env = Env()
        self.hits: list[SinkHit] = []
        self.param_sinks: set[ParamSink] = set()
        self.returns: Taint = EMPTY
        self.callees: set[str] = set()
        self.clean_sinks: set[tuple[int, SinkKind]] = set()
        self._prefix_cache: dict[int, bool] = {}
        self.param_only_sinks: set[tuple[int, SinkKind]] = set()
        self.path = fn.module.path
        self.lines = fn.module.parsed.lines

    # -- helpers -------------------------------------------------------------------------------

    def step(self, node: ast.AST, message: str) -> Step:
        """A trace step at a node."""
        line = getattr(node, "lineno", 1)
        snippet = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        return Step(self.path, line, getattr(node, "col_offset", 0) + 1, snippet[:200], message)

    def dotted(self, expr: ast.expr) -> tuple[str, bool] | None:
        """``a.b.c`` with its root resolved through imports; and whether the root is local."""
        parts: list[str] = []
        node = expr
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Call):
            inner = self.dotted(node.func)
            if inner is None:
                return None
            parts.reverse()
            return ".".join([inner[0], *parts]), inner[1]
        if not isinstance(node, ast.Name):
            return None
        parts.reverse()
        name = node.id
        if name in self.env.taint or name in self.fn.params or name in self.fn.local_defs:
            return ".".join([name, *parts]), True
        resolved = self.project.resolve_global(self.fn.module, name)
        return ".".join([resolved or name, *parts]), resolved is None

    def source(self, expr: ast.expr) -> Taint:
        """A fresh source label when the expression is (under) a configured source."""
        dotted = self.dotted(expr)
        if dotted is None:
            return EMPTY
        hit = self.spec.source_for(dotted[0])
        if hit is None:
            return EMPTY
        kind, confidence, trusted = hit
        step = self.step(expr, f"untrusted {kind} input: {dotted[0]}")
        return frozenset({Label(kind, -1, (self.path, step.line), trusted, confidence, (step,))})

    def constant(self, expr: ast.expr) -> object:
        """The compile-time value of an expression, or ``UNKNOWN``."""
        match expr:
            case ast.Constant(value=value):
                return value
            case ast.Name(id=name) if name not in self.env.taint:
                if name == "TYPE_CHECKING":
                    return False
                return self.fn.module.constants.get(name, UNKNOWN)
            case ast.Attribute(attr="TYPE_CHECKING"):
                return False
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                inner = self.constant(operand)
                return UNKNOWN if inner is UNKNOWN else not inner
            case ast.BoolOp(op=op, values=values):
                consts = [self.constant(v) for v in values]
                if any(c is UNKNOWN for c in consts):
                    return UNKNOWN
                return all(consts) if isinstance(op, ast.And) else any(consts)
            case ast.Compare(left=left, ops=[op], comparators=[right]):
                return _compare(op, self.constant(left), self.constant(right))
        return UNKNOWN

    # -- expressions ---------------------------------------------------------------------------

    def eval(self, expr: ast.expr | None) -> Taint:
        """The labels of an expression's value."""
        if expr is None:
            return EMPTY
        # A class-level table of plain functions: bound methods stored on self would make a
        # reference cycle per analysis, which only the (paused) cyclic collector could free.
        handler = _DISPATCH.get(type(expr))
        if handler is not None:
            return handler(self, expr)
        if isinstance(expr, ast.Lambda):
            return EMPTY
        if isinstance(expr, ast.Constant):
            return EMPTY
        if isinstance(expr, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            return self._comprehension(expr)
        result = EMPTY
        for child in ast.iter_child_nodes(expr):
            if isinstance(child, ast.expr):
                result |= self.eval(child)
        return bounded(result)

    def _name(self, expr: ast.Name) -> Taint:
        found = self.env.taint.get(expr.id)
        if found is not None:
            return found
        return self.source(expr)

    def _attribute(self, expr: ast.Attribute) -> Taint:
        key = _key(expr)
        if key is not None and key in self.env.taint:
            return self.env.taint[key]
        found = self.source(expr)
        return found or self.eval(expr.value)

    def _subscript(self, expr: ast.Subscript) -> Taint:
        base = expr.value
        if isinstance(base, ast.Name) and base.id in self.env.elements:
            index = self.constant(expr.slice)
            if isinstance(index, str | int) and not isinstance(index, bool):
                return self.env.elements[base.id].get(index, EMPTY)
        return self.eval(base)

    def _joined(self, expr: ast.JoinedStr) -> Taint:
        result = EMPTY
        for value in expr.values:
            if isinstance(value, ast.FormattedValue):
                result |= self.eval(value.value)
        return self._fixed_destination(expr, bounded(result))

    def _binop(self, expr: ast.BinOp) -> Taint:
        result = bounded(self.eval(expr.left) | self.eval(expr.right))
        if result and isinstance(expr.op, ast.Add | ast.Mod):
            return self._fixed_destination(expr, result)
        return result

    def _fixed_destination(self, expr: ast.expr, taint: Taint) -> Taint:
        """A URL whose start is fixed (``"/orders/" + x``, ``f"{reverse('home')}?{qs}"``) keeps
        its host whatever follows, so the result is no open redirect and no SSRF."""
        if not taint or not self._starts_fixed(expr):
            return taint
        return frozenset(label.clearing(_DESTINATION) for label in taint)

    def _starts_fixed(self, expr: ast.expr) -> bool:
        """Whether the leftmost piece of a built string fixes the destination (memoised: a chain
        of n concatenations asks this n times)."""
        path: list[int] = []
        node = expr
        while True:
            known = self._prefix_cache.get(id(node))
            if known is not None:
                break
            path.append(id(node))
            inner = _left_piece(node)
            if inner is None:
                known = self._fixed_prefix(node)
                break
            node = inner
        for key in path:
            self._prefix_cache[key] = known
        return known

    def _fixed_prefix(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return _SAFE_URL_START.match(node.value) is not None
        if isinstance(node, ast.Call):
            dotted = self.dotted(node.func)
            return dotted is not None and dotted[0] in self.spec.url_builders
        return False

    def _ifexp(self, expr: ast.IfExp) -> Taint:
        test = self.constant(expr.test)
        if test is UNKNOWN:
            return bounded(self.eval(expr.body) | self.eval(expr.orelse))
        return self.eval(expr.body if test else expr.orelse)

    def _dict(self, expr: ast.Dict) -> Taint:
        result = EMPTY
        for key, value in zip(expr.keys, expr.values, strict=True):
            result |= self.eval(key) | self.eval(value)
        return bounded(result)

    def _compare(self, expr: ast.Compare) -> Taint:
        # A comparison yields a bool; evaluate the operands only for the sinks inside them.
        self.eval(expr.left)
        for comparator in expr.comparators:
            self.eval(comparator)
        return EMPTY

    def _walrus(self, expr: ast.NamedExpr) -> Taint:
        value = self.eval(expr.value)
        self.env.taint[expr.target.id] = value
        return value

    def _comprehension(
        self, expr: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> Taint:
        saved = self.env.copy()
        for generator in expr.generators:
            iterated = self.eval(generator.iter)
            for name in ast.walk(generator.target):
                if isinstance(name, ast.Name):
                    self.env.taint[name.id] = iterated
            for condition in generator.ifs:
                self.eval(condition)
        if isinstance(expr, ast.DictComp):
            result = self.eval(expr.key) | self.eval(expr.value)
        else:
            result = self.eval(expr.elt)
        self.env = saved
        return bounded(result)

    # -- calls ---------------------------------------------------------------------------------

    def call(self, expr: ast.Call) -> Taint:
        """Taint of a call's result; reports sinks and applies callee summaries."""
        func = expr.func
        args = [self.eval(a.value if isinstance(a, ast.Starred) else a) for a in expr.args]
        keywords = {kw.arg or "**": self.eval(kw.value) for kw in expr.keywords}
        receiver = self.eval(func.value) if isinstance(func, ast.Attribute) else EMPTY
        dotted = self.dotted(func)
        name = dotted[0] if dotted else ""
        method = func.attr if isinstance(func, ast.Attribute) else ""
        callee = self.project.callee(self.fn, func, self.env.types)
        if callee is not None:
            # A project function is judged by its summary, not by its method name: a
            # repository's find() is no str.find, a wrapper's execute() no DB-API cursor.
            method = ""
        self._check_sinks(expr, name, method, args, keywords, receiver)
        if method in _LOOKUPS and args:
            # A lookup returns what is stored, not the key: d.get(user_key) is as clean as d.
            everything = bounded(receiver.union(*args[1:], *keywords.values()))
        else:
            everything = bounded(receiver.union(*args, *keywords.values()))
        if method in self.spec.receiver_propagators and everything:
            key = _key(func.value) if isinstance(func, ast.Attribute) else None
            if key is not None:
                self.env.taint[key] = bounded(self.env.taint.get(key, EMPTY) | everything)
                self.env.elements.pop(key, None)
        cleared = self._sanitizer(name, method)
        if cleared is not None:
            if _ALL in cleared:
                return EMPTY
            return frozenset(label.clearing(cleared) for label in everything)
        if method in ("replace", "translate") and _strips_newlines(expr):
            everything = frozenset(
                label.clearing(frozenset({"log", "header"})) for label in everything
            )
        if callee is not None:
            return self._apply_summary(expr, callee, args, keywords, receiver)
        return bounded(self.source(func) | everything)

    def _sanitizer(self, name: str, method: str) -> frozenset[str] | None:
        found = self.spec.sanitizer_names.get(name)
        if found is None and method:
            found = self.spec.sanitizer_methods.get(method)
        return found

    def _check_sinks(
        self,
        expr: ast.Call,
        name: str,
        method: str,
        args: list[Taint],
        keywords: dict[str, Taint],
        receiver: Taint,
    ) -> None:
        specs = self.spec.sink_names.get(name)
        if specs is None and method:
            specs = self.spec.sink_methods.get(method)
        if not specs:
            return
        for sink in specs:
            if not self._applies(sink, expr):
                continue
            tainted = self._sink_taint(sink, expr, args, keywords, receiver)
            live = [label for label in tainted if label.reaches(sink.kind)]
            if live:
                self.report(expr, sink.kind, tainted)
                if all(label.param >= 0 for label in live):
                    self.param_only_sinks.add((expr.lineno, sink.kind))
            else:
                # Proven to carry nothing from outside: pattern rules need not guess here.
                self.clean_sinks.add((expr.lineno, sink.kind))

    def _applies(self, sink: SinkSpec, expr: ast.Call) -> bool:
        given = {kw.arg: kw.value for kw in expr.keywords if kw.arg}
        for key, wanted in sink.require_keywords.items():
            if key not in given or self.constant(given[key]) != wanted:
                return False
        for key, safe in sink.forbid_keywords.items():
            value = given.get(key)
            if value is not None and self._is_safe_choice(value, safe):
                return False
        if sink.require_keywords == {} and sink.program:
            shell = given.get("shell")
            if shell is not None and self.constant(shell) is True:
                return False
        if sink.receiver_hint and isinstance(expr.func, ast.Attribute):
            return sink.receiver_hint in ast.unparse(expr.func.value).lower()
        return True

    def _is_safe_choice(self, value: ast.expr, safe: tuple[str, ...]) -> bool:
        """Whether ``Loader=X`` names a safe class, or a project class derived from one."""
        suffixes = tuple(name.rsplit(".", 1)[-1] for name in safe)
        names = [ast.unparse(value)]
        target = self.project.qualify(self.fn, value, self.env.types)
        if target is not None:
            names.extend(self.project.base_names(target, self.fn.module))
        return any(name.rsplit(".", 1)[-1] in suffixes for name in names)

    def _sink_taint(
        self,
        sink: SinkSpec,
        expr: ast.Call,
        args: list[Taint],
        keywords: dict[str, Taint],
        receiver: Taint,
    ) -> Taint:
        result = receiver if sink.receiver else EMPTY
        for index in sink.args:
            if index < len(expr.args):
                node = expr.args[index]
                if sink.program and isinstance(node, ast.List | ast.Tuple) and node.elts:
                    result |= self.eval(node.elts[0])
                else:
                    result |= args[index]
        for key in sink.keywords:
            result |= keywords.get(key, EMPTY)
        return result

    def report(self, node: ast.AST, kind: SinkKind, tainted: Taint) -> None:
        """Record tainted labels reaching a sink of ``kind`` at ``node``."""
        text = ast.unparse(node)[:200] if isinstance(node, ast.AST) else ""
        sink_step = self.step(node, f"reaches a {kind.value} sink")
        for label in tainted:
            if not label.reaches(kind):
                continue
            if label.param >= 0:
                self.param_sinks.add(
                    ParamSink(label.param, kind, sink_step, text, label.cleared, label.trace)
                )
            else:
                self.hits.append(SinkHit(kind, sink_step, label, text, (*label.trace, sink_step)))

    def _apply_summary(
        self,
        expr: ast.Call,
        callee: FunctionInfo,
        args: list[Taint],
        keywords: dict[str, Taint],
        receiver: Taint,
    ) -> Taint:
        self.callees.add(callee.qualname)
        summary = self.summaries.get(callee.qualname)
        if summary is None:
            return EMPTY
        bound = _bind(callee, args, keywords, receiver)
        call_step = self.step(expr, f"passed to {callee.qualname.rsplit('.', 1)[-1]}()")
        for fact in summary.sinks:
            for label in bound.get(fact.param, EMPTY):
                merged = label.clearing(fact.cleared) if fact.cleared else label
                if not merged.reaches(fact.kind):
                    continue
                trace = (*label.trace, call_step, *fact.trace[1:])
                if label.param >= 0:
                    self.param_sinks.add(
                        ParamSink(
                            label.param, fact.kind, fact.sink, fact.sink_text, merged.cleared, trace
                        )
                    )
                else:
                    full = (*trace, fact.sink)
                    self.hits.append(SinkHit(fact.kind, fact.sink, merged, fact.sink_text, full))
        result = EMPTY
        back = self.step(expr, f"returned from {callee.qualname.rsplit('.', 1)[-1]}()")
        for label in summary.returns:
            if label.param < 0:
                result |= {label.extended(back)}
                continue
            for actual in bound.get(label.param, EMPTY):
                result |= {actual.clearing(label.cleared).extended(back)}
        return bounded(result)


_DISPATCH: dict[type[ast.AST], Callable[[Evaluator, Any], Taint]] = {
    ast.Name: Evaluator._name,
    ast.Attribute: Evaluator._attribute,
    ast.Subscript: Evaluator._subscript,
    ast.Call: Evaluator.call,
    ast.JoinedStr: Evaluator._joined,
    ast.BinOp: Evaluator._binop,
    ast.IfExp: Evaluator._ifexp,
    ast.Dict: Evaluator._dict,
    ast.NamedExpr: Evaluator._walrus,
    ast.Compare: Evaluator._compare,
}


def _bind(
    callee: FunctionInfo,
    args: list[Taint],
    keywords: dict[str, Taint],
    receiver: Taint,
) -> dict[int, Taint]:
    """Parameter index -> taint of the actual argument, for a call of a project function."""
    params = callee.params
    offset = 0
    if callee.class_name and params and params[0] in ("self", "cls"):
        offset = 1
    bound: dict[int, Taint] = {0: receiver} if offset else {}
    for position, taint in enumerate(args):
        index = position + offset
        if index < callee.positional:
            bound[index] = bound.get(index, EMPTY) | taint
    for key, taint in keywords.items():
        if key in params:
            bound[params.index(key)] = bound.get(params.index(key), EMPTY) | taint
    return bound


_DESTINATION = frozenset({"redirect", "ssrf"})
# "/path" (not "//host"), or a scheme and a literal host followed by "/", "?" or "#".
_SAFE_URL_START = re.compile(r"^(?:/(?![/\\])|[a-z][a-z0-9+.-]*://[^/?#{}%]+[/?#])", re.IGNORECASE)


def _left_piece(expr: ast.expr) -> ast.expr | None:
    """The first piece of a string built with ``+``, ``%`` or an f-string, one level down."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod):
        return expr.left
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first = expr.values[0]
        return first.value if isinstance(first, ast.FormattedValue) else first
    return None


def _key(expr: ast.expr) -> str | None:
    """The environment key of a name or dotted attribute path (``self.conn``)."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        inner = _key(expr.value)
        return f"{inner}.{expr.attr}" if inner else None
    return None


def _strips_newlines(expr: ast.Call) -> bool:
    """``s.replace("\\n", "")`` and friends neutralise log and header injection."""
    if not expr.args:
        return False
    first = expr.args[0]
    return (
        isinstance(first, ast.Constant)
        and isinstance(first.value, str)
        and ("\n" in first.value or "\r" in first.value)
    )


def _compare(op: ast.cmpop, left: object, right: object) -> object:
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    try:
        match op:
            case ast.Eq():
                return left == right
            case ast.NotEq():
                return left != right
            case ast.Is():
                return left is right
            case ast.IsNot():
                return left is not right
            case ast.Lt():
                return left < right  # type: ignore[operator]
            case ast.Gt():
                return left > right  # type: ignore[operator]
    except TypeError:
        return UNKNOWN
    return UNKNOWN
