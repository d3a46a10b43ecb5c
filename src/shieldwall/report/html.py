"""One self-contained HTML file a person can open and filter by severity, scanner and text.

Inline CSS and JavaScript only, and a Content-Security-Policy that forbids loading anything, so
the file works offline and scanned text cannot pull in a resource. Every value from a scan is
escaped with ``html.escape``; only ``http(s)`` references become links.
"""

from __future__ import annotations

import json
from html import escape
from typing import IO, Any, ClassVar

from shieldwall.core.finding import Finding
from shieldwall.core.location import PackageLocation
from shieldwall.core.result import ScanResult
from shieldwall.report.html_assets import CSP, CSS, JS
from shieldwall.report.json import jsonable
from shieldwall.report.summary import (
    SEVERITIES_DESC,
    by_severity,
    cwe_url,
    error_text,
    location_label,
    no_controls,
    scrub,
    summarise,
)


def _e(text: object) -> str:
    # Control characters are parse errors in HTML and would reach a terminal that shows the file.
    return escape(no_controls(str(text)), quote=True)


def _link(url: str, label: str | None = None) -> str:
    # A reference could be ``javascript:``; only web URLs become links, the rest stays text.
    if not url.startswith(("https://", "http://")):
        return _e(label or url)
    return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(label or url)}</a>'


def _fix_html(finding: Finding) -> str:
    fix = finding.fix
    if fix is None:
        return ""
    parts = [_e(fix.description)] if fix.description else []
    if fix.fixed_versions:
        parts.append("fixed in " + ", ".join(f"<code>{_e(v)}</code>" for v in fix.fixed_versions))
    if fix.replacement is not None:
        parts.append(f"<pre>{_e(fix.replacement)}</pre>")
    return f"<dt>Fix</dt><dd>{' '.join(parts)}</dd>"


def _trace_html(finding: Finding) -> str:
    if not finding.trace:
        return ""
    steps = "".join(
        f"<li>{_e(location_label(step.location))} {_e(step.message)}"
        + (f"<pre>{_e(step.location.snippet)}</pre>" if step.location.snippet else "")
        + "</li>"
        for step in finding.trace
    )
    return f"<dt>Data flow</dt><dd><ol>{steps}</ol></dd>"


def _details_html(finding: Finding) -> str:
    rule, loc = finding.rule, finding.location
    parts: list[str] = []
    supp = finding.suppression
    if supp is not None:
        until = f" (until {_e(supp.expires)})" if supp.expires else ""
        reason = f": {_e(supp.reason)}" if supp.reason else ""
        parts.append(f"<dt>Suppressed</dt><dd>{_e(supp.kind.value)}{reason}{until}</dd>")
    if rule.description:
        parts.append(f"<dt>Description</dt><dd>{_e(rule.description)}</dd>")
    if rule.remediation:
        parts.append(f"<dt>Remediation</dt><dd>{_e(rule.remediation)}</dd>")
    parts.append(_fix_html(finding))
    snippet = getattr(loc, "snippet", "")
    if snippet:
        parts.append(f"<dt>Code</dt><dd><pre>{_e(snippet)}</pre></dd>")
    parts.append(_trace_html(finding))
    if isinstance(loc, PackageLocation):
        chain = " → ".join(_e(p) for p in loc.dependency_path) or "direct"
        parts.append(f"<dt>Package</dt><dd><code>{_e(loc.purl)}</code> via {chain}</dd>")
    if rule.cwe:
        links = ", ".join(_link(cwe_url(c), c) for c in rule.cwe)
        parts.append(f"<dt>Weakness</dt><dd>{links}</dd>")
    if rule.references:
        refs = "".join(f"<li>{_link(r)}</li>" for r in rule.references)
        parts.append(f"<dt>References</dt><dd><ul>{refs}</ul></dd>")
    if finding.properties:
        props = json.dumps(jsonable(finding.properties), indent=1, sort_keys=True)
        parts.append(f"<dt>Properties</dt><dd><pre>{_e(props)}</pre></dd>")
    parts.append(f"<dt>Fingerprint</dt><dd><code>{_e(finding.fingerprint)}</code></dd>")
    return f"<details><summary>details</summary><dl>{''.join(parts)}</dl></details>"


