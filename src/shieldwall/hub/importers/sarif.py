"""SARIF 2.1.0 from any tool (Semgrep, CodeQL, Checkov, Bandit, gitleaks, Trivy, shieldwall).

Missing optional fields are tolerated: a result without ``ruleId`` takes the rule from
``ruleIndex``, one without locations is kept with an empty path, one without a message uses the
rule's description. Secret scanners' snippets are dropped, since they hold the secret.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.finding import Finding, Suppression, SuppressionKind
from shieldwall.core.ids import Fingerprint
from shieldwall.core.location import SourceLocation
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Severity
from shieldwall.hub.importers.base import (
    ImportedReport,
    ImporterBase,
    confidence_from_word,
    foreign_rule,
    head_has,
    severity_from_score,
    severity_from_word,
    validate_json,
)

# shieldwall's own SARIF carries its fingerprint and analyzer; keeping them makes a SARIF upload
# and a JSON upload of the same scan deduplicate onto the same hub findings.
_OWN_FINGERPRINT = "shieldwall/v1"
# Some tools name themselves differently in SARIF than in their native format.
_TOOL_ALIASES = {
    "semgrep oss": "semgrep",
    "semgrep pro": "semgrep",
    "codeql command-line toolchain": "codeql",
}
_SECRET_TOOLS = frozenset({"gitleaks", "trufflehog", "detect-secrets", "credsweeper"})
_LEVELS = {"error": Severity.HIGH, "warning": Severity.MEDIUM, "note": Severity.LOW}


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class _Text(_Open):
    text: str = ""


class _Config(_Open):
    level: str | None = None


class _Rule(_Open):
    id: str = ""
    name: str = ""
    short_description: _Text | None = Field(None, alias="shortDescription")
    full_description: _Text | None = Field(None, alias="fullDescription")
    help: _Text | None = None
    help_uri: str | None = Field(None, alias="helpUri")
    default_configuration: _Config | None = Field(None, alias="defaultConfiguration")
    properties: dict[str, Any] = Field(default_factory=dict)


class _Driver(_Open):
    name: str = "unknown"
    version: str | None = None
    semantic_version: str | None = Field(None, alias="semanticVersion")
    rules: list[_Rule] = Field(default_factory=list)


class _Tool(_Open):
    driver: _Driver = Field(default_factory=_Driver)


class _Region(_Open):
    start_line: int | None = Field(None, alias="startLine")
    end_line: int | None = Field(None, alias="endLine")
    start_column: int | None = Field(None, alias="startColumn")
    end_column: int | None = Field(None, alias="endColumn")
    snippet: _Text | None = None


class _Artifact(_Open):
    uri: str = ""


class _Physical(_Open):
    artifact_location: _Artifact | None = Field(None, alias="artifactLocation")
    region: _Region | None = None


class _Location(_Open):
    physical_location: _Physical | None = Field(None, alias="physicalLocation")


class _RuleRef(_Open):
    id: str | None = None
    index: int | None = None


class _Suppression(_Open):
    kind: str = "external"
    status: str | None = None
    justification: str = ""


class _Result(_Open):
    rule_id: str | None = Field(None, alias="ruleId")
    rule_index: int | None = Field(None, alias="ruleIndex")
    rule: _RuleRef | None = None
    level: str | None = None
    message: _Text = Field(default_factory=_Text)
    locations: list[_Location] = Field(default_factory=list)
    partial_fingerprints: dict[str, str] = Field(default_factory=dict, alias="partialFingerprints")
    fingerprints: dict[str, str] = Field(default_factory=dict)
    properties: dict[str, Any] = Field(default_factory=dict)
    suppressions: list[_Suppression] = Field(default_factory=list)


class _Run(_Open):
    tool: _Tool = Field(default_factory=_Tool)
    results: list[_Result] | None = None
    properties: dict[str, Any] = Field(default_factory=dict)


class _Log(_Open):
    version: str
    runs: list[_Run]


class SarifImporter(ImporterBase):
    """SARIF 2.1.0 logs from any tool."""

    format: ClassVar[str] = "sarif"
    description: ClassVar[str] = "SARIF 2.1.0 from any tool"

    def detect(self, head: bytes) -> bool:
        """SARIF logs name their version and hold ``runs``."""
        return head_has(head, b'"runs"') and (b"sarif" in head.lower() or b'"2.1.0"' in head)

    def parse_report(self, data: bytes) -> ImportedReport:
        """Findings of every run."""
        log = validate_json(_Log, data, "sarif")
        if log.version != "2.1.0":
            from shieldwall.hub.errors import ImportFormatError

            raise ImportFormatError(f"sarif: version {log.version!r} is not supported (2.1.0)")
        findings: list[Finding] = []
        tools: list[str] = []
        versions: list[str] = []
        covered: list[str] = []
        for run in log.runs:
            driver = run.tool.driver
            name = tool_name(driver)
            tools.append(name)
            versions.append(driver.semantic_version or driver.version or "")
            run_findings = _run_findings(run)
            findings.extend(run_findings)
            analyzers = run.properties.get("analyzers") if name == "shieldwall" else None
            if isinstance(analyzers, list):
                covered.extend(str(a) for a in analyzers)
            else:
                covered.append(name)
        tool = "+".join(dict.fromkeys(tools)) or "unknown"
        return ImportedReport(
            tool=tool,
            findings=tuple(findings),
            tool_version=versions[0] if versions else "",
            scanners=tuple(dict.fromkeys(covered)),
        )


def tool_name(driver: _Driver) -> str:
    """The tool's name as its native importer spells it ("Bandit" and "bandit" are one tool)."""
    name = driver.name.strip().lower() or "unknown"
    return _TOOL_ALIASES.get(name, name)


