"""One traversal per module, shared by the call graph and the pattern rules.

``ast.walk`` builds a generator per node; on a large project the walks of the pattern rules and
of the call graph cost more than parsing. This walks each tree once with a plain stack and files
every node under its type, and every call under the function it is in.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(slots=True)
class ModuleIndex:
    """Nodes of one module by type, and calls by the function (or module) that contains them."""

    by_type: dict[type[ast.AST], list[ast.AST]] = field(default_factory=dict)
    calls: dict[int, list[ast.Call]] = field(default_factory=dict)


def index_module(tree: ast.Module) -> ModuleIndex:
    """Walk a module once; calls are keyed by ``id()`` of their innermost function node."""
    index = ModuleIndex()
    by_type = index.by_type
    calls = index.calls
    stack: list[tuple[ast.AST, ast.AST]] = [(tree, tree)]
    while stack:
        node, owner = stack.pop()
        kind = type(node)
        bucket = by_type.get(kind)
        if bucket is None:
            bucket = by_type[kind] = []
        bucket.append(node)
        if kind is ast.Call:
            calls.setdefault(id(owner), []).append(node)  # type: ignore[arg-type]
        elif kind in _FUNCTIONS:
            owner = node
        for name in kind._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend((item, owner) for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append((value, owner))
    return index
