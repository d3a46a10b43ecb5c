"""OSV-Scanner JSON (``osv-scanner --format json``): results per source, packages, groups."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.finding import Finding
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
from shieldwall.hub.importers.vulnerability import PackageVulnerability, package_finding

SCANNER = "osv-scanner"


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Source(_Open):
    path: str = ""


class _PackageInfo(_Open):
    name: str
    version: str = ""
    ecosystem: str = ""


class _Vuln(_Open):
    id: str
    aliases: list[str] | None = None
    summary: str = ""
    details: str = ""
    affected: list[dict[str, Any]] | None = None
    database_specific: dict[str, Any] | None = None
    references: list[dict[str, Any]] | None = None


class _Group(_Open):
    ids: list[str]
    aliases: list[str] | None = None
    max_severity: str | None = None


class _Package(_Open):
    package: _PackageInfo
    vulnerabilities: list[_Vuln] = Field(default_factory=list)
    groups: list[_Group] | None = None


class _Result(_Open):
    source: _Source = Field(default_factory=_Source)
    packages: list[_Package] = Field(default_factory=list)


class _Report(_Open):
    results: list[_Result]


class OsvScannerImporter(ImporterBase):
    """Vulnerable packages from OSV-Scanner's JSON output."""

    format: ClassVar[str] = "osv-scanner"
    description: ClassVar[str] = "OSV-Scanner JSON"

    def detect(self, head: bytes) -> bool:
        """Results with a ``source`` and ``packages``."""
        return head_has(head, b'"results"', b'"packages"', b'"source"')

    def parse_report(self, data: bytes) -> ImportedReport:
        """One finding per group of aliased advisories per package."""
        report = validate(_Report, load_json(data, "osv-scanner"), "osv-scanner")
        findings: list[Finding] = []
        for result in report.results:
            for package in result.packages:
                findings.extend(_package_findings(result.source.path, package))
        return ImportedReport(tool=SCANNER, findings=tuple(findings))


def _package_findings(path: str, package: _Package) -> list[Finding]:
    by_id = {v.id: v for v in package.vulnerabilities}
    groups = package.groups or [_Group(ids=[v.id]) for v in package.vulnerabilities]
    findings = []
    for group in groups:
        vulns = [by_id[i] for i in group.ids if i in by_id]
        ids = [*group.ids, *(group.aliases or ())]
        for vuln in vulns:
            ids.extend(vuln.aliases or ())
        first = vulns[0] if vulns else _Vuln(id=group.ids[0])
        findings.append(
            package_finding(
                PackageVulnerability(
                    scanner=SCANNER,
                    ids=tuple(ids),
                    ecosystem=package.package.ecosystem,
                    name=package.package.name,
                    version=package.package.version,
                    path=path,
                    severity=_severity(group, vulns),
                    title=first.summary,
                    description=first.details,
                    fixed_versions=_fixed(vulns, package.package.name),
                    references=tuple(str(r["url"]) for r in first.references or () if r.get("url")),
                    cvss_score=_score(group),
                )
            )
        )
    return findings


def _score(group: _Group) -> float | None:
    try:
        return float(group.max_severity) if group.max_severity else None
    except ValueError:
        return None


def _severity(group: _Group, vulns: list[_Vuln]) -> Severity:
    if group.max_severity:
        return severity_from_score(group.max_severity)
    for vuln in vulns:
        word = (vuln.database_specific or {}).get("severity")
        if isinstance(word, str):
            return severity_from_word(word)
    return Severity.MEDIUM


def _fixed(vulns: list[_Vuln], name: str) -> tuple[str, ...]:
    fixed: list[str] = []
    for vuln in vulns:
        for affected in vuln.affected or ():
            if affected.get("package", {}).get("name", name).lower() != name.lower():
                continue
            for rng in affected.get("ranges", ()):
                fixed.extend(str(e["fixed"]) for e in rng.get("events", ()) if "fixed" in e)
    return tuple(dict.fromkeys(fixed))
