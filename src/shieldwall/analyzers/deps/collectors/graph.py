"""Dependency paths: the shortest route from a direct dependency to each package."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence


def shortest_paths(
    roots: Iterable[str], edges: Mapping[str, Sequence[str]]
) -> dict[str, tuple[str, ...]]:
    """Breadth-first from every root: node -> (root, ..., node); unreachable nodes are absent."""
    paths: dict[str, tuple[str, ...]] = {}
    queue: deque[str] = deque()
    for root in roots:
        if root not in paths:
            paths[root] = (root,)
            queue.append(root)
    while queue:
        node = queue.popleft()
        for child in edges.get(node, ()):
            if child not in paths:
                paths[child] = (*paths[node], child)
                queue.append(child)
    return paths


def implicit_roots(nodes: Iterable[str], edges: Mapping[str, Sequence[str]]) -> list[str]:
    """Nodes nothing depends on: the direct dependencies when the lockfile does not name them."""
    nodes = list(nodes)
    depended = {child for children in edges.values() for child in children}
    return [n for n in nodes if n not in depended]
