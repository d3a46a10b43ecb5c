"""Every importer on a real or documented sample: exact findings, detection, bad input."""

from __future__ import annotations

import json

import pytest

from shieldwall.core.location import PackageLocation, SourceLocation, UrlLocation
from shieldwall.core.severity import Severity
from shieldwall.hub.errors import ImportFormatError
from shieldwall.hub.importers import BUILTIN_IMPORTERS, detect_format, parse_document
from shieldwall.hub.scans.rows import dedupe_key
from tests.hub.conftest import data

DETECTED = {
    "shieldwall.json": "shieldwall-json",
    "shieldwall.sarif": "sarif",
    "bandit.json": "bandit",
    "bandit.sarif": "sarif",
    "trivy.json": "trivy",
    "osv-scanner.json": "osv-scanner",
    "dependabot.json": "dependabot",
    "cyclonedx-vex.json": "cyclonedx",
    "gitleaks.json": "gitleaks",
    "zap.json": "zap",
    "semgrep.json": "semgrep",
    "semgrep.sarif": "sarif",
    "checkov.json": "checkov",
    "checkov.sarif": "sarif",
}


@pytest.mark.parametrize(("name", "fmt"), sorted(DETECTED.items()))
def test_formats_are_detected(name: str, fmt: str) -> None:
    assert detect_format(data(name)).format == fmt


def test_every_importer_is_listed_once_and_rejects_the_others_samples() -> None:
    formats = [i.format for i in BUILTIN_IMPORTERS]
    assert len(formats) == len(set(formats))
    for name, fmt in DETECTED.items():
        head = data(name)[:65536]
        accepting = [i.format for i in BUILTIN_IMPORTERS if i.detect(head)]
        assert accepting[0] == fmt, (name, accepting)


def test_bandit_json_real_output() -> None:
    _, report = parse_document(data("bandit.json"))
    got = sorted(
        (f.rule.id, f.severity.value, f.location.path, f.rule.cwe) for f in report.findings
    )
    assert got == [
        ("B102", "medium", "app.py", ("CWE-78",)),
        ("B105", "low", "app.py", ("CWE-259",)),
        ("B301", "medium", "app.py", ("CWE-502",)),
        ("B403", "low", "app.py", ("CWE-502",)),
        ("B404", "low", "app.py", ("CWE-78",)),
        ("B602", "high", "app.py", ("CWE-78",)),
    ]


def test_bandit_fingerprint_ignores_line_numbers_in_code() -> None:
    document = json.loads(data("bandit.json"))
    _, before = parse_document(json.dumps(document).encode())
    for result in document["results"]:
        result["line_number"] += 10
        result["code"] = "\n".join(
            f"{int(line.split(' ', 1)[0]) + 10} {line.split(' ', 1)[1]}" if line else line
            for line in result["code"].split("\n")
        )
    _, after = parse_document(json.dumps(document).encode())
    assert [f.fingerprint for f in before.findings] == [f.fingerprint for f in after.findings]


def test_sarif_from_bandit_keeps_rules_cwe_and_levels() -> None:
    _, report = parse_document(data("bandit.sarif"))
    assert report.tool == "bandit"
    by_rule = {f.rule.id: f for f in report.findings}
    assert by_rule["B602"].severity is Severity.HIGH
    assert by_rule["B602"].rule.cwe == ("CWE-78",)
    assert isinstance(by_rule["B602"].location, SourceLocation)
    assert by_rule["B602"].location.start_line == 5


def test_shieldwall_json_and_sarif_keep_our_fingerprints() -> None:
    _, from_json = parse_document(data("shieldwall.json"))
    _, from_sarif = parse_document(data("shieldwall.sarif"))
    document = json.loads(data("shieldwall.json"))
    assert [f.fingerprint for f in from_json.findings] == [
        f["fingerprint"] for f in document["findings"]
    ]
    assert {f.fingerprint for f in from_sarif.findings} == {
        f.fingerprint for f in from_json.findings
    }
    assert from_json.covered == ("secrets", "sast", "iac")
    assert from_sarif.covered == ("secrets", "sast", "iac")


