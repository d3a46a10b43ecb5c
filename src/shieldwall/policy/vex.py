"""CycloneDX VEX: statements that a vulnerability does not affect a product suppress its findings.

A VEX document is a CycloneDX BOM whose ``vulnerabilities`` carry an ``analysis``; statements in
state ``not_affected`` (or ``false_positive``) suppress the dependency findings whose advisory ids
include the statement's id and whose package matches one of its ``affects`` references (a purl, or
the ``bom-ref`` of a component of the same document). The justification is kept as the
suppression's reason. https://cyclonedx.org/capabilities/vex/
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from packageurl import PackageURL
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.core.errors import UsageError
from shieldwall.core.finding import Finding, Suppression, SuppressionKind
from shieldwall.core.location import PackageLocation
from shieldwall.core.result import ScanResult

SUPPRESSING_STATES = frozenset({"not_affected", "false_positive"})


class _Cdx(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class VexAnalysis(_Cdx):
    """The analysis of a vulnerability."""

    state: str = ""
    justification: str = ""
    detail: str = ""


class VexAffects(_Cdx):
    """A reference to an affected (or not affected) component."""

    ref: str


class VexVulnerability(_Cdx):
    """One VEX statement."""

    id: str
    analysis: VexAnalysis | None = None
    affects: tuple[VexAffects, ...] = ()


class VexComponent(_Cdx):
    """A component the statements may refer to by ``bom-ref``."""

    bom_ref: str | None = Field(default=None, alias="bom-ref")
    purl: str | None = None


class VexDocument(_Cdx):
    """The parts of a CycloneDX document that VEX uses."""

    bom_format: str = Field(alias="bomFormat")
    components: tuple[VexComponent, ...] = ()
    vulnerabilities: tuple[VexVulnerability, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class Statement:
    """A suppressing statement: vulnerability id, package purls, and why."""

    vulnerability: str
    purls: tuple[str, ...]
    reason: str


def _purl_key(purl: str) -> tuple[str, str | None, str, str | None] | None:
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return None
    return (parsed.type, parsed.namespace, parsed.name.lower(), parsed.version)


def load_statements(path: Path) -> tuple[Statement, ...]:
    """The suppressing statements of a VEX file (``UsageError`` when it is not CycloneDX)."""
    try:
        document = VexDocument.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the VEX file ({exc.strerror})") from exc
    except ValidationError as exc:
        raise UsageError(
            f"{path}: not a CycloneDX VEX document ({exc.error_count()} errors)"
        ) from exc
    if document.bom_format != "CycloneDX":
        raise UsageError(f"{path}: bomFormat is {document.bom_format!r}, not CycloneDX")
    refs = {c.bom_ref: c.purl for c in document.components if c.bom_ref and c.purl}
    statements = []
    for vuln in document.vulnerabilities:
        if vuln.analysis is None or vuln.analysis.state not in SUPPRESSING_STATES:
            continue
        purls = tuple(refs.get(a.ref, a.ref) for a in vuln.affects)
        reason = vuln.analysis.justification or vuln.analysis.state
        if vuln.analysis.detail:
            reason = f"{reason}: {vuln.analysis.detail}"
        statements.append(Statement(vuln.id, purls, f"VEX {vuln.analysis.state} ({reason})"))
    return tuple(statements)


def _matches(statement: Statement, finding: Finding) -> bool:
    location = finding.location
    if not isinstance(location, PackageLocation):
        return False
    ids = set(finding.properties.get("aliases") or ()) | set(
        finding.properties.get("advisories") or ()
    )
    if statement.vulnerability not in ids:
        return False
    if not statement.purls:
        return True  # a statement without affects covers every package of the product
    mine = _purl_key(str(location.purl))
    for purl in statement.purls:
        theirs = _purl_key(purl)
        if mine is None or theirs is None:
            continue
        if theirs[:3] == mine[:3] and (theirs[3] is None or theirs[3] == mine[3]):
            return True
    return False


def apply_statements(
    findings: Iterable[Finding], statements: tuple[Statement, ...]
) -> tuple[Finding, ...]:
    """Mark findings that a statement covers; others (and already suppressed ones) pass as-is."""
    out = []
    for finding in findings:
        if not finding.suppressed:
            statement = next((s for s in statements if _matches(s, finding)), None)
            if statement is not None:
                finding = dataclasses.replace(
                    finding,
                    suppression=Suppression(kind=SuppressionKind.VEX, reason=statement.reason),
                )
        out.append(finding)
    return tuple(out)


def apply_vex(findings: Iterable[Finding], vex_path: Path | str) -> tuple[Finding, ...]:
    """Suppress the findings a CycloneDX VEX file declares ``not_affected``."""
    return apply_statements(findings, load_statements(Path(vex_path)))


def apply_vex_to_result(result: ScanResult, vex_path: Path | str) -> ScanResult:
    """The result with the findings a VEX file covers marked as suppressed."""
    return dataclasses.replace(result, findings=apply_vex(result.findings, vex_path))
