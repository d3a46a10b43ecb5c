"""Evaluation of HCL expressions against a Terraform module's variables, locals and iterators.

What can be known statically is computed; anything else (computed attributes of other resources,
variables without a default, data sources, module outputs) becomes :class:`Unknown` or
:class:`Ref`. References between resources are kept as :class:`Ref` so that relations can be
joined later. Locals are evaluated lazily with cycle detection.
"""

from __future__ import annotations

from collections.abc import Mapping

from shieldwall.analyzers.iac.hcl.ast import (
    BinaryOp,
    Block,
    Body,
    Call,
    Conditional,
    Expr,
    ForExpr,
    IndexOf,
    Literal,
    ObjectExpr,
    Template,
    Traversal,
    TupleExpr,
    UnaryOp,
)
from shieldwall.analyzers.iac.tf_functions import FUNCTIONS, _str
from shieldwall.analyzers.iac.values import (
    ListValue,
    ObjectValue,
    Ref,
    Scalar,
    Unknown,
    Value,
    obj,
    truthy,
)

_NOT_RESOURCES = frozenset({"var", "local", "count", "each", "path", "terraform", "self", "module"})
_META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle"})
_MAX_EXPANSION = 1000  # dynamic blocks / for expressions over more items are left unknown


class Evaluator:
    """Evaluates expressions of one module; build one per module and analysis."""

    def __init__(
        self,
        variables: Mapping[str, Value],
        local_exprs: Mapping[str, Expr],
    ) -> None:
        self.variables = dict(variables)
        self.local_exprs = dict(local_exprs)
        self._locals: dict[str, Value] = {}
        self._evaluating: set[str] = set()

    # -- bodies ------------------------------------------------------------------------------
    def body(self, body: Body, line: int, scope: Mapping[str, Value]) -> ObjectValue:
        """A block body as an object: attributes, and nested blocks as lists of objects."""
        fields: dict[str, Value] = {}
        for attr in body.attributes:
            if attr.name not in _META_ARGUMENTS:
                fields[attr.name] = self.expr(attr.expr, scope)
        grouped: dict[str, list[Value]] = {}
        lines: dict[str, int] = {}
        for block in body.blocks:
            if block.type in _META_ARGUMENTS:
                continue
            if block.type == "dynamic" and block.labels:
                name = block.labels[0]
                grouped.setdefault(name, []).extend(self._dynamic(block, scope))
                lines.setdefault(name, block.line)
                continue
            grouped.setdefault(block.type, []).append(self.body(block.body, block.line, scope))
            lines.setdefault(block.type, block.line)
        for name, items in grouped.items():
            fields[name] = ListValue(tuple(items), lines[name])
        return obj(fields, line)

    def _dynamic(self, block: Block, scope: Mapping[str, Value]) -> list[Value]:
        iterator = block.labels[0]
        attr = block.body.attribute("iterator")
        if attr is not None and isinstance(attr.expr, Traversal):
            iterator = attr.expr.root
        contents = block.body.blocks_of("content")
        if not contents:
            return []
        content = contents[0]
        for_each = block.body.attribute("for_each")
        collection = self.expr(for_each.expr, scope) if for_each else Unknown(block.line)
        elements = _elements(collection)
        if elements is None:
            # Unknown collection: one instance with an unknown iterator, so the attributes that
            # do not depend on it are still checked.
            elements = [(Unknown(block.line), Unknown(block.line))]
        out: list[Value] = []
        for key, value in elements[:_MAX_EXPANSION]:
            inner = dict(scope)
            inner[iterator] = obj({"key": key, "value": value}, block.line)
            out.append(self.body(content.body, content.line, inner))
        return out

    # -- expressions -------------------------------------------------------------------------
    def expr(self, node: Expr, scope: Mapping[str, Value]) -> Value:
        """The value of one expression."""
        match node:
            case Literal():
                return Scalar(node.value, node.line)
            case Template():
                return self._template(node, scope)
            case Traversal():
                return self._traversal(node, scope)
            case Call():
                fn = FUNCTIONS.get(node.name.split("::")[-1])
                if fn is None:
                    return Unknown(node.line, f"function {node.name}() is not evaluated")
                args = [self.expr(a, scope) for a in node.args]
                if node.expand and args and isinstance(args[-1], ListValue):
                    args = args[:-1] + list(args[-1].items)
                return fn(args, node.line)
            case TupleExpr():
                return ListValue(tuple(self.expr(i, scope) for i in node.items), node.line)
            case ObjectExpr():
                return self._object(node, scope)
            case BinaryOp():
                return _binary(
                    node.op, self.expr(node.left, scope), self.expr(node.right, scope), node.line
                )
            case UnaryOp():
                return _unary(node.op, self.expr(node.operand, scope), node.line)
            case Conditional():
                cond = truthy(self.expr(node.condition, scope))
                if cond is None:
                    return Unknown(node.line, "condition cannot be decided")
                return self.expr(node.then if cond else node.otherwise, scope)
            case ForExpr():
                return self._for(node, scope)
            case IndexOf():
                return _apply_steps(self.expr(node.base, scope), node.steps, self, scope, node.line)

    def _template(self, node: Template, scope: Mapping[str, Value]) -> Value:
        if node.has_directive:
            return Unknown(node.line, "template directive")
        parts: list[str] = []
        for part in node.parts:
            if isinstance(part, str):
                parts.append(part)
                continue
            text = _str(self.expr(part, scope))
            if text is None:
                return Unknown(node.line, "interpolation of an unknown value")
            parts.append(text)
        return Scalar("".join(parts), node.line)

    def _object(self, node: ObjectExpr, scope: Mapping[str, Value]) -> Value:
        fields: dict[str, Value] = {}
        for key_expr, value_expr in node.items:
            if isinstance(key_expr, Traversal) and not key_expr.steps:
                key: str | None = key_expr.root  # a bare name in parentheses-free position
            else:
                key = _str(self.expr(key_expr, scope))
            if key is None:
                return Unknown(node.line, "object with an unknown key")
            fields[key] = self.expr(value_expr, scope)
        return obj(fields, node.line)

    def _traversal(self, node: Traversal, scope: Mapping[str, Value]) -> Value:
        root, steps = node.root, node.steps
        if root in scope:
            return _relocate(_apply_steps(scope[root], steps, self, scope, node.line), node.line)
        if root == "var" and steps and isinstance(steps[0], str):
            value = self.variables.get(steps[0])
            if value is None:
                return Unknown(node.line, f"var.{steps[0]} has no value")
            return _apply_steps(_relocate(value, node.line), steps[1:], self, scope, node.line)
        if root == "local" and steps and isinstance(steps[0], str):
            return _apply_steps(self._local(steps[0], node.line), steps[1:], self, scope, node.line)
        if root in _NOT_RESOURCES:
            return Unknown(node.line, f"{root}.* is not known statically")
        names = [s for s in steps if isinstance(s, str) and s != "*"]
        if root == "data" and len(names) >= 2:
            return Ref(f"data.{names[0]}.{names[1]}", ".".join(names[2:]), node.line)
        if names:
            return Ref(f"{root}.{names[0]}", ".".join(names[1:]), node.line)
        return Unknown(node.line, f"unknown name {root}")

    def _local(self, name: str, line: int) -> Value:
        if name in self._locals:
            return _relocate(self._locals[name], line)
        expr = self.local_exprs.get(name)
        if expr is None:
            return Unknown(line, f"local.{name} is not defined")
        if name in self._evaluating:
            return Unknown(line, f"local.{name} refers to itself")
        self._evaluating.add(name)
        try:
            value = self.expr(expr, {})
        finally:
            self._evaluating.discard(name)
        self._locals[name] = value
        return _relocate(value, line)

    def _for(self, node: ForExpr, scope: Mapping[str, Value]) -> Value:
        elements = _elements(self.expr(node.collection, scope))
        if elements is None or len(elements) > _MAX_EXPANSION:
            return Unknown(node.line, "for expression over an unknown collection")
        items: list[Value] = []
        fields: dict[str, Value] = {}
        for key, value in elements:
            inner = dict(scope)
            inner[node.value_var] = value
            if node.key_var:
                inner[node.key_var] = key
            if node.condition is not None:
                keep = truthy(self.expr(node.condition, inner))
                if keep is None:
                    return Unknown(node.line, "for condition cannot be decided")
                if not keep:
                    continue
            result = self.expr(node.value_expr, inner)
            if node.is_object and node.key_expr is not None:
                name = _str(self.expr(node.key_expr, inner))
                if name is None:
                    return Unknown(node.line, "for expression with an unknown key")
                fields[name] = result
            else:
                items.append(result)
        return obj(fields, node.line) if node.is_object else ListValue(tuple(items), node.line)


