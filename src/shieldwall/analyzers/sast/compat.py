"""Rewrite syntax newer than the running Python into an equivalent the 3.11 ``ast`` accepts.

Only used when ``ast.parse`` fails: libcst's grammar reads Python 3.0 to 3.14, so a module
written for a newer Python (PEP 701 f-strings with nested same quotes, ``type`` statements, type
parameters) is parsed by libcst and printed back without those constructs, keeping every line
where it was so findings point at the right place.

F-strings are rewritten to a call of :data:`FSTRING_MARKER`, which :mod:`.parsing` turns back
into an ``ast.JoinedStr``; the analysis never sees the difference.
"""

from __future__ import annotations

import libcst as cst

FSTRING_MARKER = "__shieldwall_fstring__"


class _Downgrade(cst.CSTTransformer):
    """Replace 3.12+ constructs by 3.11 ones with the same line layout.

    Method names follow libcst's visitor protocol (``leave_<Node>``); libcst passes the original
    and the updated node positionally.
    """

    def leave_TypeAlias(
        self, _original_node: cst.TypeAlias, updated_node: cst.TypeAlias
    ) -> cst.Assign:
        return cst.Assign(
            targets=[cst.AssignTarget(target=updated_node.name)], value=updated_node.value
        )

    def leave_FunctionDef(
        self, _original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        return updated_node.with_changes(type_parameters=None)

    def leave_ClassDef(
        self, _original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        return updated_node.with_changes(type_parameters=None)

    def leave_FormattedString(
        self, original_node: cst.FormattedString, updated_node: cst.FormattedString
    ) -> cst.BaseExpression:
        return cst.parse_expression(_pad(_fstring_call(updated_node), original_node))

    def visit_ConcatenatedString(self, _node: cst.ConcatenatedString) -> bool:
        # Children are rewritten in leave_ConcatenatedString: a Call cannot sit inside a
        # ConcatenatedString, so libcst would refuse the rebuilt node.
        return False

    def leave_ConcatenatedString(
        self, original_node: cst.ConcatenatedString, updated_node: cst.ConcatenatedString
    ) -> cst.BaseExpression:
        parts = _concatenation_parts(updated_node)
        if all(isinstance(p, cst.SimpleString) for p in parts):
            return updated_node
        empty = cst.Module(body=())
        codes = []
        for part in parts:
            rewritten = part.visit(_Downgrade())
            if not isinstance(rewritten, cst.CSTNode):  # an expression is never removed
                return updated_node
            codes.append(empty.code_for_node(rewritten))
        call = FSTRING_MARKER + "(" + ", ".join(codes) + ")"
        return cst.parse_expression(_pad(call, original_node))


def _pad(call: str, original: cst.CSTNode) -> str:
    """Add the newlines the rewrite lost before the closing parenthesis, so lines stay put."""
    missing = cst.Module(body=()).code_for_node(original).count("\n") - call.count("\n")
    return call[:-1] + "\n" * max(missing, 0) + ")"


def _concatenation_parts(node: cst.ConcatenatedString) -> list[cst.BaseExpression]:
    parts: list[cst.BaseExpression] = []
    for side in (node.left, node.right):
        if isinstance(side, cst.ConcatenatedString):
            parts.extend(_concatenation_parts(side))
        else:
            parts.append(side)
    return parts


def _fstring_call(node: cst.FormattedString) -> str:
    """``f"a{x!r:>{w}}b"`` -> ``__shieldwall_fstring__('a', (x), (w), 'b')`` on as many lines."""
    empty = cst.Module(body=())
    args: list[str] = []
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            # The repr loses raw newlines; put them back between arguments to keep line numbers.
            args.append(repr(part.value) + "\n" * part.value.count("\n"))
        elif isinstance(part, cst.FormattedStringExpression):
            args.append("(" + empty.code_for_node(part.expression) + ")")
            if part.format_spec:
                args.extend(
                    "(" + empty.code_for_node(spec.expression) + ")"
                    for spec in part.format_spec
                    if isinstance(spec, cst.FormattedStringExpression)
                )
    return FSTRING_MARKER + "(" + ", ".join(args) + ")"


def downgrade(source: str) -> str:
    """Source equivalent to ``source`` that Python 3.11 can parse.

    Raises ``libcst.ParserSyntaxError`` when libcst cannot parse it either.
    """
    module = cst.parse_module(source)
    return module.visit(_Downgrade()).code