def test_trivy_vulnerabilities_misconfigurations_and_masked_secrets() -> None:
    _, report = parse_document(data("trivy.json"))
    got = sorted((f.rule.id, f.severity.value) for f in report.findings)
    assert got == [
        ("AVD-DS-0002", "high"),
        ("AVD-DS-0026", "low"),
        ("CVE-2022-34265", "critical"),
        ("CVE-2023-32681", "medium"),
        ("aws-access-key-id", "critical"),
    ]  # the PASS check DS001 is not a finding
    django = next(f for f in report.findings if f.rule.id == "CVE-2022-34265")
    assert isinstance(django.location, PackageLocation)
    assert (django.location.ecosystem, django.location.name) == ("pypi", "django")
    assert django.fix is not None and django.fix.fixed_versions == ("3.2.14", "4.0.6")
    assert django.properties["cvss_score"] == 9.8


def test_osv_scanner_groups_aliases_into_one_finding() -> None:
    _, report = parse_document(data("osv-scanner.json"))
    assert len(report.findings) == 2
    jinja, django = sorted(report.findings, key=lambda f: f.rule.id)
    assert django.rule.id == "CVE-2022-34265"
    assert set(django.properties["aliases"]) >= {"GHSA-p64x-8rxx-wf6q", "PYSEC-2022-213"}
    assert django.severity is Severity.CRITICAL
    assert jinja.severity is Severity.MEDIUM  # MODERATE, no score
    assert jinja.fix is not None and jinja.fix.fixed_versions == ("2.11.3",)


def test_one_vulnerability_from_four_tools_has_one_dedupe_key() -> None:
    keys = set()
    for name in ("trivy.json", "osv-scanner.json", "dependabot.json", "cyclonedx-vex.json"):
        _, report = parse_document(data(name))
        django = [f for f in report.findings if f.properties.get("vuln_id") == "CVE-2022-34265"]
        assert len(django) == 1, name
        keys.add(dedupe_key(django[0]))
    assert len(keys) == 1


def test_dependabot_skips_fixed_alerts_and_marks_dismissed() -> None:
    _, report = parse_document(data("dependabot.json"))
    assert sorted(f.rule.id for f in report.findings) == ["CVE-2022-34265", "CVE-2023-32681"]
    dismissed = next(f for f in report.findings if f.rule.id == "CVE-2023-32681")
    assert dismissed.suppression is not None
    assert "we never use proxies" in dismissed.suppression.reason


def test_cyclonedx_vex_states_and_unresolvable_refs() -> None:
    _, report = parse_document(data("cyclonedx-vex.json"))
    by_id = {f.rule.id: f for f in report.findings}
    assert sorted(by_id) == ["CVE-2020-28493", "CVE-2021-44906", "CVE-2022-34265"]
    assert by_id["CVE-2022-34265"].suppression is None  # exploitable stays open
    not_affected = by_id["CVE-2020-28493"].suppression
    assert not_affected is not None and "code_not_reachable" in not_affected.reason
    assert by_id["CVE-2021-44906"].location.path == ""  # the urn ref was skipped, purl kept


def test_gitleaks_secrets_are_never_kept_in_clear() -> None:
    raw = data("gitleaks.json")
    _, report = parse_document(raw)
    secrets = [leak["Secret"] for leak in json.loads(raw)]
    for finding in report.findings:
        text = json.dumps(
            [finding.message, finding.location.snippet, dict(finding.properties)]  # type: ignore[union-attr]
        )
        assert not any(secret in text for secret in secrets)
        assert finding.properties["secret_hash"]
    assert {f.rule.cwe for f in report.findings} == {("CWE-798",)}


def test_zap_instances_become_url_findings_and_false_positives_are_dropped() -> None:
    _, report = parse_document(data("zap.json"))
    got = sorted((f.rule.id, f.severity.value, f.location.url) for f in report.findings)  # type: ignore[union-attr]
    assert got == [
        ("10038-1", "medium", "http://127.0.0.1:8000/"),
        ("10038-1", "medium", "http://127.0.0.1:8000/login"),
        (
            "40012",
            "high",
            "http://127.0.0.1:8000/search?q=%3Cscript%3Ealert%281%29%3B%3C%2Fscript%3E",
        ),
    ]
    xss = next(f for f in report.findings if f.rule.id == "40012")
    assert isinstance(xss.location, UrlLocation) and xss.location.parameter == "q"
    assert xss.rule.cwe == ("CWE-79",)
    assert "<p>" not in xss.rule.description


