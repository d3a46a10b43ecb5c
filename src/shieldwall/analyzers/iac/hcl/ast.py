"""The syntax tree of HCL2: bodies of attributes and blocks, and expressions, each with its line.

Expressions stay unevaluated here; :mod:`shieldwall.analyzers.iac.terraform.evaluate` gives them
values once variables and locals of the whole module are known.
"""

from __future__ import annotations

from dataclasses import dataclass

ScalarLiteral = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Literal:
    """A number, boolean, null, or a string without interpolation."""

    value: ScalarLiteral
    line: int


@dataclass(frozen=True, slots=True)
class Template:
    """A string with ``${...}`` interpolations; directives (``%{if}``) make it unknown."""

    parts: tuple[str | Expr, ...]
    line: int
    has_directive: bool = False


@dataclass(frozen=True, slots=True)
class Traversal:
    """A variable and its steps: ``var.name``, ``aws_s3_bucket.b.id``, ``local.tags["x"]``.

    A step is an attribute name (``str``), an index expression, or ``"*"`` for a splat.
    """

    root: str
    steps: tuple[str | Expr, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Call:
    """A function call; ``expand`` is set for a trailing ``...`` argument."""

    name: str
    args: tuple[Expr, ...]
    line: int
    expand: bool = False


@dataclass(frozen=True, slots=True)
class TupleExpr:
    """``[a, b, c]``."""

    items: tuple[Expr, ...]
    line: int


@dataclass(frozen=True, slots=True)
class ObjectExpr:
    """``{ key = value, ... }``; keys are expressions (a bare name is a literal key)."""

    items: tuple[tuple[Expr, Expr], ...]
    line: int


@dataclass(frozen=True, slots=True)
class BinaryOp:
    """``a op b`` for arithmetic, comparison and logic."""

    op: str
    left: Expr
    right: Expr
    line: int


@dataclass(frozen=True, slots=True)
class UnaryOp:
    """``!a`` or ``-a``."""

    op: str
    operand: Expr
    line: int


@dataclass(frozen=True, slots=True)
class Conditional:
    """``cond ? a : b``."""

    condition: Expr
    then: Expr
    otherwise: Expr
    line: int


@dataclass(frozen=True, slots=True)
class ForExpr:
    """``[for k, v in coll : expr if cond]`` or the object form ``{for ... : k => v}``."""

    key_var: str | None
    value_var: str
    collection: Expr
    key_expr: Expr | None
    value_expr: Expr
    condition: Expr | None
    is_object: bool
    line: int


@dataclass(frozen=True, slots=True)
class IndexOf:
    """A traversal applied to a non-variable expression: ``(expr)[0]``, ``f(x).attr``."""

    base: Expr
    steps: tuple[str | Expr, ...]
    line: int


Expr = (
    Literal
    | Template
    | Traversal
    | Call
    | TupleExpr
    | ObjectExpr
    | BinaryOp
    | UnaryOp
    | Conditional
    | ForExpr
    | IndexOf
)


@dataclass(frozen=True, slots=True)
class Attribute:
    """``name = expr`` inside a body."""

    name: str
    expr: Expr
    line: int


@dataclass(frozen=True, slots=True)
class Block:
    """``type "label" ... { body }``."""

    type: str
    labels: tuple[str, ...]
    body: Body
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Body:
    """The attributes and blocks of a file or of a block, in source order."""

    attributes: tuple[Attribute, ...]
    blocks: tuple[Block, ...]

    def attribute(self, name: str) -> Attribute | None:
        """The attribute of that name, if present."""
        for attr in self.attributes:
            if attr.name == name:
                return attr
        return None

    def blocks_of(self, type_: str) -> tuple[Block, ...]:
        """The nested blocks of one type."""
        return tuple(b for b in self.blocks if b.type == type_)
