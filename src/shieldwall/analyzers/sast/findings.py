"""Turn taint hits and pattern hits into Findings, deduplicated and in a stable order."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from shieldwall.analyzers.sast.labels import SinkHit, Step
from shieldwall.analyzers.sast.patterns import PatternHit
from shieldwall.analyzers.sast.program import ModuleInfo
from shieldwall.analyzers.sast.rules import rule_for_kind
from shieldwall.analyzers.sast.rules.catalog import SETTLED_BY_TAINT
from shieldwall.analyzers.sast.spec import SinkKind
from shieldwall.core.finding import Finding, TraceStep
from shieldwall.core.location import SourceLocation
from shieldwall.core.severity import Confidence


def _location(step: Step) -> SourceLocation:
    return SourceLocation(
        path=step.path, start_line=step.line, start_column=step.column, snippet=step.snippet
    )


def taint_findings(hits: Iterable[SinkHit]) -> list[Finding]:
    """One finding per rule and sink position; the most confident, shortest path wins."""
    best: dict[tuple[str, str, int], SinkHit] = {}
    sources: dict[tuple[str, str, int], set[str]] = {}
    for hit in hits:
        rule = rule_for_kind(hit.kind)
        key = (str(rule.id), hit.sink.path, hit.sink.line)
        sources.setdefault(key, set()).add(hit.trace[0].snippet if hit.trace else "")
        current = best.get(key)
        if current is None or _rank(hit) < _rank(current):
            best[key] = hit
    findings = []
    for key, hit in best.items():
        rule = rule_for_kind(hit.kind)
        origin = hit.trace[0] if hit.trace else hit.sink
        confidence = min(rule.confidence, hit.label.confidence, key=lambda c: c.rank)
        message = (
            f"{rule.title.split(':')[0]}: untrusted {hit.label.origin} input from line "
            f"{origin.line} ({origin.path}) reaches `{hit.sink_text[:120]}`"
        )
        findings.append(
            Finding.create(
                rule=rule,
                message=message,
                location=_location(hit.sink),
                confidence=confidence,
                identity=f"{' '.join(hit.sink_text.split())}|{hit.label.origin}|{origin.snippet}",
                trace=tuple(TraceStep(_location(s), s.message) for s in hit.trace),
                properties={"source_kind": hit.label.origin, "sources": len(sources[key])},
            )
        )
    return findings


def _rank(hit: SinkHit) -> tuple[int, int, int, str]:
    first = hit.trace[0] if hit.trace else hit.sink
    return (-hit.label.confidence.rank, len(hit.trace), first.line, first.path)


def pattern_findings(module: ModuleInfo, hits: Iterable[PatternHit]) -> list[Finding]:
    """Findings for the pattern hits of one module."""
    lines = module.parsed.lines
    findings = []
    seen: set[tuple[str, int]] = set()
    for hit in hits:
        line = getattr(hit.node, "lineno", 1)
        if (hit.rule.id, line) in seen:
            continue
        seen.add((hit.rule.id, line))
        snippet = lines[line - 1].strip()[:200] if 0 < line <= len(lines) else ""
        identity = (
            ast.unparse(hit.node)
            if not isinstance(hit.node, ast.FunctionDef | ast.AsyncFunctionDef)
            else hit.node.name
        )
        findings.append(
            Finding.create(
                rule=hit.rule,
                message=f"{hit.rule.title}: {hit.message}",
                location=SourceLocation(
                    path=module.path,
                    start_line=line,
                    end_line=getattr(hit.node, "end_lineno", None),
                    start_column=getattr(hit.node, "col_offset", 0) + 1,
                    snippet=snippet,
                ),
                identity=identity[:500],
            )
        )
    return findings


def merge(
    taint: list[Finding],
    patterns: list[Finding],
    min_confidence: Confidence,
    clean_sinks: Iterable[tuple[str, int, SinkKind]] = (),
) -> list[Finding]:
    """Drop pattern findings that the taint analysis settles at the same line and first CWE.

    Either a taint finding already explains it, or the sink's arguments were proven to carry
    nothing from outside the function (constants and sanitised values only).
    """
    explained = {(f.location.path, _line(f), f.rule.cwe[0]) for f in taint if f.rule.cwe}
    clean = {(path, line, rule_for_kind(kind).cwe[0]) for path, line, kind in clean_sinks}

    def keep(finding: Finding) -> bool:
        if not finding.rule.cwe:
            return True
        key = (finding.location.path, _line(finding), finding.rule.cwe[0])
        if key in explained:
            return False
        return not (SETTLED_BY_TAINT in finding.rule.tags and key in clean)

    kept = [f for f in patterns if keep(f)]
    result = [f for f in (*taint, *kept) if f.confidence.rank >= min_confidence.rank]
    result.sort(key=lambda f: (f.location.path, _line(f), f.rule.id, f.fingerprint))
    return result


def _line(finding: Finding) -> int:
    location = finding.location
    return location.start_line if isinstance(location, SourceLocation) else 0
