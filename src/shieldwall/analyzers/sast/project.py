"""The whole project: every module and function, name resolution across modules, the call graph."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from shieldwall.analyzers.sast.program import FunctionInfo, ModuleInfo, collect_functions

_MAX_REEXPORT_DEPTH = 6
_CONSTRUCTORS = (".__init__", ".__post_init__", ".setUp")


@dataclass(slots=True)
class Project:
    """Modules by name (and by every dotted suffix of their name) and functions by qualname."""

    modules: dict[str, ModuleInfo] = field(default_factory=dict)
    by_suffix: dict[str, list[ModuleInfo]] = field(default_factory=dict)
    functions: dict[str, FunctionInfo] = field(default_factory=dict)
    # class qualname -> attribute -> (the constructor, the call assigned to self.<attribute>)
    attribute_calls: dict[str, dict[str, tuple[FunctionInfo, ast.expr]]] = field(
        default_factory=dict
    )
    _attribute_types: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def add(self, module: ModuleInfo) -> None:
        """Register a module and its functions."""
        self.modules[module.name] = module
        parts = module.name.split(".")
        for start in range(len(parts)):
            self.by_suffix.setdefault(".".join(parts[start:]), []).append(module)
        for info in collect_functions(module):
            self.functions[info.qualname] = info
            if info.class_name and info.qualname.endswith(_CONSTRUCTORS):
                self._record_attributes(info)

    def _record_attributes(self, init: FunctionInfo) -> None:
        """``self.db = Database(...)`` in a constructor: remember the call for ``self.db.m()``."""
        assert init.class_name is not None  # noqa: S101 - checked by the caller
        table = self.attribute_calls.setdefault(init.class_name, {})
        for stmt in init.node.body:
            if (
                isinstance(stmt, ast.Assign)
                and isinstance(stmt.value, ast.Call)
                and len(stmt.targets) == 1
            ):
                target = stmt.targets[0]
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                ):
                    table.setdefault(target.attr, (init, stmt.value.func))

    def attribute_class(self, class_name: str, attribute: str) -> str | None:
        """The project class of ``self.<attribute>`` when a constructor assigned it one."""
        key = (class_name, attribute)
        if key not in self._attribute_types:
            entry = self.attribute_calls.get(class_name, {}).get(attribute)
            self._attribute_types[key] = None  # guards against self-referential lookups
            if entry is not None:
                self._attribute_types[key] = self.constructed_class(entry[0], entry[1], {})
        return self._attribute_types[key]

    def find_module(self, dotted: str, near: ModuleInfo) -> ModuleInfo | None:
        """The project module an import name denotes, preferring the one closest to ``near``."""
        exact = self.modules.get(dotted)
        if exact is not None:
            return exact
        candidates = self.by_suffix.get(dotted)
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        near_parts = near.name.split(".")

        def shared(mod: ModuleInfo) -> int:
            count = 0
            for a, b in zip(mod.name.split("."), near_parts, strict=False):
                if a != b:
                    break
                count += 1
            return count

        return max(candidates, key=lambda m: (shared(m), -len(m.name)))

    def lookup(self, qualified: str, near: ModuleInfo, depth: int = 0) -> str | None:
        """The project qualname (function or class) a qualified name denotes, if any.

        Follows re-exports (``from .db import query`` in a package ``__init__``) a few levels.
        """
        if qualified in self.functions:
            return qualified
        if depth > _MAX_REEXPORT_DEPTH:
            return None
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self.find_module(".".join(parts[:cut]), near)
            if module is None:
                continue
            head, rest = parts[cut], parts[cut + 1 :]
            target = module.resolve_name(head) or self._star(module, head)
            if target is None:
                return None
            full = ".".join([target, *rest])
            if full in self.functions or self._is_class(full):
                return full
            if full == qualified:
                return None
            return self.lookup(full, module, depth + 1)
        return None

    def _star(self, module: ModuleInfo, name: str) -> str | None:
        for source in module.star_imports:
            star = self.find_module(source, module)
            if star is not None and not name.startswith("_"):
                found = star.resolve_name(name)
                if found is not None:
                    return found
        return None

    def base_names(self, qualified: str, near: ModuleInfo, depth: int = 0) -> list[str]:
        """Qualified names of the bases of a project class, transitively (a few levels)."""
        target = self.lookup(qualified, near)
        if target is None or depth > _MAX_REEXPORT_DEPTH:
            return []
        module_name, _, cls = target.rpartition(".")
        module = self.modules.get(module_name)
        if module is None:
            return []
        names: list[str] = []
        for base in module.class_bases.get(cls, ()):
            names.append(base)
            names.extend(self.base_names(base, module, depth + 1))
        return names

    def _is_class(self, qualname: str) -> bool:
        module_name, _, cls = qualname.rpartition(".")
        module = self.modules.get(module_name)
        return module is not None and cls in module.classes

    def resolve_global(self, module: ModuleInfo, name: str) -> str | None:
        """What a free name of a module denotes: an import, a definition or a star import."""
        return module.resolve_name(name) or self._star(module, name)

    def callee(
        self, fn: FunctionInfo, func: ast.expr, types: dict[str, str]
    ) -> FunctionInfo | None:
        """The project function a call's ``func`` expression invokes, when it is knowable.

        A class resolves to its ``__init__``; ``self.m()`` to the method of the enclosing class;
        ``x.m()`` to the method of ``x``'s class when ``x`` was assigned from a constructor.
        """
        qualified = self.qualify(fn, func, types)
        if qualified is None:
            return None
        target = self.lookup(qualified, fn.module)
        if target is None:
            target = self._inherited(qualified, fn.module)
            if target is None:
                return None
        if target in self.functions:
            return self.functions[target]
        return self.functions.get(f"{target}.__init__")

    def _inherited(self, qualified: str, near: ModuleInfo) -> str | None:
        """``Child.method`` defined on a project base class of ``Child``."""
        cls, _, method = qualified.rpartition(".")
        if not cls or not self._is_class(cls):
            return None
        for base in self.base_names(cls, near):
            found = self.lookup(f"{base}.{method}", near)
            if found is not None and found in self.functions:
                return found
        return None

    def constructed_class(
        self, fn: FunctionInfo, func: ast.expr, types: dict[str, str]
    ) -> str | None:
        """The project class a call instantiates (``Runner()``), if it is one."""
        qualified = self.qualify(fn, func, types)
        target = self.lookup(qualified, fn.module) if qualified else None
        return target if target is not None and self._is_class(target) else None

    def qualify(self, fn: FunctionInfo, expr: ast.expr, types: dict[str, str]) -> str | None:
        """A project-relative qualified name for a callee expression, if it has one."""
        if isinstance(expr, ast.Name):
            if expr.id in fn.local_defs:
                return fn.local_defs[expr.id]
            return self.resolve_global(fn.module, expr.id)
        if isinstance(expr, ast.Attribute):
            base = expr.value
            if isinstance(base, ast.Name):
                if base.id in ("self", "cls") and fn.class_name:
                    return f"{fn.class_name}.{expr.attr}"
                if base.id in types:
                    return f"{types[base.id]}.{expr.attr}"
            if isinstance(base, ast.Call):
                made = self.constructed_class(fn, base.func, types)
                return f"{made}.{expr.attr}" if made else None
            if (
                isinstance(base, ast.Attribute)
                and isinstance(base.value, ast.Name)
                and base.value.id == "self"
                and fn.class_name
            ):
                cls = self.attribute_class(fn.class_name, base.attr)
                if cls is not None:
                    return f"{cls}.{expr.attr}"
            inner = self.qualify(fn, base, types)
            return f"{inner}.{expr.attr}" if inner else None
        return None

    def call_graph(self) -> dict[str, set[str]]:
        """Caller qualname -> project callees found syntactically (no type inference)."""
        graph: dict[str, set[str]] = {}
        for qualname, fn in self.functions.items():
            edges = graph.setdefault(qualname, set())
            for node in fn.module.index.calls.get(id(fn.node), ()):
                target = self.callee(fn, node.func, {})
                if target is not None:
                    edges.add(target.qualname)
        return graph