def _relocate(value: Value, line: int) -> Value:
    """A value from a variable or local, shown at the line that uses it.

    Findings point at the attribute that takes the value, not at the variable's default; scalars
    are moved to the using line and collections keep their inner lines.
    """
    match value:
        case Scalar():
            return Scalar(value.value, line)
        case Unknown():
            return Unknown(line, value.reason)
        case Ref():
            return Ref(value.target, value.attribute, line)
        case ListValue():
            return ListValue(tuple(_relocate(v, line) for v in value.items), line)
        case ObjectValue():
            return obj({k: _relocate(v, line) for k, v in value.fields.items()}, line)


def _elements(collection: Value) -> list[tuple[Value, Value]] | None:
    if isinstance(collection, ListValue):
        return [(Scalar(i, collection.line), v) for i, v in enumerate(collection.items)]
    if isinstance(collection, ObjectValue):
        return [(Scalar(k, collection.line), v) for k, v in collection.fields.items()]
    return None


def _apply_steps(
    value: Value,
    steps: tuple[str | Expr, ...],
    ev: Evaluator,
    scope: Mapping[str, Value],
    line: int,
) -> Value:
    for step in steps:
        if isinstance(value, Unknown | Ref):
            if isinstance(value, Ref) and isinstance(step, str) and step != "*":
                value = Ref(value.target, f"{value.attribute}.{step}".strip("."), value.line)
            continue
        if step == "*":
            continue
        key = step if isinstance(step, str) else _str(ev.expr(step, scope))
        if key is None:
            return Unknown(line, "index by an unknown key")
        if isinstance(value, ObjectValue):
            found = value.fields.get(key)
            value = found if found is not None else Unknown(line, f"no attribute {key}")
        elif isinstance(value, ListValue):
            if key.lstrip("-").isdigit() and -len(value.items) <= int(key) < len(value.items):
                value = value.items[int(key)]
            else:
                value = ListValue(
                    tuple(_apply_steps(v, (key,), ev, scope, line) for v in value.items), line
                )
        else:
            return Unknown(line, f"no attribute {key}")
    return value


