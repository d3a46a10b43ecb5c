"""Parse one Python module into an ``ast`` tree, whatever Python version it was written for.

``ast.parse`` of the running interpreter (3.11) is tried first because it is fast; a module it
rejects is downgraded through libcst (see :mod:`.compat`) and parsed again. A module neither can
read raises :class:`~shieldwall.core.errors.AnalysisError` with the line of the first problem.
Deeply nested or huge inputs are bounded: they fail with a clear message instead of exhausting
the stack or the memory.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst

from shieldwall.analyzers.sast.compat import FSTRING_MARKER, downgrade
from shieldwall.core.errors import AnalysisError


@dataclass(frozen=True, slots=True)
class ParsedModule:
    """An ``ast`` tree and the source lines it came from."""

    tree: ast.Module
    lines: tuple[str, ...]
    downgraded: bool = False


def parse_module(source: str, path: str, *, max_lines: int = 200_000) -> ParsedModule:
    """Parse ``source``; raise :class:`AnalysisError` when it cannot be read."""
    if "\x00" in source:
        raise AnalysisError(f"{path}: contains NUL bytes; not Python source")
    lines = tuple(source.splitlines())
    if len(lines) > max_lines:
        raise AnalysisError(f"{path}: {len(lines)} lines, over the limit of {max_lines}")
    try:
        return ParsedModule(_ast_parse(source, path), lines)
    except SyntaxError as first:
        return _parse_newer(source, path, lines, first)
    except (RecursionError, MemoryError) as exc:
        raise AnalysisError(f"{path}: too deeply nested to parse") from exc


def _ast_parse(source: str, path: str) -> ast.Module:
    return ast.parse(source, filename=path, type_comments=False)


def _parse_newer(
    source: str, path: str, lines: tuple[str, ...], first: SyntaxError
) -> ParsedModule:
    where = f"line {first.lineno}" if first.lineno else "unknown line"
    try:
        rewritten = downgrade(source)
        tree = _ast_parse(rewritten, path)
    except libcst.ParserSyntaxError as exc:
        raise AnalysisError(
            f"{path}: syntax error at line {exc.raw_line}: {exc.message} "
            f"(Python 3.11 says: {first.msg} at {where})"
        ) from exc
    except SyntaxError as exc:
        raise AnalysisError(f"{path}: syntax error at {where}: {first.msg}") from exc
    except (RecursionError, MemoryError) as exc:
        raise AnalysisError(f"{path}: too deeply nested to parse") from exc
    return ParsedModule(_RebuildFStrings().visit(tree), lines, downgraded=True)


class _RebuildFStrings(ast.NodeTransformer):
    """Turn the marker calls left by :func:`.compat.downgrade` back into ``ast.JoinedStr``."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if not (isinstance(node.func, ast.Name) and node.func.id == FSTRING_MARKER):
            return node
        values: list[ast.expr] = []
        for arg in node.args:
            if isinstance(arg, ast.JoinedStr):
                values.extend(arg.values)
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                values.append(arg)
            else:
                value = ast.FormattedValue(value=arg, conversion=-1, format_spec=None)
                values.append(ast.copy_location(value, arg))
        return ast.copy_location(ast.JoinedStr(values=values), node)
