"""Secrets in responses, XSS inside script strings, and backup/editor files next to pages."""

from __future__ import annotations

import io
import json

import pytest

from shieldwall.core.frozen import FrozenDict
from shieldwall.dast.checks.backups import backup_names, directories
from shieldwall.dast.checks.secrets import secrets_in
from shieldwall.dast.checks.xss import parsed_as_tag
from shieldwall.dast.jscontext import context_at, in_code, script_blocks
from shieldwall.dast.model import Exchange
from shieldwall.report import JsonReporter
from tests.dast.conftest import finding_keys, scan
from tests.servers.vulnapp.extra import LEAKED_VALUES, LEAKY_JS, SAFE_JS


def exchange(body: str, content_type: str = "application/javascript", url: str = "") -> Exchange:
    return Exchange(
        method="GET",
        url=url or "http://127.0.0.1:1/static/app.js",
        request_headers=FrozenDict({}),
        request_body="",
        status=200,
        headers=(("content-type", content_type),),
        body=body,
        elapsed=0.01,
        content_type=content_type,
    )


def test_secrets_rules_find_keys_in_a_script_and_never_show_them() -> None:
    findings = secrets_in(exchange(LEAKY_JS))
    assert {f.rule.id for f in findings} == {"SW-SEC-086", "SW-SEC-010"}
    for finding in findings:
        assert finding.location.kind == "url"
        assert finding.properties["secret_hash"]
        dumped = json.dumps(finding.properties, default=str) + finding.message
        assert not any(value in dumped for value in LEAKED_VALUES)
    # two keys on one page are two findings with distinct fingerprints
    assert len({f.fingerprint for f in findings}) == 2


def test_secrets_rules_ignore_placeholders_and_binary_bodies() -> None:
    assert secrets_in(exchange(SAFE_JS)) == []
    assert secrets_in(exchange(LEAKY_JS, content_type="image/png")) == []
    assert secrets_in(exchange("")) == []


def test_secrets_in_a_scan_reach_the_report_redacted(vulnapp: tuple[str, list[str]]) -> None:
    url, _ = vulnapp
    outcome = scan(
        url + "/config.js",
        passive_only=True,
        path_prefixes=("/config",),
        seeds=(url + "/config-safe.js",),
    )
    assert finding_keys(outcome) == {
        ("SW-SEC-086", "GET", "/config.js", ""),
        ("SW-SEC-010", "GET", "/config.js", ""),
    }
    assert {"SW-SEC-086", "SW-SEC-010"} <= set(outcome.result.rules)
    buffer = io.StringIO()
    JsonReporter().write(outcome.result, buffer)
    assert not any(value in buffer.getvalue() for value in LEAKED_VALUES)
    assert outcome.result.stats.findings_by_analyzer["secrets"] == 2


@pytest.mark.parametrize(
    ("script", "marker", "quote"),
    [
        ('var a = "x MARK y";', "MARK", '"'),
        ("var a = 'x MARK y';", "MARK", "'"),
        ("var a = `x MARK`;", "MARK", "`"),
        ('var a = "say \\"MARK\\"";', "MARK", '"'),
        ("var a = MARK + 1;", "MARK", ""),
        ('var r = /"/; var a = "MARK";', "MARK", '"'),  # a quote inside a regex literal
        ('// "\nvar a = MARK;', "MARK", ""),  # a quote inside a comment
    ],
)
def test_the_lexer_tells_strings_from_code(script: str, marker: str, quote: str) -> None:
    token = context_at(script, script.find(marker))
    assert (token.text[0] if token else "") == quote


def test_a_marker_is_code_only_outside_strings_and_comments() -> None:
    assert in_code('var a = ""-sw1x-"";', "sw1x")
    assert not in_code('var a = "\\"-sw1x-\\"";', "sw1x")
    assert not in_code("/* sw1x */ var a = 'sw1x'; // sw1x", "sw1x")
    assert not in_code("var a = /sw1x/;", "sw1x")