def _run_findings(run: _Run) -> list[Finding]:
    driver = run.tool.driver
    scanner = tool_name(driver)
    by_id = {r.id: r for r in driver.rules if r.id}
    findings = []
    # Results of one rule share its metadata; build each distinct Rule once (50k results are
    # typically a few hundred rules).
    rules: dict[tuple[object, ...], Rule] = {}
    for result in run.results or ():
        meta = _rule_for(result, driver.rules, by_id)
        rule_id = result.rule_id or (result.rule.id if result.rule else None) or meta.id
        # Most results carry no properties: no need to serialise an empty mapping for the key.
        props = json.dumps(result.properties, sort_keys=True) if result.properties else ""
        key = (rule_id, id(meta), result.level, props)
        rule = rules.get(key)
        if rule is None:
            rule = rules[key] = _to_rule(rule_id or "unknown", meta, result, scanner)
        findings.append(_to_finding(result, rule, scanner))
    return findings


def _rule_for(result: _Result, rules: list[_Rule], by_id: dict[str, _Rule]) -> _Rule:
    index = (
        result.rule_index
        if result.rule_index is not None
        else (result.rule.index if result.rule else None)
    )
    if index is not None and 0 <= index < len(rules):
        return rules[index]
    rule_id = result.rule_id or (result.rule.id if result.rule else None)
    # CodeQL reports ``ruleId`` values like ``py/sql-injection/0``: try the base id too.
    return by_id.get(rule_id or "") or by_id.get((rule_id or "").rsplit("/", 1)[0]) or _Rule()


def _severity(result: _Result, meta: _Rule) -> Severity:
    score = meta.properties.get("security-severity") or result.properties.get("security-severity")
    if score is not None:
        return severity_from_score(score)
    level = result.level or (
        meta.default_configuration.level if meta.default_configuration else None
    )
    if level in _LEVELS:
        return _LEVELS[level]
    for key in ("issue_severity", "severity", "problem.severity"):
        word = result.properties.get(key) or meta.properties.get(key)
        if isinstance(word, str):
            return severity_from_word(word)
    return Severity.MEDIUM if level is None else Severity.INFO


def _to_rule(rule_id: str, meta: _Rule, result: _Result, scanner: str) -> Rule:
    tags = [str(t) for t in meta.properties.get("tags", []) if isinstance(t, str | int)]
    cwe: list[object] = [t for t in tags if "cwe" in t.lower()]
    for key in ("cwe", "cwe_id", "issue_cwe"):
        value = meta.properties.get(key) or result.properties.get(key)
        if isinstance(value, list):
            cwe.extend(value)
        elif isinstance(value, dict) and "id" in value:
            cwe.append(value["id"])
        elif value is not None:
            cwe.append(value)
    short = meta.short_description.text if meta.short_description else ""
    full = meta.full_description.text if meta.full_description else ""
    confidence = result.properties.get("issue_confidence") or meta.properties.get("precision")
    return foreign_rule(
        rule_id=rule_id,
        title=short or meta.name or rule_id,
        severity=_severity(result, meta),
        scanner=scanner,
        description=full,
        remediation=meta.help.text if meta.help else "",
        confidence=confidence_from_word(confidence if isinstance(confidence, str) else None),
        cwe=cwe,
        references=[meta.help_uri] if meta.help_uri else [],
        tags=tags,
    )


def _to_finding(result: _Result, rule: Rule, scanner: str) -> Finding:
    physical = result.locations[0].physical_location if result.locations else None
    region = physical.region if physical and physical.region else _Region()
    path = physical.artifact_location.uri if physical and physical.artifact_location else ""
    path = path.removeprefix("file://")
    snippet = region.snippet.text if region.snippet else ""
    if scanner in _SECRET_TOOLS:
        snippet = ""  # the snippet of a secret finding is the secret itself
    fingerprint = next(iter(sorted(result.partial_fingerprints.items())), None) or next(
        iter(sorted(result.fingerprints.items())), None
    )
    message = result.message.text or rule.title
    start = region.start_line or 1
    identity = fingerprint[1] if fingerprint else (snippet or f"{message}|line {start}")
    finding = Finding.create(
        rule=rule,
        message=message,
        location=SourceLocation(
            path=path,
            start_line=start,
            end_line=region.end_line,
            start_column=region.start_column,
            end_column=region.end_column,
            snippet=snippet,
        ),
        identity=identity,
        properties={"tool": scanner},
    )
    own = result.partial_fingerprints.get(_OWN_FINGERPRINT)
    analyzer = result.properties.get("scanner")
    if scanner == "shieldwall" and own and isinstance(analyzer, str):
        finding = dataclasses.replace(finding, fingerprint=Fingerprint(own), scanner=analyzer)
    accepted = [s for s in result.suppressions if s.status in (None, "accepted")]
    if accepted:
        reason = accepted[0].justification or f"suppressed in the tool ({accepted[0].kind})"
        finding = dataclasses.replace(
            finding, suppression=Suppression(kind=SuppressionKind.INLINE, reason=reason)
        )
    return finding
