"""The C flattener and the orjson path give exactly what the Python reference gives."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.parsers import jsonl
from shieldwall.monitor.parsers.jsonl import JsonLinesParser, flatten, python_flatten

CLOUDTRAIL = Path(__file__).parents[1] / "data" / "monitor" / "logs" / "cloudtrail.jsonl"
native = pytest.mark.skipif(
    jsonl._NATIVE_FLATTEN is None, reason="the C module _flatten was not compiled at install time"
)


def _nested(depth: int) -> dict[str, Any]:
    record: dict[str, Any] = {"leaf": depth}
    for level in range(depth):
        record = {f"k{level}": record, "n": level}
    return record


@pytest.fixture(params=["native", "python"])
def parser_path(request, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """Both decoding paths: orjson + C where built, json + Python where not."""
    if request.param == "native" and jsonl._NATIVE_FLATTEN is None:
        pytest.skip("the C module _flatten was not compiled at install time")
    if request.param == "python":
        for name in ("_FAST_LOADS", "_NATIVE_FLATTEN", "_NATIVE_MERGE"):
            monkeypatch.setattr(jsonl, name, None)
    return str(request.param)


EDGE_CASES = [
    {},
    {"a": None, "b": True, "c": 1.5, "d": -3, "e": "é\u2028\x00", "f": [], "g": {}},
    {"list": [1, "x", None, False, 2.5, {"z": [1, {"y": "ü"}]}, [1, 2]]},
    {"a": {"b": {"c": {"d": "deep"}}, "b2": [{"x": 1}]}, "a.b": "literal dotted key"},
    _nested(15),
    _nested(16),
    _nested(17),  # past the depth limit: the deepest objects are dropped, as in Python
    _nested(40),
]


@native
@pytest.mark.parametrize("record", EDGE_CASES)
def test_native_flatten_equals_python(record: dict[str, Any]) -> None:
    fast, reference = flatten(record), python_flatten(record)
    assert fast == reference
    assert list(fast) == list(reference)  # same order
    assert [type(v) for v in fast.values()] == [type(v) for v in reference.values()]


@native
def test_native_flatten_on_real_cloudtrail_records() -> None:
    for line in CLOUDTRAIL.read_text().splitlines():
        record = json.loads(line)
        fast = flatten(record)
        assert fast == python_flatten(record) and list(fast) == list(python_flatten(record))


def test_keys_that_are_not_strings_take_the_python_path() -> None:
    assert flatten({1: "x", "a": {"b": 2}}) == {1: "x", "a.b": 2}  # type: ignore[dict-item]


def test_nested_prefix_and_depth_arguments_still_work() -> None:
    assert flatten({"b": 1}, "a.", 1) == {"a.b": 1}


@pytest.mark.parametrize(
    "line",
    [
        '{"id": 123456789012345678901234567890, "n": [18446744073709551616]}',  # beyond 64 bits
        '{"id": -9223372036854775809}',
        '{"x": NaN, "y": Infinity}',  # json accepts them, orjson does not
        '{"s": "\\ud800 lone surrogate"}',
        '{"a": 1}   ',
        '{"a": 1, "a": 2}',
        '{"big": 1e400}',
        '{"r": [{"id": 123456789012345678901234567890}]}',  # inside a list, dumped as JSON
        '{"a": {"b": 1e19}, "c": [1e19, 2]}',  # real floats that look like big integers
        '{"eventSource": "s3.amazonaws.com", "eventName": "GetObject", "userAgent": "own",'
        ' "errorCode": "AccessDenied"}',  # CloudTrail: its own keys win over the ECS names
    ],
)
def test_parsed_records_are_json_s(parser_path: str, line: str) -> None:
    event = JsonLinesParser().parse(line, "x.jsonl", 1)
    assert event is not None
    expected = python_flatten(json.loads(line))
    # repr: exact values and types (an int stays an int), and NaN equal to NaN
    assert repr({key: event.fields[key] for key in expected}) == repr(expected)


def test_invalid_json_keeps_json_s_error(parser_path: str) -> None:
    with pytest.raises(LogParseError, match=r"x.jsonl:3: invalid JSON: Expecting"):
        JsonLinesParser().parse('{"a": 1,}', "x.jsonl", 3)


def test_the_module_is_built_where_ci_requires_it() -> None:
    # CI sets this: a C compiler is there, so a silent fall-back would hide a broken build.
    if os.environ.get("SHIELDWALL_REQUIRE_NATIVE"):
        assert jsonl._NATIVE_FLATTEN is not None


def test_cloudtrail_ecs_fields_are_added_only_where_missing(parser_path: str) -> None:
    line = json.dumps(
        {
            "eventSource": "iam.amazonaws.com",
            "eventName": "CreateUser",
            "sourceIPAddress": "198.51.100.7",
            "source.ip": "own value wins",
            "userIdentity": {"arn": "arn:aws:iam::1:user/alice"},
        }
    )
    event = JsonLinesParser().parse(line, "ct.jsonl", 1)
    assert event is not None
    assert event.fields["event.action"] == "CreateUser"
    assert event.fields["source.ip"] == "own value wins"
    assert event.fields["user.name"] == "alice"
    assert "errorCode" not in event.fields and event.fields["event.outcome"] == "success"
    with pytest.raises(TypeError):
        event.fields["x"] = 1  # type: ignore[index]
