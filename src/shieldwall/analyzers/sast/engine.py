"""Inter-procedural taint: function summaries computed to a fixed point over the call graph.

Functions are analysed callees first (a depth-first post-order of the syntactic call graph), then
a worklist re-analyses the callers of every function whose summary changed. Each function is
analysed at most ``max_visits`` times, which bounds recursion (direct or mutual) and the depth to
which summaries are refined; the bound is reported when hit. Summaries only grow, so the
iteration converges.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from shieldwall.analyzers.sast.flow import FlowAnalysis
from shieldwall.analyzers.sast.labels import SinkHit, Summary
from shieldwall.analyzers.sast.project import Project
from shieldwall.analyzers.sast.spec import SinkKind, TaintSpec


@dataclass(slots=True)
class TaintResult:
    """Sink hits per function and the problems met on the way."""

    hits: dict[str, list[SinkHit]] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    summaries: dict[str, Summary] = field(default_factory=dict)
    clean_sinks: dict[str, set[tuple[str, int, SinkKind]]] = field(default_factory=dict)
    param_sinks: dict[str, set[tuple[str, int, SinkKind]]] = field(default_factory=dict)
    callers: dict[str, set[str]] = field(default_factory=dict)

    def settled_sinks(self) -> set[tuple[str, int, SinkKind]]:
        """Sinks proven clean, and sinks reached only by parameters of called functions.

        A function with callers in the project had every such call analysed: if no source
        reached the sink through any of them, a pattern rule need not guess about it.
        """
        settled: set[tuple[str, int, SinkKind]] = set()
        for sinks in self.clean_sinks.values():
            settled |= sinks
        for qualname, sinks in self.param_sinks.items():
            if self.callers.get(qualname):
                settled |= sinks
        return settled

    visits: int = 0


def order(graph: dict[str, set[str]]) -> list[str]:
    """Callees before callers (iterative post-order; cycles broken where first met)."""
    seen: set[str] = set()
    result: list[str] = []
    for root in graph:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(sorted(graph.get(root, ()))))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in seen and child in graph:
                    seen.add(child)
                    stack.append((child, iter(sorted(graph.get(child, ())))))
                    break
            else:
                stack.pop()
                result.append(node)
    return result


def analyse(
    project: Project, spec: TaintSpec, *, max_visits: int = 6, deadline: float | None = None
) -> TaintResult:
    """Run the taint analysis over every function of the project."""
    graph = project.call_graph()
    callers: dict[str, set[str]] = {}
    for caller, callees in graph.items():
        for callee in callees:
            callers.setdefault(callee, set()).add(caller)
    result = TaintResult(callers=callers)
    visits: dict[str, int] = {}
    queue = deque(order(graph))
    queued = set(queue)
    while queue:
        if deadline is not None and time.monotonic() > deadline:
            result.errors.append((".", "taint analysis stopped at its time limit; results partial"))
            break
        qualname = queue.popleft()
        queued.discard(qualname)
        fn = project.functions[qualname]
        visits[qualname] = visits.get(qualname, 0) + 1
        result.visits += 1
        try:
            outcome = FlowAnalysis(fn, project, spec, result.summaries).run()
        except RecursionError:
            result.errors.append((fn.module.path, f"{qualname}: too deeply nested to analyse"))
            result.hits.pop(qualname, None)
            continue
        result.hits[qualname] = outcome.hits
        path = fn.module.path
        result.clean_sinks[qualname] = {(path, line, kind) for line, kind in outcome.clean_sinks}
        result.param_sinks[qualname] = {
            (path, line, kind) for line, kind in outcome.param_only_sinks
        }
        for callee in outcome.callees:
            callers.setdefault(callee, set()).add(qualname)
        if outcome.summary == result.summaries.get(qualname):
            continue
        result.summaries[qualname] = outcome.summary
        for caller in sorted(callers.get(qualname, ())):
            if caller in queued:
                continue
            if visits.get(caller, 0) >= max_visits:
                continue
            queue.append(caller)
            queued.add(caller)
    return result