def _row(finding: Finding) -> str:
    sev = finding.severity.value
    supp = finding.suppression
    badge = ""
    if supp is not None:
        why = supp.kind.value + (f": {supp.reason}" if supp.reason else "")
        badge = f'<span class="tag" title="{_e(why)}">suppressed ({_e(supp.kind.value)})</span>'
    return (
        f'<tr class="finding{" suppressed" if supp else ""}" data-severity="{_e(sev)}"'
        f' data-scanner="{_e(finding.scanner)}" data-suppressed="{str(supp is not None).lower()}">'
        f'<td><span class="sev {_e(sev)}">{_e(sev)}</span>{badge}</td>'
        f'<td class="rule"><b>{_e(finding.rule.id)}</b><br>{_e(finding.rule.title)}'
        f'<span class="tag">{_e(finding.scanner)}</span></td>'
        f'<td class="loc">{_e(location_label(finding.location))}</td>'
        f"<td>{_e(finding.message)}{_details_html(finding)}</td></tr>"
    )


def _cards(result: ScanResult) -> str:
    summary = summarise(result)
    cards = [
        f'<div class="card {sev.value}"><b>{n}</b>{sev.value}</div>'
        for sev, n in summary.by_severity.items()
    ]
    cards += [
        f'<div class="card"><b>{summary.suppressed}</b>suppressed</div>',
        f'<div class="card"><b>{summary.errors}</b>errors</div>',
        f'<div class="card"><b>{summary.skipped}</b>skipped</div>',
    ]
    return f'<div class="cards">{"".join(cards)}</div>'


def _filters(result: ScanResult) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" data-severity="{s.value}" checked> {s.value}</label>'
        for s in SEVERITIES_DESC
    )
    scanners = sorted({f.scanner for f in result.findings} | set(result.analyzers))
    options = "".join(f'<option value="{_e(s)}">{_e(s)}</option>' for s in scanners)
    return (
        f'<div class="filters">{boxes}'
        '<label>scanner <select id="scanner"><option value="">all</option>'
        f"{options}</select></label>"
        '<input id="query" type="search" placeholder="filter: rule, path, text…" '
        'aria-label="filter text">'
        '<label><input type="checkbox" id="show-suppressed"> show suppressed</label>'
        '<span id="shown"></span></div>'
    )


def _section(title: str, items: str) -> str:
    return f'<section class="problems"><h2>{title}</h2><ul>{items}</ul></section>'


def _problems(result: ScanResult) -> str:
    out = ""
    if result.errors:
        items = "".join(
            f"<li>{_e(error_text(e))}{f' [{_e(e.analyzer)}]' if e.analyzer else ''}</li>"
            for e in result.errors
        )
        out += _section(f"Errors ({len(result.errors)})", items)
    if result.skipped:
        items = "".join(
            f"<li>{_e(s.path)}: {_e(s.reason.value)}{f' ({_e(s.detail)})' if s.detail else ''}</li>"
            for s in result.skipped
        )
        out += _section(f"Skipped ({len(result.skipped)})", items)
    if result.warnings:
        items = "".join(f"<li>{_e(w)}</li>" for w in result.warnings)
        out += _section("Warnings", items)
    return out


def html_document(result: ScanResult) -> str:
    """The whole HTML page."""
    ordered = by_severity(result.active) + result.suppressed
    rows = "\n".join(_row(f) for f in ordered)
    when = f" · started {_e(result.started_at)}" if result.started_at else ""
    stats = result.stats
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>shieldwall report: {_e(result.target)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>shieldwall report</h1>
<p class="meta">Target <b>{_e(result.target)}</b>{when} · {stats.files_scanned} files scanned
in {stats.duration_seconds:.2f}s · scanners: {_e(", ".join(result.analyzers) or "none")}</p>
</header>
<main>
{_cards(result)}
{_filters(result)}
<table>
<thead><tr><th>Severity</th><th>Rule</th><th>Location</th><th>Finding</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p id="no-match" hidden>No finding matches the filters.</p>
{_problems(result)}
</main>
<footer>Generated by shieldwall {_e(result.tool_version)}.</footer>
<script>{JS}</script>
</body>
</html>
"""


class HtmlReporter:
    """A single self-contained HTML page with filters."""

    format: ClassVar[str] = "html"
    binary: ClassVar[bool] = False
    description: ClassVar[str] = "one self-contained HTML page you can open and filter"

    def write(self, result: ScanResult, stream: IO[Any], *, color: bool = False) -> None:
        """Write the page."""
        del color
        stream.write(scrub(html_document(result)))
