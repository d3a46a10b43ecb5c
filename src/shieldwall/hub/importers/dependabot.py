"""GitHub Dependabot alerts JSON (``GET /repos/{owner}/{repo}/dependabot/alerts``)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from shieldwall.core.finding import Finding, Suppression, SuppressionKind
from shieldwall.hub.errors import ImportFormatError
from shieldwall.hub.importers.base import (
    ImportedReport,
    ImporterBase,
    head_has,
    load_json,
    severity_from_word,
)
from shieldwall.hub.importers.vulnerability import PackageVulnerability, package_finding

SCANNER = "dependabot"


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _PackageRef(_Open):
    ecosystem: str
    name: str


class _Dependency(_Open):
    package: _PackageRef
    manifest_path: str = ""


class _Identifier(_Open):
    value: str


class _Cvss(_Open):
    score: float | None = None
    vector_string: str | None = None


class _Cwe(_Open):
    cwe_id: str


class _Reference(_Open):
    url: str


class _Advisory(_Open):
    ghsa_id: str
    cve_id: str | None = None
    summary: str = ""
    description: str = ""
    severity: str = "medium"
    identifiers: list[_Identifier] = Field(default_factory=list)
    references: list[_Reference] = Field(default_factory=list)
    cvss: _Cvss | None = None
    cwes: list[_Cwe] = Field(default_factory=list)


class _Patched(_Open):
    identifier: str


class _Vulnerability(_Open):
    vulnerable_version_range: str = ""
    first_patched_version: _Patched | None = None


class _Alert(_Open):
    number: int
    state: str
    dependency: _Dependency
    security_advisory: _Advisory
    security_vulnerability: _Vulnerability | None = None
    html_url: str | None = None
    dismissed_reason: str | None = None
    dismissed_comment: str | None = None


_ALERTS = TypeAdapter(list[_Alert])


class DependabotImporter(ImporterBase):
    """Open and dismissed Dependabot alerts (fixed ones are absent from the import, so a
    complete import closes them)."""

    format: ClassVar[str] = "dependabot"
    description: ClassVar[str] = "GitHub Dependabot alerts JSON"

    def detect(self, head: bytes) -> bool:
        """A JSON array of alerts with ``security_advisory`` and ``dependency``."""
        return head.lstrip().startswith(b"[") and head_has(
            head, b'"security_advisory"', b'"dependency"'
        )

    def parse_report(self, data: bytes) -> ImportedReport:
        """One finding per open or dismissed alert."""
        try:
            alerts = _ALERTS.validate_python(load_json(data, "dependabot"))
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            raise ImportFormatError(f"dependabot: {where}: {error['msg']}") from exc
        findings = tuple(_finding(a) for a in alerts if a.state != "fixed")
        return ImportedReport(tool=SCANNER, findings=findings)


def _finding(alert: _Alert) -> Finding:
    advisory = alert.security_advisory
    vulnerability = alert.security_vulnerability or _Vulnerability()
    patched = vulnerability.first_patched_version
    finding = package_finding(
        PackageVulnerability(
            scanner=SCANNER,
            ids=(
                advisory.ghsa_id,
                *([advisory.cve_id] if advisory.cve_id else []),
                *(i.value for i in advisory.identifiers),
            ),
            ecosystem=alert.dependency.package.ecosystem,
            name=alert.dependency.package.name,
            version="",  # alerts name the vulnerable range, not the installed version
            path=alert.dependency.manifest_path,
            severity=severity_from_word(advisory.severity),
            title=advisory.summary,
            description=advisory.description,
            cwe=tuple(c.cwe_id for c in advisory.cwes),
            fixed_versions=(patched.identifier,) if patched else (),
            references=tuple(r.url for r in advisory.references),
            cvss_score=advisory.cvss.score if advisory.cvss and advisory.cvss.score else None,
            cvss_vector=(advisory.cvss.vector_string or "") if advisory.cvss else "",
            extra={
                "alert": alert.number,
                "vulnerable_range": vulnerability.vulnerable_version_range,
                **({"url": alert.html_url} if alert.html_url else {}),
            },
        )
    )
    if alert.state in {"dismissed", "auto_dismissed"}:
        reason = " — ".join(p for p in (alert.dismissed_reason, alert.dismissed_comment) if p)
        finding = dataclasses.replace(
            finding,
            suppression=Suppression(kind=SuppressionKind.IGNORE, reason=reason or "dismissed"),
        )
    return finding
