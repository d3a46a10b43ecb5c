"""Statements: assignment, branches, loops, ``with``, ``try``, ``match``, ``return``.

Branch-insensitive but path-merging: both arms of an ``if`` are analysed from the same state and
joined, so sanitising on one path never hides the other; a condition that is a compile-time
constant selects its arm. Loops run their body twice, enough for a value to flow around once.
"""

from __future__ import annotations

import ast

from shieldwall.analyzers.sast.evaluate import UNKNOWN, Env, Evaluator, Outcome, _key
from shieldwall.analyzers.sast.guards import Guard, find_guard, terminates
from shieldwall.analyzers.sast.labels import EMPTY, Label, Summary, Taint, bounded
from shieldwall.analyzers.sast.spec import SinkKind
from shieldwall.core.severity import Confidence

_NOT_SOURCES = ("self", "cls")
_NON_SOURCE_ANNOTATIONS = ("Request", "WebSocket", "Session", "BackgroundTasks", "Response")


class FlowAnalysis(Evaluator):
    """One function's taint analysis: :meth:`run` gives its summary and sink hits."""

    def run(self) -> Outcome:
        """Analyse the whole body once with the current callee summaries."""
        node = self.fn.node
        if not isinstance(node, ast.Module):
            self._bind_parameters(node)
        self.block(node.body)
        summary = Summary(
            returns=bounded(self.returns),
            sinks=frozenset(self.param_sinks),
        )
        return Outcome(summary, self.hits, self.callees, self.clean_sinks, self.param_only_sinks)

    def _bind_parameters(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args = node.args
        # Keyword-only parameters come after the positional ones, as in FunctionInfo.params.
        positional = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        defaults: dict[str, ast.expr] = {}
        plain = [*args.posonlyargs, *args.args]
        for arg, default in zip(
            plain[len(plain) - len(args.defaults) :], args.defaults, strict=True
        ):
            defaults[arg.arg] = default
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            if kw_default is not None:
                defaults[arg.arg] = kw_default
        route = self._is_route(node)
        django_view = not route and "views" in self.fn.module.name and _django_view(plain)
        for index, arg in enumerate(positional):
            has_default = arg.arg in defaults
            if (route or (django_view and not has_default)) and self._is_source_param(
                arg, defaults.get(arg.arg), django_view, index
            ):
                step = self.step(arg, f"untrusted http input: route parameter {arg.arg}")
                # Outside a decorated route it is a naming convention, so a guess.
                confidence = Confidence.HIGH if route else Confidence.LOW
                label = Label("http", -1, (self.path, step.line), frozenset(), confidence, (step,))
            else:
                step = self.step(arg, f"parameter {arg.arg}")
                label = Label(
                    "param", index, (self.fn.qualname, index), frozenset(), Confidence.HIGH, (step,)
                )
            self.env.taint[arg.arg] = frozenset({label})
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                self.env.taint[extra.arg] = EMPTY

    def _is_route(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        # ``@x.get(...)`` is a route only in a module that imports a web framework; elsewhere
        # it is any registry (a URL-pattern router, a plugin table).
        if not node.decorator_list or not self.fn.module.imports_any(self.spec.frameworks):
            return False
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(target, ast.Attribute) and target.attr in self.spec.route_decorators:
                return isinstance(decorator, ast.Call)
        return False

    def _is_source_param(
        self, arg: ast.arg, default: ast.expr | None, django_view: bool, index: int
    ) -> bool:
        if arg.arg in _NOT_SOURCES or arg.arg in self.spec.request_params:
            return False
        if django_view and index == 0:
            return False
        if arg.annotation is not None:
            text = ast.unparse(arg.annotation)
            if any(word in text for word in _NON_SOURCE_ANNOTATIONS):
                return False
        if isinstance(default, ast.Call):
            name = ast.unparse(default.func)
            if name.endswith(("Depends", "Security")):
                return False
        return True

    # -- statements ----------------------------------------------------------------------------

    def block(self, body: list[ast.stmt]) -> None:
        """Analyse statements in order."""
        for stmt in body:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        """Analyse one statement."""
        match stmt:
            case ast.Assign(targets=targets, value=value):
                taint = self.eval(value)
                for target in targets:
                    self.assign(target, taint, value)
            case ast.AnnAssign(target=target, value=value) if value is not None:
                self.assign(target, self.eval(value), value)
            case ast.AugAssign(target=target, value=value):
                added = self.eval(value)
                key = _key(target)
                if key is not None:
                    self.env.taint[key] = bounded(self.env.taint.get(key, EMPTY) | added)
                    self.env.elements.pop(key, None)
                else:
                    self.assign(target, added | self.eval(target), value)
            case ast.Expr(value=value):
                self.eval(value)
            case ast.Return(value=value):
                self._return(value)
            case ast.If(test=test, body=body, orelse=orelse):
                self._branches(test, body, orelse)
            case (
                ast.For(target=target, iter=iterable, body=body, orelse=orelse)
                | ast.AsyncFor(target=target, iter=iterable, body=body, orelse=orelse)
            ):
                self.assign(target, self.eval(iterable), None)
                self._loop(body)
                self.block(orelse)
            case ast.While(test=test, body=body, orelse=orelse):
                if self.constant(test) is not False:
                    self.eval(test)
                    self._loop(body)
                self.block(orelse)
            case ast.With(items=items, body=body) | ast.AsyncWith(items=items, body=body):
                for item in items:
                    taint = self.eval(item.context_expr)
                    if item.optional_vars is not None:
                        self.assign(item.optional_vars, taint, None)
                self.block(body)
            case ast.Try() | ast.TryStar():
                self._try(stmt)
            case ast.Match(subject=subject, cases=cases):
                self._match(subject, cases)
            case ast.Delete(targets=targets):
                for target in targets:
                    key = _key(target)
                    if key is not None:
                        self.env.taint.pop(key, None)
            case ast.Raise(exc=exc):
                self.eval(exc)
            case ast.Assert(test=test, msg=msg):
                self.eval(test)
                self.eval(msg)
            case _:
                pass

    def assign(self, target: ast.expr, taint: Taint, value: ast.expr | None) -> None:
        """Bind a target to a value's taint (strong update for names and attribute paths)."""
        match target:
            case ast.Name(id=name):
                if taint and value is not None:
                    step = self.step(target, f"assigned to {name}")
                    taint = frozenset(label.extended(step) for label in taint)
                self.env.taint[name] = taint
                self._track_elements(name, value)
                self._track_type(name, value)
            case ast.Attribute():
                key = _key(target)
                if key is not None:
                    self.env.taint[key] = taint
            case ast.Subscript(value=base, slice=index):
                self._store(target, base, index, taint)
            case ast.Tuple(elts=elts) | ast.List(elts=elts):
                values = value.elts if isinstance(value, ast.Tuple | ast.List) else None
                if (
                    values is not None
                    and len(values) == len(elts)
                    and not any(isinstance(e, ast.Starred) for e in (*elts, *values))
                ):
                    for sub, sub_value in zip(elts, values, strict=True):
                        self.assign(sub, self.eval(sub_value), sub_value)
                else:
                    for sub in elts:
                        self.assign(sub, taint, None)
            case ast.Starred(value=inner):
                self.assign(inner, taint, None)
            case _:
                pass

    def _store(self, target: ast.Subscript, base: ast.expr, index: ast.expr, taint: Taint) -> None:
        dotted = self.dotted(base)
        kind = self.spec.store_names.get(dotted[0]) if dotted else None
        if kind is None and isinstance(base, ast.Attribute):
            kind = self.spec.store_attributes.get(base.attr)
        if kind is not None and taint:
            self.report(target, kind, taint)
        key = _key(base)
        if key is None:
            return
        const = self.constant(index)
        elements = self.env.elements.get(key)
        if elements is not None and isinstance(const, str | int) and not isinstance(const, bool):
            elements[const] = taint
        else:
            self.env.elements.pop(key, None)
        self.env.taint[key] = bounded(self.env.taint.get(key, EMPTY) | taint)

    def _track_elements(self, name: str, value: ast.expr | None) -> None:
        self.env.elements.pop(name, None)
        if isinstance(value, ast.Dict) and all(k is not None for k in value.keys):
            keys = [self.constant(k) for k in value.keys if k is not None]
            usable = [k for k in keys if isinstance(k, str | int) and not isinstance(k, bool)]
            if len(usable) == len(keys):
                self.env.elements[name] = {
                    k: self.eval(v) for k, v in zip(usable, value.values, strict=True)
                }
        elif isinstance(value, ast.List | ast.Tuple) and not any(
            isinstance(e, ast.Starred) for e in value.elts
        ):
            self.env.elements[name] = {i: self.eval(e) for i, e in enumerate(value.elts)}

    def _track_type(self, name: str, value: ast.expr | None) -> None:
        self.env.types.pop(name, None)
        if isinstance(value, ast.Call):
            cls = self.project.constructed_class(self.fn, value.func, self.env.types)
            if cls is not None:
                self.env.types[name] = cls

    def _return(self, value: ast.expr | None) -> None:
        taint = self.eval(value)
        if (
            taint
            and value is not None
            and self._is_html(value)
            and not isinstance(self.fn.node, ast.Module)
        ) and self._is_route(self.fn.node):
            self.report(value, SinkKind.XSS, taint)
        self.returns = bounded(self.returns | taint)

    def _is_html(self, value: ast.expr) -> bool:
        """A string built from a literal that contains markup (``f"<h1>{x}</h1>"``)."""
        building = isinstance(value, ast.JoinedStr | ast.BinOp) or (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "format"
        )
        return building and any(
            isinstance(node, ast.Constant) and isinstance(node.value, str) and "<" in node.value
            for node in ast.walk(value)
        )

    def _branches(self, test: ast.expr, body: list[ast.stmt], orelse: list[ast.stmt]) -> None:
        decided = self.constant(test)
        if decided is not UNKNOWN:
            self.block(body if decided else orelse)
            return
        self.eval(test)
        guard = find_guard(
            test, self.spec.validator_names, self.spec.validator_methods, self._resolved
        )
        before = self.env
        self.env = before.copy()
        if guard is not None and guard.when_true:
            self._clear(guard)
        self.block(body)
        after_body = self.env
        self.env = before.copy()
        if guard is not None and not guard.when_true:
            self._clear(guard)
        self.block(orelse)
        after_else = self.env
        # A branch that leaves the function does not reach the code after the if.
        if terminates(body, self._resolved) and not terminates(orelse, self._resolved):
            self.env = after_else
        elif terminates(orelse, self._resolved) and not terminates(body, self._resolved):
            self.env = after_body
        else:
            self.env = after_body.merge(after_else)

    def _resolved(self, expr: ast.expr) -> str:
        dotted = self.dotted(expr)
        return dotted[0] if dotted else ""

    def _clear(self, guard: Guard) -> None:
        taint = self.env.taint.get(guard.key)
        if not taint:
            return
        if "all" in guard.clears:
            self.env.taint[guard.key] = EMPTY
        else:
            self.env.taint[guard.key] = frozenset(lab.clearing(guard.clears) for lab in taint)

    def _loop(self, body: list[ast.stmt]) -> None:
        for _ in range(2):
            before = self.env.copy()
            self.block(body)
            self.env = before.merge(self.env)

    def _try(self, stmt: ast.Try | ast.TryStar) -> None:
        before = self.env.copy()
        self.block(stmt.body)
        merged = before.merge(self.env)
        after = self.env
        for handler in stmt.handlers:
            self.env = merged.copy()
            if handler.name:
                self.env.taint[handler.name] = EMPTY
            self.block(handler.body)
            after = after.merge(self.env)
        self.env = after
        self.block(stmt.orelse)
        self.block(stmt.finalbody)

    def _match(self, subject: ast.expr, cases: list[ast.match_case]) -> None:
        taint = self.eval(subject)
        before = self.env
        merged: Env | None = None
        for case in cases:
            self.env = before.copy()
            for node in ast.walk(case.pattern):
                name = getattr(node, "name", None)
                if isinstance(name, str):
                    self.env.taint[name] = taint
            self.eval(case.guard)
            self.block(case.body)
            merged = self.env if merged is None else merged.merge(self.env)
        self.env = before.merge(merged) if merged is not None else before


def _django_view(params: list[ast.arg]) -> bool:
    """``def view(request, slug)`` or ``def get(self, request, pk)``: URL kwargs are input."""
    names = [p.arg for p in params]
    if names[:1] == ["request"]:
        return len(names) > 1
    return names[:2] == ["self", "request"] and len(names) > 2
