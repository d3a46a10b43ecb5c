"""Markdown and HTML reports of a threat model: elements, threats by element, risk status, and
the links between threats and scanner findings in both directions."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterator

from shieldwall.core.severity import Severity
from shieldwall.threatmodel.diagram import to_mermaid
from shieldwall.threatmodel.engine import Analysis, Threat
from shieldwall.threatmodel.evidence import ScannerFinding
from shieldwall.threatmodel.findings import threat_to_finding
from shieldwall.threatmodel.vocabulary import Stride


def _severity(threat: Threat, path: str) -> Severity:
    return threat_to_finding(threat, path).severity


def _ordered(analysis: Analysis) -> list[tuple[Threat, Severity]]:
    path = analysis.model.path
    rated = [(t, _severity(t, path)) for t in analysis.threats]
    return sorted(rated, key=lambda p: (not p[0].blocking, -p[1].rank, p[0].id))


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _summary_lines(analysis: Analysis) -> Iterator[str]:
    rated = _ordered(analysis)
    statuses = Counter(t.status.value for t, _ in rated)
    yield f"- threats: {len(rated)} ({', '.join(f'{k}: {v}' for k, v in sorted(statuses.items()))})"
    yield f"- blocking (open, or mitigated but evidenced): {sum(t.blocking for t, _ in rated)}"
    yield f"- evidenced by scanner findings: {sum(t.evidenced for t, _ in rated)}"
    by_stride = Counter(t.rule.stride for t, _ in rated)
    yield "- by STRIDE: " + ", ".join(f"{s.value} {by_stride.get(s, 0)}" for s in Stride)


def render_markdown(analysis: Analysis) -> str:
    """The whole report as Markdown (GitHub renders the Mermaid diagram)."""
    model = analysis.model
    out = [f"# Threat model: {model.name or model.path}", ""]
    if model.description:
        out += [model.description, ""]
    out += ["## Summary", "", *_summary_lines(analysis), ""]
    out += [
        "## Data-flow diagram",
        "",
        "```mermaid",
        to_mermaid(model, analysis).rstrip(),
        "```",
        "",
    ]
    out += ["## Threats", "", "| severity | threat | element | STRIDE | status | evidence |"]
    out += ["|---|---|---|---|---|---|"]
    for threat, severity in _ordered(analysis):
        status = threat.status.value + (f" ({threat.status_note})" if threat.status_note else "")
        evidence = "; ".join(f"{f.rule_id} at {f.where}" for f in threat.evidence) or "-"
        element = threat.element
        where = f"{_md(element.name)} ({element.type.value}, line {element.line})"
        out.append(
            f"| {severity.value} | {threat.rule.id} {_md(threat.rule.rule.title)} | {where} "
            f"| {threat.rule.stride.value} | {_md(status)} | {_md(evidence)} |"
        )
    out += ["", "## Findings by component", ""]
    for component, findings in sorted(analysis.linked.items()):
        if not findings:
            continue
        out.append(f"### {component}")
        for finding in findings:
            threats = _threats_of(analysis, component, finding)
            proves = ", ".join(threats) or "no modelled threat (consider a custom rule)"
            out.append(
                f"- {finding.rule_id} at {_md(finding.where)}: {_md(finding.title)} -> {proves}"
            )
        out.append("")
    if analysis.unlinked:
        out += [f"## Findings outside the model ({len(analysis.unlinked)})", ""]
        out += [f"- {f.rule_id} at {_md(f.where)}" for f in analysis.unlinked[:200]]
        out.append("")
    if analysis.warnings:
        out += ["## Warnings", "", *(f"- {_md(w)}" for w in analysis.warnings), ""]
    return "\n".join(out)


def _threats_of(analysis: Analysis, component: str, finding: ScannerFinding) -> list[str]:
    return [t.id for t in analysis.threats if t.element.id == component and finding in t.evidence]


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:80em;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em .5em;
text-align:left;vertical-align:top}th{background:#f3f3f3}.critical{color:#fff;background:#8b0000}
.high{background:#f4b6b6}.medium{background:#fde2a7}.low{background:#e0efff}.info{background:#eee}
.blocking{font-weight:bold}pre{background:#f7f7f7;padding:1em;overflow:auto}
"""


def render_html(analysis: Analysis, svg: str | None = None) -> str:
    """A self-contained HTML report; ``svg`` is the rendered diagram when Graphviz is present."""
    model = analysis.model
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Threat model: {e(model.name or model.path)}</title><style>{_STYLE}</style>",
        "</head><body>",
        f"<h1>Threat model: {e(model.name or model.path)}</h1>",
        f"<p>{e(model.description)}</p>" if model.description else "",
        "<h2>Summary</h2><ul>",
        *(f"<li>{e(line[2:])}</li>" for line in _summary_lines(analysis)),
        "</ul><h2>Data-flow diagram</h2>",
    ]
    if svg:
        # The SVG comes from Graphviz with our escaped labels; strip its XML prolog to inline it.
        parts.append(svg[svg.find("<svg") :] if "<svg" in svg else "")
    else:
        parts.append(f"<p>Mermaid source:</p><pre>{e(to_mermaid(model, analysis))}</pre>")
    parts.append(
        "<h2>Threats</h2><table><tr><th>severity</th><th>threat</th><th>element</th>"
        "<th>STRIDE</th><th>status</th><th>CWE / CAPEC</th><th>mitigations</th>"
        "<th>evidence</th></tr>"
    )
    for threat, severity in _ordered(analysis):
        rule = threat.rule
        css = "blocking" if threat.blocking else ""
        evidence = "<br>".join(
            e(f"{f.rule_id} at {f.where}: {f.message or f.title}") for f in threat.evidence
        )
        links = ", ".join([*rule.rule.cwe, *(f"CAPEC-{c}" for c in rule.capec)])
        parts.append(
            f"<tr class='{css}'><td class='{severity.value}'>{severity.value}</td>"
            f"<td>{e(rule.id)} {e(rule.rule.title)}</td>"
            f"<td>{e(threat.element.name)} ({threat.element.type.value}, line "
            f"{threat.element.line})</td><td>{rule.stride.value}</td>"
            f"<td>{threat.status.value} {e(threat.status_note)}</td><td>{e(links)}</td>"
            f"<td>{e(rule.rule.remediation).replace(chr(10), '<br>')}</td><td>{evidence}</td></tr>"
        )
    parts.append("</table><h2>Findings by component</h2>")
    for component, findings in sorted(analysis.linked.items()):
        if not findings:
            continue
        parts.append(f"<h3>{e(component)}</h3><ul>")
        for finding in findings:
            threats = _threats_of(analysis, component, finding)
            proves = ", ".join(threats) or "no modelled threat"
            parts.append(f"<li>{e(finding.rule_id)} at {e(finding.where)} &rarr; {e(proves)}</li>")
        parts.append("</ul>")
    if analysis.warnings:
        parts.append("<h2>Warnings</h2><ul>")
        parts += [f"<li>{e(w)}</li>" for w in analysis.warnings]
        parts.append("</ul>")
    parts.append("</body></html>\n")
    return "\n".join(p for p in parts if p)
