"""Trivy JSON (``trivy fs|image|config --format json``, schema version 2)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.finding import Finding
from shieldwall.core.location import SourceLocation
from shieldwall.core.severity import Severity
from shieldwall.hub.importers.base import (
    ImportedReport,
    ImporterBase,
    foreign_rule,
    head_has,
    load_json,
    severity_from_word,
    validate,
)
from shieldwall.hub.importers.packages import parse_purl
from shieldwall.hub.importers.vulnerability import PackageVulnerability, package_finding

SCANNER = "trivy"


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Identifier(_Open):
    PURL: str | None = None


class _Vulnerability(_Open):
    VulnerabilityID: str
    PkgName: str = ""
    PkgPath: str | None = None
    PkgIdentifier: _Identifier | None = None
    InstalledVersion: str = ""
    FixedVersion: str = ""
    Title: str = ""
    Description: str = ""
    Severity: str = "UNKNOWN"
    CweIDs: list[str] | None = None
    PrimaryURL: str | None = None
    References: list[str] | None = None
    CVSS: dict[str, dict[str, Any]] | None = None
    VendorIDs: list[str] | None = None


class _Cause(_Open):
    StartLine: int | None = None
    EndLine: int | None = None
    Resource: str | None = None


class _Misconfiguration(_Open):
    ID: str
    AVDID: str | None = None
    Title: str = ""
    Description: str = ""
    Message: str = ""
    Resolution: str = ""
    Severity: str = "UNKNOWN"
    Status: str = "FAIL"
    PrimaryURL: str | None = None
    CauseMetadata: _Cause | None = None


class _Secret(_Open):
    RuleID: str
    Category: str = ""
    Severity: str = "HIGH"
    Title: str = ""
    StartLine: int = 1
    EndLine: int | None = None
    Match: str = ""


class _Result(_Open):
    Target: str = ""
    Class: str = ""
    Type: str = ""
    Vulnerabilities: list[_Vulnerability] | None = None
    Misconfigurations: list[_Misconfiguration] | None = None
    Secrets: list[_Secret] | None = None


class _Report(_Open):
    SchemaVersion: int
    ArtifactName: str = ""
    Results: list[_Result] | None = Field(default=None)


class TrivyImporter(ImporterBase):
    """Vulnerabilities, misconfigurations and secrets from Trivy's JSON report."""

    format: ClassVar[str] = "trivy"
    description: ClassVar[str] = "Trivy JSON (fs, image, config)"

    def detect(self, head: bytes) -> bool:
        """Trivy reports start with ``SchemaVersion`` and hold ``Results``."""
        return head_has(head, b'"SchemaVersion"', b'"ArtifactName"')

    def parse_report(self, data: bytes) -> ImportedReport:
        """Every vulnerability, failed misconfiguration and secret of every target."""
        report = validate(_Report, load_json(data, "trivy"), "trivy")
        findings: list[Finding] = []
        for result in report.Results or ():
            findings.extend(_vulnerability(result, v) for v in result.Vulnerabilities or ())
            findings.extend(
                _misconfiguration(result, m)
                for m in result.Misconfigurations or ()
                if m.Status.upper() == "FAIL"
            )
            findings.extend(_secret(result, s) for s in result.Secrets or ())
        return ImportedReport(tool=SCANNER, findings=tuple(findings))


def _cvss(vuln: _Vulnerability) -> tuple[float | None, str]:
    for source in ("nvd", "ghsa", "redhat"):
        entry = (vuln.CVSS or {}).get(source) or {}
        if "V3Score" in entry:
            return float(entry["V3Score"]), str(entry.get("V3Vector", ""))
    return None, ""


def _vulnerability(result: _Result, vuln: _Vulnerability) -> Finding:
    eco, name = result.Type, vuln.PkgName
    purl = (
        parse_purl(vuln.PkgIdentifier.PURL)
        if vuln.PkgIdentifier and vuln.PkgIdentifier.PURL
        else None
    )
    if purl:
        eco, name = purl[0], purl[1].rsplit("/", 1)[-1] if purl[0] == "pypi" else purl[1]
    score, vector = _cvss(vuln)
    fixed = tuple(v.strip() for v in vuln.FixedVersion.split(",") if v.strip())
    return package_finding(
        PackageVulnerability(
            scanner=SCANNER,
            ids=(vuln.VulnerabilityID, *(vuln.VendorIDs or ())),
            ecosystem=eco,
            name=name,
            version=vuln.InstalledVersion,
            path=vuln.PkgPath or result.Target,
            severity=severity_from_word(vuln.Severity),
            title=vuln.Title,
            description=vuln.Description,
            cwe=tuple(vuln.CweIDs or ()),
            fixed_versions=fixed,
            references=tuple(r for r in (vuln.PrimaryURL, *(vuln.References or ())) if r),
            cvss_score=score,
            cvss_vector=vector,
        )
    )


def _misconfiguration(result: _Result, misconf: _Misconfiguration) -> Finding:
    cause = misconf.CauseMetadata or _Cause()
    rule = foreign_rule(
        rule_id=misconf.AVDID or misconf.ID,
        title=misconf.Title,
        severity=severity_from_word(misconf.Severity),
        scanner=SCANNER,
        description=misconf.Description,
        remediation=misconf.Resolution,
        references=[misconf.PrimaryURL] if misconf.PrimaryURL else [],
    )
    return Finding.create(
        rule=rule,
        message=misconf.Message or misconf.Title,
        location=SourceLocation(
            path=result.Target, start_line=cause.StartLine or 1, end_line=cause.EndLine
        ),
        identity=cause.Resource or misconf.Message or misconf.ID,
        properties={"tool": SCANNER},
    )


def _secret(result: _Result, secret: _Secret) -> Finding:
    rule = foreign_rule(
        rule_id=secret.RuleID,
        title=secret.Title,
        severity=severity_from_word(secret.Severity, Severity.HIGH),
        scanner=SCANNER,
        cwe=["CWE-798"],
    )
    # Trivy masks the secret in ``Match`` with asterisks; the masked line identifies it.
    return Finding.create(
        rule=rule,
        message=f"{secret.Title or secret.RuleID} in {result.Target}",
        location=SourceLocation(
            path=result.Target,
            start_line=secret.StartLine,
            end_line=secret.EndLine,
            snippet=secret.Match,
        ),
        identity=secret.Match or f"line {secret.StartLine}",
        properties={"tool": SCANNER, "category": secret.Category},
    )
