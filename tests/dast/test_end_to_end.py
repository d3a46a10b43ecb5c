"""A full scan of the vulnerable app: the exact set of findings, scope, evidence, redaction."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from shieldwall.dast import RULES
from tests.dast.conftest import Scanned, finding_keys, scan
from tests.servers.vulnapp.expected import ACTIVE, AUTHENTICATED, EXPECTED, OPENAPI, PASSIVE


@pytest.mark.slow  # one full active scan (~600 requests), shared
def test_full_scan_reports_exactly_the_planted_vulnerabilities(full_scan: Scanned) -> None:
    keys = full_scan.keys
    assert keys - EXPECTED == set(), "false positives"
    assert EXPECTED - keys == set(), "missed vulnerabilities"
    assert full_scan.outcome.result.errors == ()
    assert full_scan.outcome.result.warnings == ()


@pytest.mark.slow  # one full active scan (~600 requests), shared
def test_no_request_leaves_the_scope(full_scan: Scanned) -> None:
    assert full_scan.external.hits == []  # the index links to it; it must never be visited
    assert not any(hit.split()[1].startswith("/logout") for hit in full_scan.hits)
    assert full_scan.outcome.refused == ()  # nothing even tried


@pytest.mark.slow  # one full active scan (~600 requests), shared
def test_one_finding_per_class_endpoint_and_parameter(full_scan: Scanned) -> None:
    findings = full_scan.outcome.result.findings
    assert len(findings) == len(full_scan.keys)


@pytest.mark.slow  # one full active scan (~600 requests), shared
def test_findings_carry_evidence_with_credentials_masked(full_scan: Scanned) -> None:
    by_rule = {f.rule.id: f for f in full_scan.outcome.result.findings}
    findings = full_scan.outcome.result.findings
    sqli = next(f for f in findings if f.rule.id == "SW-DAST-103" and f.location.method == "GET")
    evidence = sqli.properties["evidence"]
    assert evidence["request"]["method"] == "GET"
    assert evidence["response"]["status"] in (200, 500)
    assert sqli.location.parameter in ("id", "name")
    redirect = by_rule["SW-DAST-106"]
    assert "sw-redirect.invalid" in redirect.properties["evidence"]["proof"]
    token = by_rule["SW-DAST-018"]
    dumped = json.dumps(token.properties)
    assert "sk_live_4f9a8b7c6d5e4f3a2b1c" not in dumped
    assert "sk_l*****" in dumped
    cookie = by_rule["SW-DAST-007"]
    set_cookie = cookie.properties["evidence"]["response"]["headers"]["set-cookie"]
    assert "abc123" not in set_cookie and set_cookie.startswith("sessionid=")


@pytest.mark.slow  # one full active scan (~600 requests), shared
def test_findings_use_url_locations_with_cwe_and_severity(full_scan: Scanned) -> None:
    for finding in full_scan.outcome.result.findings:
        assert finding.location.kind == "url"
        assert finding.rule.cwe
        assert urlsplit(finding.location.url).query == ""


def test_passive_only_sends_only_what_a_browser_would(vulnapp: tuple[str, list[str]]) -> None:
    url, hits = vulnapp
    start = len(hits)
    outcome = scan(url + "/", passive_only=True)
    sent = hits[start:]
    assert finding_keys(outcome) == PASSIVE
    assert {hit.split()[0] for hit in sent} == {"GET"}
    payload_chars = ("'", "%27", "<", "%3C", "..", "%2E%2E", "$(", "%24%28")
    assert not [hit for hit in sent if any(c in hit for c in payload_chars)]
    assert not any(".git" in hit for hit in sent)


def test_openapi_operations_are_attacked(vulnapp: tuple[str, list[str]]) -> None:
    url, _ = vulnapp
    outcome = scan(url + "/api/", openapi="/openapi.json", path_prefixes=("/api/", "/openapi"))
    assert finding_keys(outcome) == OPENAPI


@pytest.mark.slow  # three scans behind a login
def test_form_login_reaches_the_pages_behind_it(vulnapp: tuple[str, list[str]], tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, _ = vulnapp
    auth = tmp_path / "auth.yaml"
    auth.write_text(
        "login:\n  url: /login\n  fields: {username: admin, password: admin}\n"
        "  success: {cookie: auth}\nlogged_out: {redirect_to: /login}\n"
    )
    prefixes = ("/account", "/login")
    with_auth = scan(url + "/account", auth_file=auth, path_prefixes=prefixes)
    # /account/rotate ends the session during the crawl: the attacks need a second login
    assert finding_keys(with_auth) == AUTHENTICATED
    no_relogin = tmp_path / "no-relogin.yaml"
    no_relogin.write_text(auth.read_text().replace("logged_out: {redirect_to: /login}\n", ""))
    assert "logged_out" not in no_relogin.read_text()
    assert (
        finding_keys(scan(url + "/account", auth_file=no_relogin, path_prefixes=prefixes)) == set()
    )
    without = scan(url + "/account", path_prefixes=prefixes)
    assert finding_keys(without) == set()


def test_every_rule_has_a_positive_case() -> None:
    # HTTPS-only rules are tested in test_passive.py; CRLF on the legacy server (test_limits.py)
    unit_only = {"SW-DAST-003", "SW-DAST-008", "SW-DAST-016", "SW-DAST-108"}
    covered = {key[0] for key in EXPECTED | OPENAPI | AUTHENTICATED | ACTIVE} | unit_only
    # secrets in responses are reported under the secrets analyzer's rules (SW-SEC-…)
    assert {rule.id for rule in RULES} == {c for c in covered if c.startswith("SW-DAST-")}
