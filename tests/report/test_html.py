"""The HTML report: one self-contained page, everything escaped, filterable."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

from shieldwall.core import Finding, Rule, ScanResult, Severity, SourceLocation
from shieldwall.report import HtmlReporter
from tests.golden import Golden
from tests.report.sample import render


class _Collector(HTMLParser):
    """Collects tags with their attributes, and the text of script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _parse(text: str) -> _Collector:
    parser = _Collector()
    parser.feed(text)
    parser.close()
    return parser


def test_golden(result: ScanResult, golden: Golden) -> None:
    golden.check("report/result.html", render(HtmlReporter(), result))


def test_self_contained_no_external_resources(result: ScanResult) -> None:
    text = render(HtmlReporter(), result)
    parsed = _parse(text)
    for tag, attrs in parsed.tags:
        assert tag not in {"link", "img", "iframe", "object", "embed", "base"}, tag
        assert "src" not in attrs, (tag, attrs)
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
    assert "@import" not in text
    assert "url(" not in text
    assert [t for t, _ in parsed.tags].count("script") == 1
    assert [t for t, _ in parsed.tags].count("style") == 1
    csp = next(a for t, a in parsed.tags if t == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in (csp.get("content") or "")


def test_script_in_a_message_is_escaped(result: ScanResult) -> None:
    text = render(HtmlReporter(), result)
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in text
    parsed = _parse(text)
    assert len(parsed.scripts) == 1
    assert "alert(1)" not in parsed.scripts[0]


def test_attribute_breakout_and_javascript_links_are_neutralised(result: ScanResult) -> None:
    rule = Rule.create(
        id="SW-X-001",
        title='"><script>alert(2)</script>',
        severity=Severity.LOW,
        scanner='sast" onmouseover="alert(3)',
        references=["javascript:alert(4)", "https://example.org/ok"],
    )
    finding = Finding.create(rule=rule, message="m", location=SourceLocation('"><b>x</b>.py', 1))
    text = render(HtmlReporter(), dataclasses.replace(result, findings=(finding,)))
    parsed = _parse(text)
    assert len(parsed.scripts) == 1
    hrefs = [a.get("href") for t, a in parsed.tags if t == "a"]
    assert "javascript:alert(4)" not in hrefs
    assert "https://example.org/ok" in hrefs
    row = next(a for t, a in parsed.tags if t == "tr" and "data-scanner" in a)
    assert row["data-scanner"] == 'sast" onmouseover="alert(3)'
    assert not any(k.startswith("on") for _, a in parsed.tags for k in a)


def test_rows_carry_filter_attributes(result: ScanResult) -> None:
    parsed = _parse(render(HtmlReporter(), result))
    rows = [a for t, a in parsed.tags if t == "tr" and a.get("class", "").startswith("finding")]
    assert len(rows) == len(result.findings)
    assert [r["data-severity"] for r in rows[:5]] == ["critical", "critical", "high", "high", "low"]
    assert sum(r["data-suppressed"] == "true" for r in rows) == 4
    assert {r["data-scanner"] for r in rows} == {f.scanner for f in result.findings}
    options = [a.get("value") for t, a in parsed.tags if t == "option"]
    assert options == ["", "dast", "deps", "iac", "image", "sast", "secrets"]
    boxes = [a["data-severity"] for t, a in parsed.tags if t == "input" and "data-severity" in a]
    assert boxes == ["critical", "high", "medium", "low", "info"]


def test_details_show_trace_fix_and_cwe(result: ScanResult) -> None:
    text = render(HtmlReporter(), result)
    assert re.search(r"<dt>Data flow</dt><dd><ol><li>app/views.py:40 source: request.args", text)
    assert "fixed in <code>2.10.1</code>, <code>3.1.3</code>" in text
    assert 'href="https://cwe.mitre.org/data/definitions/89.html"' in text
    assert "flask@1.0 → jinja2@2.10" in text


def test_suppression_reason_is_shown(result: ScanResult) -> None:
    text = render(HtmlReporter(), result)
    assert "<dt>Suppressed</dt><dd>ignore: dev image only (until 2099-12-31)</dd>" in text
    assert "<dt>Suppressed</dt><dd>baseline</dd>" in text
