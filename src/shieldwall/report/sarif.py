"""SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html. What matters to GitHub
(https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
``properties.security-severity`` on the rule ranks alerts, ``tags`` of the form
``external/cwe/cwe-89`` link CWEs, ``partialFingerprints`` track an alert across commits, and
``suppressions`` close it as dismissed. The output validates against the official schema.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO, Any, ClassVar

from shieldwall.core.finding import Finding, SuppressionKind
from shieldwall.core.location import SourceLocation
from shieldwall.core.result import ScanResult
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence, Severity
from shieldwall.report.json import jsonable, stats_to_dict
from shieldwall.report.sarif_locations import (
    IMAGEROOT,
    SRCROOT,
    artifact_uri,
    sarif_location,
    source_physical,
    source_region,
    web_request,
)
from shieldwall.report.summary import cwe_url, rules_that_ran, scrub

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "shieldwall/v1"


def sarif_level(severity: Severity) -> str:
    """SARIF's ``level``: error for high and critical, warning for medium, note below."""
    if severity >= Severity.HIGH:
        return "error"
    if severity is Severity.MEDIUM:
        return "warning"
    return "note"


def _precision(confidence: Confidence) -> str:
    # GitHub's precision scale is very-high/high/medium/low; ours has no "very-high".
    return confidence.value


def cwe_tag(cwe_id: str) -> str:
    """The GitHub tag of a CWE: ``CWE-89`` -> ``external/cwe/cwe-89``."""
    return f"external/cwe/{cwe_id.lower()}"


def _pascal(title: str) -> str:
    # SARIF wants ``name`` to be an identifier-like label: "SQL query built" -> "SQLQueryBuilt".
    words = re.split(r"[^0-9A-Za-z]+", title)
    return "".join(word[:1].upper() + word[1:] for word in words if word)


def help_text(rule: Rule) -> str:
    """The plain-text help of a rule."""
    parts = [rule.description or rule.title]
    if rule.remediation:
        parts.append(f"Remediation: {rule.remediation}")
    if rule.cwe:
        parts.append("Weakness: " + ", ".join(rule.cwe))
    if rule.references:
        parts.append("References:\n" + "\n".join(f"- {ref}" for ref in rule.references))
    return "\n\n".join(parts)


def help_markdown(rule: Rule) -> str:
    """The Markdown help of a rule, with CWE links."""
    parts = [f"**{rule.title}**", rule.description] if rule.description else [f"**{rule.title}**"]
    if rule.remediation:
        parts.append(f"**Remediation:** {rule.remediation}")
    if rule.cwe:
        parts.append("**Weakness:** " + ", ".join(f"[{c}]({cwe_url(c)})" for c in rule.cwe))
    if rule.references:
        parts.append("**References:**\n" + "\n".join(f"- <{ref}>" for ref in rule.references))
    return "\n\n".join(parts)


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """A SARIF ``reportingDescriptor`` for a rule."""
    tags = ["security", rule.scanner, *(cwe_tag(c) for c in rule.cwe), *rule.tags]
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": _pascal(rule.title) or rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description or rule.title},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
        "defaultConfiguration": {"level": sarif_level(rule.severity)},
        "properties": {
            "tags": list(dict.fromkeys(tags)),
            "precision": _precision(rule.confidence),
            "security-severity": rule.severity.security_severity,
            "severity": rule.severity.value,
            "cwe": list(rule.cwe),
        },
    }
    web = [ref for ref in rule.references if ref.startswith(("https://", "http://"))]
    if web:
        descriptor["helpUri"] = web[0]
    if rule.aliases:
        descriptor["deprecatedIds"] = list(rule.aliases)
    return descriptor


def _suppressions(finding: Finding) -> list[dict[str, Any]]:
    supp = finding.suppression
    if supp is None:
        return []
    entry: dict[str, Any] = {
        # An inline comment lives in the source; baselines, ignore lists and VEX are external.
        "kind": "inSource" if supp.kind is SuppressionKind.INLINE else "external",
        "status": "accepted",
        "properties": {"shieldwallKind": supp.kind.value},
    }
    if supp.reason:
        entry["justification"] = supp.reason
    if supp.expires:
        entry["properties"]["expires"] = supp.expires
    return [entry]


def _code_flows(finding: Finding) -> list[dict[str, Any]]:
    if not finding.trace:
        return []
    steps = [
        {
            "location": {
                "physicalLocation": source_physical(step.location),
                "message": {"text": step.message or f"step {n}"},
            },
            "executionOrder": n,
            "nestingLevel": 0,
        }
        for n, step in enumerate(finding.trace, start=1)
    ]
    return [{"message": {"text": finding.message}, "threadFlows": [{"locations": steps}]}]


