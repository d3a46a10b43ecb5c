"""YAML and JSON documents as :mod:`values` trees with lines, loaded safely and with bounds.

Only the composer runs (``yaml.compose_all`` with the C safe loader when available): no Python
object is ever constructed from a tag, so CloudFormation's ``!Ref``/``!Sub`` short forms parse
without custom constructors and nothing unsafe can run. Anchors and aliases are measured before
conversion: a document whose aliases expand past :data:`MAX_VALUES` values (a "billion laughs"
YAML bomb) or that refers to itself is rejected with a clear error instead of exhausting memory.
JSON is read by the same composer (JSON is YAML's flow style), which gives JSON lines for free.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from shieldwall.analyzers.iac.values import ListValue, ObjectValue, Scalar, ScalarType, Value, obj
from shieldwall.core.errors import AnalysisError

MAX_VALUES = 1_000_000
MAX_DOCUMENTS = 10_000
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_JSON_NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$")
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_constructor = yaml.constructor.SafeConstructor()


def load_documents(text: str, path: str) -> Iterator[Value]:
    """Each document of a YAML (or JSON) text as a value tree; errors name the file and line."""
    try:
        for count, node in enumerate(yaml.compose_all(text, Loader=_Loader), start=1):
            if count > MAX_DOCUMENTS:
                raise AnalysisError(f"{path}: more than {MAX_DOCUMENTS} YAML documents")
            if node is None:
                continue
            _check_size(node, path)
            yield _convert(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise AnalysisError(f"{path}: YAML syntax error{where}: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise AnalysisError(f"{path}: cannot read YAML: {exc}") from exc
    except RecursionError as exc:
        raise AnalysisError(f"{path}: YAML nested too deeply") from exc


def _check_size(root: yaml.Node, path: str) -> None:
    """Reject documents whose alias expansion is too large or cyclic, before converting them."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_VALUES:
                raise AnalysisError(
                    f"{path}: YAML aliases expand to more than {MAX_VALUES:,} values "
                    "(an alias bomb?); not analysed"
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in active:
            raise AnalysisError(
                f"{path}: YAML anchor refers to itself (line {node.start_mark.line + 1})"
            )
        active.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in active:
                raise AnalysisError(
                    f"{path}: YAML anchor refers to itself (line {child.start_mark.line + 1})"
                )
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _convert(node: yaml.Node) -> Value:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        value = _scalar(node)
        if not node.tag.startswith("tag:yaml.org,2002:"):
            # A short-form intrinsic such as "!Ref Bucket": the long form {"Ref": "Bucket"}.
            return obj({_intrinsic_name(node.tag): Scalar(node.value, line)}, line)
        return Scalar(value, line)
    if isinstance(node, yaml.SequenceNode):
        items = ListValue(tuple(_convert(child) for child in node.value), line)
        if node.tag != _SEQ_TAG:
            return obj({_intrinsic_name(node.tag): items}, line)
        return items
    fields: dict[str, Value] = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            merged = _convert(value_node)
            for source in merged.items if isinstance(merged, ListValue) else (merged,):
                for k, v in getattr(source, "fields", {}).items():
                    fields.setdefault(k, v)
            continue
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
        converted = _convert(value_node)
        key_line = key_node.start_mark.line + 1
        if converted.line > key_line:
            # A block value starts below its key; the setting is where the key is, as in HCL.
            converted = _at_line(converted, key_line)
        fields[str(key)] = converted
    mapping = obj(fields, line)
    if node.tag != _MAP_TAG:
        return obj({_intrinsic_name(node.tag): mapping}, line)
    return mapping


def _at_line(value: Value, line: int) -> Value:
    match value:
        case ListValue():
            return ListValue(value.items, line)
        case ObjectValue():
            return ObjectValue(value.fields, line)
        case Scalar():
            return Scalar(value.value, line)
        case _:
            return value


def _intrinsic_name(tag: str) -> str:
    name = tag.lstrip("!")
    return name if name in {"Ref", "Condition"} else f"Fn::{name}"


def _scalar(node: yaml.ScalarNode) -> ScalarType:
    tag = node.tag
    if tag in {_INT_TAG, _FLOAT_TAG} and ":" in node.value:
        # YAML 1.1 base-60 numbers: "22:22" in a compose port list means a port mapping.
        return str(node.value)
    if tag in {_INT_TAG, _FLOAT_TAG, _BOOL_TAG, _NULL_TAG}:
        try:
            value = _constructor.construct_object(node)
        except (yaml.constructor.ConstructorError, ValueError):
            return str(node.value)
        return value if isinstance(value, int | float | bool) or value is None else str(value)
    text = str(node.value)
    if tag == _STR_TAG and node.style is None and _JSON_NUMBER.match(text):
        # YAML 1.1 reads "1e3" as a string; JSON and YAML 1.2 read it as a number.
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    return text
