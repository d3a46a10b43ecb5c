"""SARIF 2.1.0: valid against the official schema and carrying what GitHub code scanning reads."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from shieldwall.core import (
    Finding,
    Fix,
    ScanResult,
    Severity,
    SourceLocation,
    SuppressionKind,
)
from shieldwall.report import SarifReporter
from shieldwall.report.sarif import cwe_tag, sarif_level
from tests.golden import Golden
from tests.report.sample import SECRET, SQLI, render

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text()
)


def _log(result: ScanResult) -> dict[str, Any]:
    return json.loads(render(SarifReporter(), result))


def _run(result: ScanResult) -> dict[str, Any]:
    return _log(result)["runs"][0]


def _validate(log: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(log)]


def test_golden(result: ScanResult, golden: Golden) -> None:
    golden.check("report/result.sarif", render(SarifReporter(), result))


@pytest.mark.parametrize("fixture", ["result", "clean"])
def test_valid_against_official_schema(fixture: str, request: pytest.FixtureRequest) -> None:
    assert _validate(_log(request.getfixturevalue(fixture))) == []


def test_schema_check_is_not_vacuous(result: ScanResult) -> None:
    log = _log(result)
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["tool"]["driver"]["name"]
    # formats are checked too (needs rfc3986-validator): GitHub rejects a URI with a space
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = (
        "a b.py"
    )
    assert len(_validate(log)) == 3


def test_rules_have_help_cwe_tags_and_security_severity(result: ScanResult) -> None:
    rules = {r["id"]: r for r in _run(result)["tool"]["driver"]["rules"]}
    assert list(rules) == sorted(rules)
    sqli = rules["SW-PY-001"]
    tags = sqli["properties"]["tags"]
    # most specific CWE first, in GitHub's tag form
    assert [t for t in tags if t.startswith("external/cwe/")] == [
        "external/cwe/cwe-89",
        "external/cwe/cwe-943",
    ]
    assert "security" in tags
    assert sqli["properties"]["security-severity"] == "8.0"
    assert sqli["properties"]["precision"] == "high"
    assert sqli["shortDescription"]["text"] == "SQL query built from user input"
    assert "bound parameters" in sqli["help"]["text"]
    assert "[CWE-89](https://cwe.mitre.org/data/definitions/89.html)" in sqli["help"]["markdown"]
    assert sqli["helpUri"] == "https://owasp.org/Top10/A03_2021-Injection/"
    assert sqli["defaultConfiguration"]["level"] == "error"
    assert rules["SW-PY-002"]["deprecatedIds"] == ["SW-PY-900"]
    assert rules["SW-SEC-001"]["properties"]["security-severity"] == "9.5"


def test_results_point_at_their_rule_and_carry_fingerprints(result: ScanResult) -> None:
    run = _run(result)
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(result.findings)
    for entry, finding in zip(run["results"], result.findings, strict=True):
        assert rules[entry["ruleIndex"]]["id"] == entry["ruleId"] == finding.rule.id
        assert entry["partialFingerprints"] == {"shieldwall/v1": finding.fingerprint}
        assert entry["level"] == sarif_level(finding.severity)
        assert entry["properties"]["security-severity"] == finding.severity.security_severity


def test_source_region_columns_are_exclusive_at_the_end(result: ScanResult) -> None:
    region = _run(result)["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {
        "startLine": 42,
        "endLine": 42,
        "startColumn": 5,
        "endColumn": 49,
        "snippet": {"text": 'cursor.execute("SELECT * FROM t WHERE id=" + uid)'},
    }


def test_every_location_kind_is_mapped(result: ScanResult) -> None:
    results = _run(result)["results"]
    package = results[2]["locations"][0]
    assert package["physicalLocation"] == {
        "artifactLocation": {"uri": "requirements.txt", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3},
    }
    assert package["logicalLocations"][0]["fullyQualifiedName"] == "pkg:pypi/jinja2@2.10"
    assert package["properties"]["dependencyPath"] == ["flask@1.0", "jinja2@2.10"]
    assert results[2]["properties"]["fix"]["fixedVersions"] == ["2.10.1", "3.1.3"]
    image = results[3]["locations"][0]
    assert image["physicalLocation"]["artifactLocation"] == {
        "uri": "etc/app.conf",
        "uriBaseId": "IMAGEROOT",
    }
    assert image["properties"] == {"image": "shop:1.4", "layer": "sha256:5f70bf18a086"}
    url = results[4]
    assert url["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("http://")
    assert url["locations"][0]["logicalLocations"] == [{"name": "q", "kind": "parameter"}]
    assert url["webRequest"] == {"method": "GET", "target": "http://127.0.0.1:8000/search?q=x"}


def test_code_flow_from_trace(result: ScanResult) -> None:
    flow = _run(result)["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [step["location"]["physicalLocation"]["region"]["startLine"] for step in flow] == [
        40,
        41,
        42,
    ]
    assert flow[0]["location"]["message"]["text"] == "source: request.args"
    assert [step["executionOrder"] for step in flow] == [1, 2, 3]
    assert "codeFlows" not in _run(result)["results"][1]


def test_source_replacement_becomes_a_sarif_fix(result: ScanResult) -> None:
    fix = _run(result)["results"][0]["fixes"][0]
    change = fix["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "app/views.py"
    assert change["replacements"][0]["deletedRegion"]["startColumn"] == 5
    assert "snippet" not in change["replacements"][0]["deletedRegion"]
    assert change["replacements"][0]["insertedContent"]["text"].endswith("(uid,))")


def test_suppressions_for_each_kind(result: ScanResult) -> None:
    found = {}
    for entry in _run(result)["results"]:
        for supp in entry.get("suppressions", []):
            found[supp["properties"]["shieldwallKind"]] = supp
    assert set(found) == {k.value for k in SuppressionKind}
    assert found["inline"]["kind"] == "inSource"
    assert found["baseline"]["kind"] == "external"
    assert found["ignore"]["justification"] == "dev image only"
    assert found["ignore"]["properties"]["expires"] == "2099-12-31"
    assert all(s["status"] == "accepted" for s in found.values())
    active = [e for e in _run(result)["results"] if "suppressions" not in e]
    assert len(active) == len(result.active)


def test_invocation_reports_errors_warnings_and_skips(result: ScanResult) -> None:
    invocation = _run(result)["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert invocation["startTimeUtc"] == "2026-11-29T21:00:00.000000Z"
    notes = invocation["toolExecutionNotifications"]
    errors = [n for n in notes if n["level"] == "error"]
    assert [e["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for e in errors] == [
        "app/broken.py",
        "charts/values.yaml",
    ]
    assert errors[0]["properties"] == {"analyzer": "sast"}
    assert [n["level"] for n in notes].count("warning") == 1
    assert [n["level"] for n in notes].count("note") == 2


def test_paths_are_uri_encoded_and_absolute_targets_become_base_uris(result: ScanResult) -> None:
    odd = Finding.create(
        rule=SQLI, message="m", location=SourceLocation("dir with space/a#b%.py", 1)
    )
    log = _log(dataclasses.replace(result, findings=(odd,), target="/srv/repo"))
    run = log["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "dir%20with%20space/a%23b%25.py"
    # an undecodable byte of a file name (kept by surrogateescape) is encoded as that byte
    raw = Finding.create(rule=SQLI, message="m", location=SourceLocation("caf\udce9.py", 1))
    raw_log = _log(dataclasses.replace(result, findings=(raw,)))
    location = raw_log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "caf%E9.py"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///srv/repo/"
    assert _validate(log) == []


def test_bad_positions_still_give_a_valid_log(result: ScanResult) -> None:
    # A scanner bug (line 0, end before start) must not produce a log GitHub rejects.
    broken = Finding.create(
        rule=SQLI,
        message="m",
        location=SourceLocation("a.py", 0, end_line=-3, start_column=0, end_column=-1),
        severity=Severity.INFO,
        fix=Fix(replacement="x"),
    )
    assert _validate(_log(dataclasses.replace(result, findings=(broken,)))) == []


def test_secret_is_never_in_the_log(result: ScanResult) -> None:
    assert SECRET not in render(SarifReporter(), result)


def test_cwe_tag_format() -> None:
    assert cwe_tag("CWE-79") == "external/cwe/cwe-79"


def test_dast_evidence_becomes_web_request_and_web_response() -> None:
    import io
    import json

    from shieldwall.core import Finding, Rule, ScanResult, UrlLocation
    from shieldwall.report import SarifReporter

    rule = Rule.create(id="SW-TST-900", title="reflected", severity="high", scanner="dast")
    evidence = {
        "request": {
            "method": "GET",
            "url": "http://127.0.0.1/q?x=1",
            "headers": {"Accept": "*/*"},
            "body": "",
        },
        "response": {
            "status": 200,
            "headers": {"Content-Type": "text/html"},
            "body_excerpt": "<b>1</b>",
        },
        "proof": "<b>1</b>",
    }
    finding = Finding.create(
        rule=rule,
        message="reflected",
        location=UrlLocation("http://127.0.0.1/q", "GET", "x"),
        properties={"evidence": evidence},
    )
    out = io.StringIO()
    SarifReporter().write(ScanResult(target="http://127.0.0.1", findings=(finding,)), out)
    result = json.loads(out.getvalue())["runs"][0]["results"][0]
    assert result["webRequest"]["headers"] == {"Accept": "*/*"}
    assert result["webResponse"] == {
        "statusCode": 200,
        "headers": {"Content-Type": "text/html"},
        "body": {"text": "<b>1</b>"},
    }
