"""The program model: modules, their imports and definitions, and the project's functions.

Names are resolved statically: ``from flask import request as rq`` makes ``rq.args`` resolve to
``flask.request.args``; a module of the project is known by every dotted suffix of its path
(``app/db.py`` answers to ``db`` and ``app.db``) so that imports resolve whether the scan root is
the repository, ``src/`` or a package. Relative imports and ``from x import *`` (when ``x`` is in
the project) are resolved too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from shieldwall.analyzers.sast.index import ModuleIndex, index_module
from shieldwall.analyzers.sast.parsing import ParsedModule

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(slots=True)
class FunctionInfo:
    """One function or method of the project, known by its qualified name."""

    qualname: str
    node: FunctionNode | ast.Module
    module: ModuleInfo
    class_name: str | None = None
    params: tuple[str, ...] = ()
    positional: int = 0
    local_defs: dict[str, str] = field(default_factory=dict)

    @property
    def is_module_body(self) -> bool:
        """Whether this stands for the top-level code of a module."""
        return isinstance(self.node, ast.Module)


@dataclass(slots=True)
class ModuleInfo:
    """One parsed module: its dotted name, imports, definitions and constant globals."""

    name: str
    path: str
    parsed: ParsedModule
    is_package: bool = False
    imports: dict[str, str] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    functions: dict[str, str] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    constants: dict[str, object] = field(default_factory=dict)
    class_bases: dict[str, list[str]] = field(default_factory=dict)
    index: ModuleIndex = field(default_factory=ModuleIndex)

    @property
    def tree(self) -> ast.Module:
        """The module's syntax tree."""
        return self.parsed.tree

    def imports_any(self, roots: frozenset[str]) -> bool:
        """Whether the module imports any of these top-level packages."""
        return any(target.split(".", 1)[0] in roots for target in self.imports.values())

    def resolve_name(self, name: str) -> str | None:
        """The qualified name a top-level name of this module stands for, if it is bound."""
        if name in self.imports:
            return self.imports[name]
        if name in self.functions:
            return self.functions[name]
        if name in self.classes:
            return self.classes[name]
        return None


def module_name_for(path: str) -> tuple[str, bool]:
    """Dotted module name of a relative path, and whether it is a package ``__init__``."""
    parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
    if parts and parts[-1] == "__init__":
        return ".".join(parts[:-1]) or "__init__", True
    return ".".join(parts), False


def build_module(path: str, parsed: ParsedModule) -> ModuleInfo:
    """Collect the top-level bindings of a parsed module."""
    name, is_package = module_name_for(path)
    module = ModuleInfo(
        name=name,
        path=path,
        parsed=parsed,
        is_package=is_package,
        index=index_module(parsed.tree),
    )
    assigned: dict[str, int] = {}
    for stmt in _top_level(parsed.tree.body):
        match stmt:
            case ast.Import(names=names):
                for alias in names:
                    if alias.asname:
                        module.imports[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".", 1)[0]
                        module.imports[top] = top
            case ast.ImportFrom(module=source, names=names, level=level):
                base = _absolute(module, source or "", level)
                for alias in names:
                    if alias.name == "*":
                        module.star_imports.append(base)
                    else:
                        target = f"{base}.{alias.name}" if base else alias.name
                        module.imports[alias.asname or alias.name] = target
            case ast.FunctionDef(name=fname) | ast.AsyncFunctionDef(name=fname):
                module.functions[fname] = f"{name}.{fname}"
            case ast.ClassDef(name=cname, bases=bases):
                module.classes[cname] = f"{name}.{cname}"
                module.class_bases[cname] = [_dotted(module, b) for b in bases]
            case ast.Assign(targets=[ast.Name(id=target)], value=ast.Constant(value=value)):
                assigned[target] = assigned.get(target, 0) + 1
                module.constants[target] = value
            case ast.Assign() | ast.AugAssign() | ast.AnnAssign():
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for sub in (n for t in targets for n in ast.walk(t)):
                    if isinstance(sub, ast.Name):
                        assigned[sub.id] = assigned.get(sub.id, 0) + 2
            case _:
                pass
    # A name assigned more than once is not a compile-time constant.
    for target, count in assigned.items():
        if count != 1:
            module.constants.pop(target, None)
    return module


def _dotted(module: ModuleInfo, expr: ast.expr) -> str:
    """A base class expression with its root resolved through the imports seen so far."""
    text = ast.unparse(expr)
    root, _, rest = text.partition(".")
    resolved = module.resolve_name(root)
    return f"{resolved}.{rest}" if resolved and rest else resolved or text


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Top-level statements, looking into ``if``/``try`` blocks (guarded imports)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _top_level(stmt.body)
            yield from _top_level(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            yield from _top_level(stmt.body)
            for handler in stmt.handlers:
                yield from _top_level(handler.body)


def _absolute(module: ModuleInfo, source: str, level: int) -> str:
    """The absolute dotted name of ``from <dots><source> import ...`` in ``module``."""
    if level == 0:
        return source
    package = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
    if level > 1:
        package = package[: len(package) - (level - 1)] if level - 1 <= len(package) else []
    return ".".join([*package, source] if source else package)


def collect_functions(module: ModuleInfo) -> list[FunctionInfo]:
    """Every function and method of a module (nested ones too), plus its top-level body."""
    found: list[FunctionInfo] = [
        FunctionInfo(qualname=f"{module.name}.<module>", node=module.tree, module=module)
    ]
    _collect(module, module.tree.body, module.name, None, found, {})
    return found


def _collect(
    module: ModuleInfo,
    body: list[ast.stmt],
    prefix: str,
    class_name: str | None,
    found: list[FunctionInfo],
    local_defs: dict[str, str],
) -> None:
    """Functions defined in ``body``; ``local_defs`` are the nested definitions in scope.

    Top-level functions are found through the module's own table, so only the bodies of
    functions add to ``local_defs`` (copying a module-sized table per function would be
    quadratic on generated modules).
    """
    for stmt in _nested_statements(body):
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            qualname = f"{prefix}.{stmt.name}"
            args = stmt.args
            params = tuple(a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs])
            positional = len(args.posonlyargs) + len(args.args)
            found.append(
                FunctionInfo(
                    qualname=qualname,
                    node=stmt,
                    module=module,
                    class_name=class_name,
                    params=params,
                    positional=positional,
                    local_defs=local_defs,
                )
            )
            inner = {
                s.name: f"{qualname}.{s.name}"
                for s in _nested_statements(stmt.body)
                if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
            }
            _collect(
                module,
                stmt.body,
                qualname,
                None,
                found,
                {**local_defs, **inner} if inner else local_defs,
            )
        elif isinstance(stmt, ast.ClassDef):
            qualname = f"{prefix}.{stmt.name}"
            _collect(module, stmt.body, qualname, qualname, found, local_defs)


def _nested_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of a block, descending into compound statements but not into definitions."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, name, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                yield from _nested_statements(inner)
        for handler in getattr(stmt, "handlers", ()):
            yield from _nested_statements(handler.body)
        for case in getattr(stmt, "cases", ()):
            yield from _nested_statements(case.body)