def _number(value: Value) -> float | None:
    if isinstance(value, Scalar) and not isinstance(value.value, bool):
        try:
            return float(value.value) if value.value is not None else None
        except ValueError:
            return None
    return None


def _binary(op: str, left: Value, right: Value, line: int) -> Value:
    if op in {"&&", "||"}:
        lb, rb = truthy(left), truthy(right)
        if op == "&&" and (lb is False or rb is False):
            return Scalar(False, line)
        if op == "||" and (lb is True or rb is True):
            return Scalar(True, line)
        if lb is None or rb is None:
            return Unknown(line)
        return Scalar(lb and rb if op == "&&" else lb or rb, line)
    if op in {"==", "!="}:
        if not (isinstance(left, Scalar) and isinstance(right, Scalar)):
            return Unknown(line)
        same = (
            _str(left) == _str(right)
            if left.value is not None and right.value is not None
            else left.value == right.value
        )
        return Scalar(same if op == "==" else not same, line)
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return Unknown(line)
    result: float | bool
    match op:
        case "+":
            result = a + b
        case "-":
            result = a - b
        case "*":
            result = a * b
        case "/":
            result = a / b if b else float("nan")
        case "%":
            result = a % b if b else float("nan")
        case "<":
            result = a < b
        case ">":
            result = a > b
        case "<=":
            result = a <= b
        case _:
            result = a >= b
    if isinstance(result, float) and result.is_integer():
        return Scalar(int(result), line)
    return Scalar(result, line)


def _unary(op: str, value: Value, line: int) -> Value:
    if op == "!":
        b = truthy(value)
        return Unknown(line) if b is None else Scalar(not b, line)
    n = _number(value)
    if n is None:
        return Unknown(line)
    return Scalar(int(-n) if n.is_integer() else -n, line)
