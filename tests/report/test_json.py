"""The JSON report: complete, versioned, valid against the published schema, readable back."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path, PurePosixPath
from types import MappingProxyType

import jsonschema
import pytest

from shieldwall.core import Finding, ReportError, ScanResult, SuppressionKind
from shieldwall.report import JsonReporter, finding_to_dict, parse_report
from shieldwall.report.json import jsonable
from shieldwall.report.json_schema import json_schema
from tests.golden import Golden
from tests.report.sample import SECRET, render

SCHEMA_PATH = Path(__file__).parents[2] / "docs" / "json-schema.json"


def _doc(result: ScanResult) -> dict:
    return json.loads(render(JsonReporter(), result))


def test_golden(result: ScanResult, golden: Golden) -> None:
    golden.check("report/result.json", render(JsonReporter(), result))


def test_golden_clean(clean: ScanResult, golden: Golden) -> None:
    golden.check("report/clean.json", render(JsonReporter(), clean))


def test_published_schema_is_generated_from_the_models(golden: Golden) -> None:
    generated = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    if golden.update:
        SCHEMA_PATH.write_text(generated, encoding="utf-8")
    assert SCHEMA_PATH.read_text(encoding="utf-8") == generated, (
        "docs/json-schema.json is stale: run pytest --update-golden"
    )


@pytest.mark.parametrize("fixture", ["result", "clean"])
def test_output_validates_against_published_schema(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors(_doc(request.getfixturevalue(fixture))))
    assert errors == []


def test_schema_rejects_a_report_missing_a_finding_field(result: ScanResult) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    doc = _doc(result)
    del doc["findings"][0]["fingerprint"]
    doc["findings"][1]["location"]["kind"] = "galaxy"
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]
    assert any("fingerprint" in m for m in messages)
    assert len(messages) >= 2


def test_top_level_layout(result: ScanResult) -> None:
    doc = _doc(result)
    assert doc["version"] == "1"
    assert doc["tool"]["name"] == "shieldwall"
    assert doc["target"] == "examples/shop"
    assert {"findings", "errors", "skipped", "stats", "rules", "summary"} <= doc.keys()
    assert doc["summary"]["by_severity"] == {
        "critical": 2,
        "high": 2,
        "medium": 0,
        "low": 1,
        "info": 0,
    }
    assert doc["summary"]["suppressed"] == 4
    assert [r["id"] for r in doc["rules"]] == sorted(r["id"] for r in doc["rules"])
    # the rule that ran without findings is listed too
    assert "SW-PY-003" in {r["id"] for r in doc["rules"]}
    assert doc["errors"][0] == {
        "path": "app/broken.py",
        "message": "app/broken.py: not valid UTF-8 (byte 17)",
        "analyzer": "sast",
    }
    assert doc["skipped"][1] == {
        "path": "data/dump.sql",
        "reason": "too-large",
        "detail": "12.0 MB > 5.0 MB",
    }


def test_findings_keep_the_result_order_and_every_field(result: ScanResult) -> None:
    doc = _doc(result)
    assert [f["fingerprint"] for f in doc["findings"]] == [f.fingerprint for f in result.findings]
    finding_fields = {f.name for f in dataclasses.fields(Finding)}
    for entry in doc["findings"]:
        assert finding_fields <= entry.keys()
        assert entry["suppressed"] is (entry["suppression"] is not None)


def test_suppressed_findings_are_included_and_marked(result: ScanResult) -> None:
    kinds = [f["suppression"]["kind"] for f in _doc(result)["findings"] if f["suppressed"]]
    assert sorted(kinds) == sorted(k.value for k in SuppressionKind)
    ignore = next(
        f
        for f in _doc(result)["findings"]
        if f["suppressed"] and f["suppression"]["kind"] == "ignore"
    )
    assert ignore["suppression"] == {
        "kind": "ignore",
        "reason": "dev image only",
        "expires": "2099-12-31",
    }


def test_locations_of_every_kind(result: ScanResult) -> None:
    by_kind: dict[str, dict] = {}
    for entry in _doc(result)["findings"]:
        by_kind.setdefault(entry["location"]["kind"], entry["location"])
    assert set(by_kind) == {"source", "package", "image", "url"}
    assert by_kind["package"]["dependency_path"] == ["flask@1.0", "jinja2@2.10"]
    assert by_kind["url"]["parameter"] == "q"
    assert by_kind["image"]["layer"] == "sha256:5f70bf18a086"


def test_trace_and_fix(result: ScanResult) -> None:
    sqli = finding_to_dict(result.findings[0])
    assert [step["location"]["start_line"] for step in sqli["trace"]] == [40, 41, 42]
    assert sqli["trace"][0]["message"] == "source: request.args"
    assert sqli["fix"]["replacement"].startswith("cursor.execute(")
    dep = finding_to_dict(result.findings[2])
    assert dep["fix"]["fixed_versions"] == ["2.10.1", "3.1.3"]


def test_secret_is_never_in_the_report(result: ScanResult) -> None:
    text = render(JsonReporter(), result)
    assert SECRET not in text
    secret = finding_to_dict(result.findings[1])
    assert secret["properties"]["secret_preview"] == "AKIA*****"
    assert len(secret["properties"]["secret_hash"]) == 64


def test_round_trip(result: ScanResult) -> None:
    back = parse_report(render(JsonReporter(), result))
    assert back.findings == result.findings
    assert back.errors == result.errors
    assert back.skipped == result.skipped
    assert dict(back.rules) == dict(result.rules)
    assert back.warnings == result.warnings
    assert back.stats.files_scanned == result.stats.files_scanned


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[]",
        b'{"version": "2"}',
        b"\xff\xfe\x00garbage",
    ],
    ids=["empty", "text", "array", "future-version", "binary"],
)
def test_parse_report_rejects_bad_input_with_a_clear_error(data: bytes) -> None:
    with pytest.raises(ReportError, match="not a shieldwall JSON report v1"):
        parse_report(data)


def test_parse_report_names_the_bad_field(result: ScanResult) -> None:
    doc = _doc(result)
    doc["findings"][0]["severity"] = "catastrophic"
    with pytest.raises(ReportError, match=r"findings\.0\.severity"):
        parse_report(json.dumps(doc))


def test_jsonable_makes_odd_properties_serialisable() -> None:
    odd = MappingProxyType(
        {
            "set": {"b", "a"},
            "path": PurePosixPath("/x/y"),
            "nan": math.nan,
            "nested": {"t": (1, 2.5, None, True)},
        }
    )
    assert jsonable(odd) == {
        "set": ["a", "b"],
        "path": "/x/y",
        "nan": "nan",
        "nested": {"t": [1, 2.5, None, True]},
    }


def test_properties_that_are_not_json_do_not_break_the_report(result: ScanResult) -> None:
    weird = dataclasses.replace(result.findings[0], properties=MappingProxyType({"s": {3, 1}}))
    text = render(JsonReporter(), dataclasses.replace(result, findings=(weird,)))
    assert json.loads(text)["findings"][0]["properties"] == {"s": [1, 3]}
