"""The JSON report: every field of every finding, versioned, described by ``docs/json-schema.json``.

This is the format the hub imports and ``shieldwall baseline`` reads, so nothing is left out:
suppressed findings are included and marked. ``finding_to_dict`` is public for them to reuse.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import IO, Any, ClassVar, assert_never

from shieldwall.core.finding import Finding, Fix, Suppression, TraceStep
from shieldwall.core.location import (
    ImageLocation,
    Location,
    PackageLocation,
    SourceLocation,
    UrlLocation,
)
from shieldwall.core.result import ScanError, ScanResult, ScanStats, SkippedFile
from shieldwall.core.rule import Rule
from shieldwall.report.json_schema import REPORT_VERSION
from shieldwall.report.summary import rules_that_ran, scrub, summarise

__all__ = [
    "JsonReporter",
    "finding_to_dict",
    "jsonable",
    "location_to_dict",
    "report_to_dict",
    "rule_to_dict",
    "stats_to_dict",
]


def jsonable(value: Any) -> Any:
    """``value`` made JSON-safe: mappings, sequences and scalars kept, anything else as ``str``.

    Finding properties are promised to be JSON-serialisable, but a report must never fail to be
    written because one analyzer put a set or a ``Path`` in them.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        # JSON has no NaN or infinity; write them as strings rather than produce invalid JSON.
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=str)
    return str(value)


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    """A rule's metadata as JSON."""
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity.value,
        "scanner": rule.scanner,
        "description": rule.description,
        "remediation": rule.remediation,
        "confidence": rule.confidence.value,
        "cwe": list(rule.cwe),
        "references": list(rule.references),
        "tags": list(rule.tags),
        "aliases": list(rule.aliases),
    }


def location_to_dict(location: Location) -> dict[str, Any]:
    """A location as JSON, tagged by ``kind``."""
    match location:
        case SourceLocation():
            return {
                "kind": location.kind,
                "path": location.path,
                "start_line": location.start_line,
                "end_line": location.end_line,
                "start_column": location.start_column,
                "end_column": location.end_column,
                "snippet": location.snippet,
            }
        case PackageLocation():
            return {
                "kind": location.kind,
                "path": location.path,
                "purl": location.purl,
                "name": location.name,
                "version": location.version,
                "ecosystem": location.ecosystem,
                "line": location.line,
                "dependency_path": list(location.dependency_path),
            }
        case ImageLocation():
            return {
                "kind": location.kind,
                "image": location.image,
                "path": location.path,
                "layer": location.layer,
                "line": location.line,
            }
        case UrlLocation():
            return {
                "kind": location.kind,
                "url": location.url,
                "method": location.method,
                "parameter": location.parameter,
            }
        case _:
            assert_never(location)


def _fix_to_dict(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "fixed_versions": list(fix.fixed_versions),
        "replacement": fix.replacement,
        "description": fix.description,
    }


def _step_to_dict(step: TraceStep) -> dict[str, Any]:
    return {"location": location_to_dict(step.location), "message": step.message}


def _suppression_to_dict(suppression: Suppression | None) -> dict[str, Any] | None:
    if suppression is None:
        return None
    return {
        "kind": suppression.kind.value,
        "reason": suppression.reason,
        "expires": suppression.expires,
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """Every field of a finding as JSON (the hub and the baseline reuse this)."""
    return {
        "rule": rule_to_dict(finding.rule),
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "message": finding.message,
        "location": location_to_dict(finding.location),
        "scanner": finding.scanner,
        "fingerprint": finding.fingerprint,
        "fix": _fix_to_dict(finding.fix),
        "trace": [_step_to_dict(step) for step in finding.trace],
        "properties": jsonable(finding.properties),
        "suppressed": finding.suppressed,
        "suppression": _suppression_to_dict(finding.suppression),
    }


def _error_to_dict(error: ScanError) -> dict[str, Any]:
    return {"path": error.path, "message": error.message, "analyzer": error.analyzer}


def _skipped_to_dict(skipped: SkippedFile) -> dict[str, Any]:
    return {"path": skipped.path, "reason": skipped.reason.value, "detail": skipped.detail}


def stats_to_dict(stats: ScanStats) -> dict[str, Any]:
    """Counters and timing as JSON (durations to the millisecond)."""
    return {
        "files_scanned": stats.files_scanned,
        "bytes_scanned": stats.bytes_scanned,
        "files_skipped": stats.files_skipped,
        "files_ignored": stats.files_ignored,
        "duration_seconds": round(stats.duration_seconds, 3),
        "findings_by_analyzer": dict(stats.findings_by_analyzer),
        "outside_diff": stats.outside_diff,
    }


def report_to_dict(result: ScanResult) -> dict[str, Any]:
    """The whole report as a JSON-ready dict."""
    summary = summarise(result)
    return {
        "version": REPORT_VERSION,
        "tool": {"name": "shieldwall", "version": result.tool_version},
        "target": result.target,
        "started_at": result.started_at,
        "analyzers": list(result.analyzers),
        "summary": {
            "total": summary.total,
            "active": summary.active,
            "suppressed": summary.suppressed,
            "by_severity": {sev.value: n for sev, n in summary.by_severity.items()},
            "errors": summary.errors,
            "skipped": summary.skipped,
        },
        "rules": [rule_to_dict(rule) for rule in rules_that_ran(result)],
        "findings": [finding_to_dict(f) for f in result.findings],
        "errors": [_error_to_dict(e) for e in result.errors],
        "skipped": [_skipped_to_dict(s) for s in result.skipped],
        "warnings": list(result.warnings),
        "stats": stats_to_dict(result.stats),
    }


class JsonReporter:
    """The complete, versioned JSON report (schema in ``docs/json-schema.json``)."""

    format: ClassVar[str] = "json"
    binary: ClassVar[bool] = False
    description: ClassVar[str] = "every finding, error and statistic as versioned JSON"

    def write(self, result: ScanResult, stream: IO[Any], *, color: bool = False) -> None:
        """Write the report; keys are sorted, findings keep the scan's order."""
        del color  # JSON has no colours
        text = json.dumps(report_to_dict(result), indent=2, sort_keys=True, ensure_ascii=False)
        stream.write(scrub(text) + "\n")