def test_script_data_ends_at_the_first_closing_tag() -> None:
    body = '<script>var a = "</script><sw2x>";</script>'
    assert script_blocks(body)[0].source == 'var a = "'
    assert parsed_as_tag(body, "sw2x")
    assert not parsed_as_tag('<script>var a = "<sw2x>";</script>', "sw2x")
    assert not parsed_as_tag("<textarea><sw2x></textarea>", "sw2x")


def test_xss_inside_script_strings_is_confirmed_by_parsing(
    vulnapp: tuple[str, list[str]],
) -> None:
    url, _ = vulnapp
    seeds = (url + "/xss/script-quoted?q=a", url + "/xss/script-safe?q=a")
    outcome = scan(url + "/xss/script?q=a", path_prefixes=("/xss/script",), seeds=seeds)
    xss = {key for key in finding_keys(outcome) if key[0] == "SW-DAST-101"}
    assert xss == {
        ("SW-DAST-101", "GET", "/xss/script", "q"),
        ("SW-DAST-101", "GET", "/xss/script-quoted", "q"),
    }
    hows = {
        f.location.path.rsplit("/", 1)[1]: f.message
        for f in outcome.result.findings
        if f.rule.id == "SW-DAST-101"
    }
    assert 'breaks out of a " string' in hows["script"]
    assert "closes the <script> element" in hows["script-quoted"]


def test_backup_names_and_directories() -> None:
    names = [name for name, _ in backup_names("index.php")]
    assert names == [
        "index.php.bak",
        "index.php~",
        "index.php.orig",
        "index.php.old",
        "index.php.save",
        ".index.php.swp",
        "index.bak",
    ]
    pages = [exchange("", url="http://h/a/b.php"), exchange("", url="http://h/a/c/")]
    assert directories("http://h/", pages) == ["http://h/", "http://h/a/", "http://h/a/c/"]


def test_backup_files_are_found_and_catch_all_routes_are_not(
    vulnapp: tuple[str, list[str]],
) -> None:
    url, _ = vulnapp
    seeds = tuple(url + p for p in ("/notes/index.php", "/mirror/page.html", "/legacy/index.html"))
    prefixes = ("/download.php", "/notes/", "/mirror/", "/legacy/")
    outcome = scan(url + "/download.php", path_prefixes=prefixes, seeds=seeds)
    exposed = {key for key in finding_keys(outcome) if key[0] == "SW-DAST-015"}
    assert exposed == {
        ("SW-DAST-015", "GET", "/download.php.bak", ""),
        ("SW-DAST-015", "GET", "/legacy/.env", ""),
    }


def test_blind_command_injection_is_confirmed_by_timing(vulnapp: tuple[str, list[str]]) -> None:
    url, _ = vulnapp
    seeds = (url + "/ping-blind-safe?host=127.0.0.1",)
    outcome = scan(url + "/ping-blind?host=127.0.0.1", path_prefixes=("/ping-blind",), seeds=seeds)
    assert finding_keys(outcome) == {("SW-DAST-104", "GET", "/ping-blind", "host")}
    finding = outcome.result.findings[0]
    assert finding.properties["technique"] == "time-based"
    assert "for sleeps of 2, 0 and 2 s" in finding.message


def test_samesite_session_cookies_protect_forms_without_a_token(
    vulnapp: tuple[str, list[str]],
) -> None:
    url, _ = vulnapp
    csrf = ("SW-DAST-019", "POST", "/samesite/transfer", "")
    protected = scan(url + "/samesite/", passive_only=True, path_prefixes=("/samesite/",))
    assert csrf not in finding_keys(protected)
    # one session cookie without SameSite (/cookie/bad) and the same form is forgeable again
    seeds = (url + "/cookie/bad",)
    prefixes = ("/samesite/", "/cookie/bad")
    exposed = scan(url + "/samesite/", passive_only=True, path_prefixes=prefixes, seeds=seeds)
    assert csrf in finding_keys(exposed)