def _fixes(finding: Finding) -> list[dict[str, Any]]:
    # A SARIF fix is a concrete edit; only a replacement for a source region is one. Upgrade
    # advice (fixed versions) goes to the result's properties instead.
    fix, loc = finding.fix, finding.location
    if fix is None or fix.replacement is None or not isinstance(loc, SourceLocation):
        return []
    region = {k: v for k, v in source_region(loc).items() if k != "snippet"}
    return [
        {
            "description": {"text": fix.description or "Replace the flagged code."},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": artifact_uri(loc.path), "uriBaseId": SRCROOT},
                    "replacements": [
                        {"deletedRegion": region, "insertedContent": {"text": fix.replacement}}
                    ],
                }
            ],
        }
    ]


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "scanner": finding.scanner,
        "security-severity": finding.severity.security_severity,
    }
    if finding.fix is not None:
        properties["fix"] = {
            "fixedVersions": list(finding.fix.fixed_versions),
            "replacement": finding.fix.replacement,
            "description": finding.fix.description,
        }
    if finding.properties:
        properties["shieldwall"] = jsonable(finding.properties)
    entry: dict[str, Any] = {
        "ruleId": finding.rule.id,
        "ruleIndex": rule_index,
        "level": sarif_level(finding.severity),
        "message": {"text": finding.message},
        "locations": [sarif_location(finding.location)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    optional = {
        "suppressions": _suppressions(finding),
        "codeFlows": _code_flows(finding),
        "fixes": _fixes(finding),
        "webRequest": _with_request_evidence(web_request(finding.location), finding),
        "webResponse": _web_response(finding),
    }
    entry.update({key: value for key, value in optional.items() if value})
    return entry


def _evidence(finding: Finding, part: str) -> dict[str, Any] | None:
    evidence = finding.properties.get("evidence")
    if not isinstance(evidence, dict):
        return None
    value = evidence.get(part)
    return value if isinstance(value, dict) else None


def _with_request_evidence(
    request: dict[str, Any] | None, finding: Finding
) -> dict[str, Any] | None:
    """A DAST finding's request as sent (headers already masked by the scanner)."""
    sent = _evidence(finding, "request")
    if request is None or sent is None:
        return request
    request = dict(request)
    if isinstance(sent.get("headers"), dict) and sent["headers"]:
        request["headers"] = {str(k): str(v) for k, v in sent["headers"].items()}
    if sent.get("body"):
        request["body"] = {"text": scrub(str(sent["body"]))}
    return request


def _web_response(finding: Finding) -> dict[str, Any] | None:
    """SARIF ``webResponse``: the status, headers and the excerpt that proves a DAST finding."""
    response = _evidence(finding, "response")
    if response is None:
        return None
    out: dict[str, Any] = {}
    if isinstance(response.get("status"), int):
        out["statusCode"] = response["status"]
    if isinstance(response.get("headers"), dict) and response["headers"]:
        out["headers"] = {str(k): str(v) for k, v in response["headers"].items()}
    if response.get("body_excerpt"):
        out["body"] = {"text": scrub(str(response["body_excerpt"]))}
    return out or None


def _notification(level: str, text: str, path: str, **props: str) -> dict[str, Any]:
    note: dict[str, Any] = {"level": level, "message": {"text": text}}
    if path:
        note["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(path), "uriBaseId": SRCROOT}
                }
            }
        ]
    if props:
        note["properties"] = props
    return note


def _utc(timestamp: str) -> str | None:
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _invocation(result: ScanResult) -> dict[str, Any]:
    notes = [_notification("error", e.message, e.path, analyzer=e.analyzer) for e in result.errors]
    notes += [_notification("warning", text, "") for text in result.warnings]
    notes += [
        _notification("note", f"skipped: {s.reason.value}", s.path, reason=s.reason.value)
        for s in result.skipped
    ]
    invocation: dict[str, Any] = {
        # Per-file errors do not make the run fail: they are reported and the scan goes on.
        "executionSuccessful": True,
        "toolExecutionNotifications": notes,
    }
    start = _utc(result.started_at) if result.started_at else None
    if start:
        invocation["startTimeUtc"] = start
    return invocation


def _base_ids(target: str) -> dict[str, Any]:
    src: dict[str, Any] = {"description": {"text": "The scanned directory."}}
    for flavour in (PurePosixPath, PureWindowsPath):
        path = flavour(target)
        if path.is_absolute():
            src["uri"] = path.as_uri().rstrip("/") + "/"
            break
    return {SRCROOT: src, IMAGEROOT: {"description": {"text": "The root of a container image."}}}


def sarif_document(result: ScanResult) -> dict[str, Any]:
    """The SARIF log of a scan: one run."""
    rules = rules_that_ran(result)
    index = {rule.id: n for n, rule in enumerate(rules)}
    driver: dict[str, Any] = {
        "name": "shieldwall",
        "rules": [rule_descriptor(rule) for rule in rules],
    }
    if result.tool_version:
        driver["version"] = result.tool_version
        driver["semanticVersion"] = result.tool_version
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": _base_ids(result.target),
        "results": [_result(f, index[f.rule.id]) for f in result.findings],
        "invocations": [_invocation(result)],
        "properties": {
            "target": result.target,
            "analyzers": list(result.analyzers),
            "stats": stats_to_dict(result.stats),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


class SarifReporter:
    """SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""

    format: ClassVar[str] = "sarif"
    binary: ClassVar[bool] = False
    description: ClassVar[str] = "SARIF 2.1.0 (GitHub code scanning, IDEs)"

    def write(self, result: ScanResult, stream: IO[Any], *, color: bool = False) -> None:
        """Write the SARIF log."""
        del color
        text = json.dumps(sarif_document(result), indent=2, sort_keys=True, ensure_ascii=False)
        stream.write(scrub(text) + "\n")