def _sarif(results: list[dict[str, object]], rules: list[dict[str, object]] | None = None) -> bytes:
    return json.dumps(
        {
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [
                {"tool": {"driver": {"name": "CodeQL", "rules": rules or []}}, "results": results}
            ],
        }
    ).encode()


def test_sarif_with_missing_fields_still_imports() -> None:
    rules = [
        {
            "id": "py/sql-injection",
            "shortDescription": {"text": "SQL query built from user-controlled sources"},
            "properties": {
                "tags": ["security", "external/cwe/cwe-089"],
                "security-severity": "8.8",
            },
        }
    ]
    document = _sarif(
        [
            {
                "ruleIndex": 0,
                "message": {"text": "This query depends on a user-provided value."},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": "app/db.py"},
                            "region": {"startLine": 15},
                        }
                    }
                ],
                "partialFingerprints": {"primaryLocationLineHash": "3f1c9d0e2a7b4c11:1"},
            },
            {"ruleId": "py/sql-injection"},  # no message, no location
            {"message": {"text": "a result of no known rule"}},
        ],
        rules,
    )
    _, report = parse_document(document)
    first, second, third = report.findings
    assert first.rule.id == "py/sql-injection" and first.severity is Severity.HIGH
    assert first.rule.cwe == ("CWE-89",)
    assert second.message == "SQL query built from user-controlled sources"
    assert second.location.path == ""
    assert third.rule.id == "unknown" and third.severity is Severity.MEDIUM


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"{not json", "could not recognise"),
        (b'{"version": "2.1.0", "runs": [', "invalid JSON"),
        (b'{"version": "2.1.0", "$schema": "sarif", "runs": [{"results": "nope"}]}', "results"),
        (b'{"version": "2.0.0", "$schema": "sarif", "runs": []}', "not supported"),
        (b'\xff\xfe{"runs": "sarif 2.1.0"}', "UTF-8"),
        (b"\x00\x01\x02binary", "could not recognise"),
        (b'{"runs": ' + b"[" * 100000 + b"]" * 100000 + b"}", "nested too deeply"),
    ],
)
def test_bad_documents_give_one_clear_error(document: bytes, message: str) -> None:
    with pytest.raises(ImportFormatError, match=message):
        fmt = "sarif" if b"runs" in document[:20] else None
        parse_document(document, fmt)


def test_unknown_explicit_format_lists_the_known_ones() -> None:
    with pytest.raises(ImportFormatError, match="known: bandit, checkov"):
        parse_document(b"{}", "nessus")


def test_wrong_explicit_format_names_the_missing_field() -> None:
    with pytest.raises(ImportFormatError, match="trivy: SchemaVersion"):
        parse_document(data("bandit.json"), "trivy")


def test_semgrep_json_and_sarif_real_output_agree() -> None:
    _, native = parse_document(data("semgrep.json"))
    _, sarif = parse_document(data("semgrep.sarif"))
    expected = [
        ("rules.pickle-loads", "medium", "app.py", 6, ("CWE-502",)),
        ("rules.subprocess-shell-true", "high", "app.py", 5, ("CWE-78",)),
    ]
    for report in (native, sarif):
        assert report.tool == "semgrep"
        got = sorted(
            (f.rule.id, f.severity.value, f.location.path, f.location.start_line, f.rule.cwe)  # type: ignore[union-attr]
            for f in report.findings
        )
        assert got == expected


def test_checkov_real_output_failed_checks_only() -> None:
    _, report = parse_document(data("checkov.json"))
    document = json.loads(data("checkov.json"))
    failed = {c["check_id"] for c in document["results"]["failed_checks"]}
    passed = {c["check_id"] for c in document["results"]["passed_checks"]}
    assert {f.rule.id for f in report.findings} == failed
    assert not failed & passed
    sg = next(f for f in report.findings if f.rule.id == "CKV_AWS_24")
    assert (
        sg.location.path == "tf/main.tf" and sg.properties["resource"] == "aws_security_group.web"
    )
    _, sarif = parse_document(data("checkov.sarif"))
    assert {f.rule.id for f in sarif.findings} == failed
