"""Safe YAML loading that remembers the line of every value, for messages and SARIF locations.

The model is composed into PyYAML nodes (safe: no tags beyond the core schema are constructed), then
turned into plain Python values while a :class:`LineIndex` records the line of each key path, e.g.
``("components", 2, "kind")``. Pydantic reports errors with the same tuples as ``loc``, so every
validation message can name its line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from shieldwall.threatmodel.errors import ModelError, ModelIssue

# A model larger than this is refused with a message rather than parsed for minutes.
MAX_MODEL_BYTES = 20 * 1024 * 1024
# Aliases share nodes, so a tiny file can expand exponentially ("billion laughs"): cap the values.
MAX_VALUES = 1_000_000

Key = str | int
KeyPath = tuple[Key, ...]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class LineIndex:
    """The 1-based line of each key path in a YAML document."""

    lines: Mapping[KeyPath, int]

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def decode(data: bytes, path: str) -> str:
    """The text of a model file, or a ModelError for binary, huge or non-UTF-8 input."""
    if len(data) > MAX_MODEL_BYTES:
        raise ModelError(
            [ModelIssue(path, None, f"file is {len(data)} bytes, over {MAX_MODEL_BYTES}")]
        )
    if b"\x00" in data[:8192]:
        raise ModelError([ModelIssue(path, None, "file is binary, not YAML")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ModelError([ModelIssue(path, line, "file is not valid UTF-8")]) from exc


def load_yaml(text: str, path: str) -> tuple[Any, LineIndex]:
    """Parse one YAML document into plain values and the line of every key path."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ModelError([ModelIssue(path, line, f"invalid YAML: {exc.problem}")]) from exc
    except yaml.YAMLError as exc:
        raise ModelError([ModelIssue(path, None, f"invalid YAML: {exc}")]) from exc
    if node is None:
        return None, LineIndex({})
    if _expanded_size(node, {}) > MAX_VALUES:
        raise ModelError([ModelIssue(path, None, f"more than {MAX_VALUES} values (aliases?)")])
    lines: dict[KeyPath, int] = {}
    issues: list[ModelIssue] = []
    try:
        value = _convert(node, (), lines, issues, path)
    except RecursionError as exc:
        raise ModelError([ModelIssue(path, None, "YAML nested too deeply")]) from exc
    if issues:
        raise ModelError(issues)
    return value, LineIndex(lines)


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values the document holds once aliases are expanded, in time linear in the
    number of distinct nodes (aliases share node objects)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # a recursive alias counts once instead of looping
    size = 1
    if isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(v, memo) for _, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(v, memo) for v in node.value)
    memo[id(node)] = size
    return size


def _convert(
    node: yaml.Node, at: KeyPath, lines: dict[KeyPath, int], issues: list[ModelIssue], path: str
) -> Any:
    lines.setdefault(at, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                issues.append(ModelIssue(path, key_node.start_mark.line + 1, "keys must be text"))
                continue
            key = str(key_node.value)
            if key in result:
                # YAML allows a later duplicate to win silently; in a model that hides a mistake.
                issues.append(
                    ModelIssue(path, key_node.start_mark.line + 1, f"duplicate key {key!r}")
                )
                continue
            lines[(*at, key)] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, (*at, key), lines, issues, path)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*at, index), lines, issues, path)
            for index, item in enumerate(node.value)
        ]
    return _scalar(node, path, issues)


def _scalar(node: yaml.Node, path: str, issues: list[ModelIssue]) -> Any:
    # Construct the scalar alone with the safe constructor, so core-schema types (bool, int,
    # float, null, timestamps) resolve exactly as yaml.safe_load would resolve them.
    constructor = yaml.constructor.SafeConstructor()
    try:
        return constructor.construct_object(node)
    except yaml.constructor.ConstructorError as exc:
        issues.append(ModelIssue(path, node.start_mark.line + 1, f"invalid value: {exc.problem}"))
        return None
