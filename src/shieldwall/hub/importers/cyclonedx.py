"""CycloneDX JSON BOMs with ``vulnerabilities`` (VDR) and VEX statements (1.4–1.6).

A VEX ``analysis.state`` of ``not_affected`` or ``false_positive`` (or ``resolved``) marks the
finding suppressed with kind ``vex``, and the hub records it as a false positive with the
justification; ``exploitable`` and ``in_triage`` stay open.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.finding import Finding, Suppression, SuppressionKind
from shieldwall.core.severity import Severity
from shieldwall.hub.importers.base import (
    ImportedReport,
    ImporterBase,
    head_has,
    load_json,
    severity_from_score,
    severity_from_word,
    validate,
)
from shieldwall.hub.importers.packages import parse_purl
from shieldwall.hub.importers.vulnerability import PackageVulnerability, package_finding

_NOT_AFFECTING = frozenset({"not_affected", "false_positive", "resolved", "resolved_with_pedigree"})


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class _Component(_Open):
    bom_ref: str | None = Field(None, alias="bom-ref")
    name: str = ""
    version: str = ""
    purl: str | None = None
    components: list[_Component] | None = None


class _Rating(_Open):
    score: float | None = None
    severity: str | None = None
    vector: str | None = None


class _Ref(_Open):
    id: str


class _Affects(_Open):
    ref: str


class _Analysis(_Open):
    state: str | None = None
    justification: str | None = None
    detail: str | None = None


class _Vulnerability(_Open):
    id: str
    references: list[_Ref] | None = None
    ratings: list[_Rating] | None = None
    cwes: list[int] | None = None
    description: str = ""
    detail: str = ""
    recommendation: str = ""
    analysis: _Analysis | None = None
    affects: list[_Affects] = Field(default_factory=list)
    advisories: list[dict[str, Any]] | None = None


class _Tool(_Open):
    name: str = ""


class _Bom(_Open):
    bom_format: str = Field(alias="bomFormat")
    spec_version: str = Field("", alias="specVersion")
    components: list[_Component] | None = None
    vulnerabilities: list[_Vulnerability] | None = None
    metadata: dict[str, Any] | None = None


class CycloneDxImporter(ImporterBase):
    """Vulnerabilities and VEX analyses from a CycloneDX JSON document."""

    format: ClassVar[str] = "cyclonedx"
    description: ClassVar[str] = "CycloneDX BOM with vulnerabilities / VEX"

    def detect(self, head: bytes) -> bool:
        """CycloneDX documents say ``"bomFormat": "CycloneDX"``."""
        return head_has(head, b'"bomFormat"', b"CycloneDX")

    def parse_report(self, data: bytes) -> ImportedReport:
        """One finding per vulnerability and affected component."""
        bom = validate(_Bom, load_json(data, "cyclonedx"), "cyclonedx")
        components = _index(bom.components or [])
        tool = _tool_name(bom.metadata) or "cyclonedx"
        findings = [
            _finding(tool, vuln, affects.ref, components)
            for vuln in bom.vulnerabilities or ()
            for affects in vuln.affects
        ]
        return ImportedReport(tool=tool, findings=tuple(f for f in findings if f is not None))


def _index(components: list[_Component]) -> dict[str, _Component]:
    table: dict[str, _Component] = {}
    for component in components:
        if component.bom_ref:
            table[component.bom_ref] = component
        table.update(_index(component.components or []))
    return table


def _tool_name(metadata: dict[str, Any] | None) -> str:
    tools = (metadata or {}).get("tools")
    if isinstance(tools, dict):  # 1.5+: {"components": [...]}
        tools = tools.get("components")
    if isinstance(tools, list) and tools and isinstance(tools[0], dict):
        return str(tools[0].get("name", ""))
    return ""


def _severity(vuln: _Vulnerability) -> tuple[Severity, float | None, str]:
    ratings = vuln.ratings or []
    scored = [r for r in ratings if r.score is not None]
    if scored:
        best = max(scored, key=lambda r: r.score or 0.0)
        return severity_from_score(best.score), best.score, best.vector or ""
    for rating in ratings:
        if rating.severity:
            return severity_from_word(rating.severity), None, rating.vector or ""
    return Severity.MEDIUM, None, ""


def _finding(
    tool: str, vuln: _Vulnerability, ref: str, components: dict[str, _Component]
) -> Finding | None:
    component = components.get(ref)
    purl = parse_purl((component.purl if component else None) or ref)
    if purl is None:
        return None  # the affected reference names nothing we can identify
    eco, name, version = purl
    severity, score, vector = _severity(vuln)
    finding = package_finding(
        PackageVulnerability(
            scanner=tool,
            ids=(vuln.id, *(r.id for r in vuln.references or ())),
            ecosystem=eco,
            name=name.rsplit("/", 1)[-1] if eco == "pypi" else name,
            version=version or (component.version if component else ""),
            path="",
            severity=severity,
            title=vuln.description.split("\n", 1)[0][:200],
            description=vuln.detail or vuln.description,
            cwe=tuple(vuln.cwes or ()),
            references=tuple(str(a["url"]) for a in vuln.advisories or () if a.get("url")),
            cvss_score=score,
            cvss_vector=vector,
        )
    )
    analysis = vuln.analysis
    if analysis and analysis.state in _NOT_AFFECTING:
        reason = " — ".join(
            p for p in (analysis.state, analysis.justification, analysis.detail) if p
        )
        finding = dataclasses.replace(
            finding, suppression=Suppression(kind=SuppressionKind.VEX, reason=reason)
        )
    return finding
