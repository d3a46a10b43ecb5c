"""The JSON report as pydantic models: the published ``docs/json-schema.json`` and the reader.

The JSON report is a boundary (the hub imports it, ``shieldwall baseline`` reads it), so it is
described once here. ``json_schema()`` produces the published schema; ``parse_report`` turns a
document back into core objects. Every field is required so that a validator catches a writer
that forgets one: a missing value is written as ``null`` or an empty list, never left out.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from shieldwall.core.errors import ReportError
from shieldwall.core.finding import Finding, Fix, Suppression, SuppressionKind, TraceStep
from shieldwall.core.ids import Fingerprint, Purl, RuleId
from shieldwall.core.location import (
    ImageLocation,
    PackageLocation,
    SourceLocation,
    UrlLocation,
)
from shieldwall.core.result import ScanError, ScanResult, ScanStats, SkippedFile, SkipReason
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence, Severity

REPORT_VERSION = "1"
# A URN, not a URL: the schema ships in docs/ and nothing should try to fetch it.
SCHEMA_ID = "urn:shieldwall:schema:report:1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleModel(_Model):
    """A rule's metadata, repeated in each finding so a finding stands on its own."""

    id: str
    title: str
    severity: Severity
    scanner: str
    description: str
    remediation: str
    confidence: Confidence
    cwe: list[str] = Field(description="Most specific weakness first, e.g. CWE-89.")
    references: list[str]
    tags: list[str]
    aliases: list[str]

    def to_rule(self) -> Rule:
        """The core rule."""
        return Rule(
            id=RuleId(self.id),
            title=self.title,
            severity=self.severity,
            scanner=self.scanner,
            description=self.description,
            remediation=self.remediation,
            confidence=self.confidence,
            cwe=tuple(self.cwe),
            references=tuple(self.references),
            tags=tuple(self.tags),
            aliases=tuple(self.aliases),
        )


class SourceLocationModel(_Model):
    """A region of a text file; 1-based lines and columns, ends inclusive."""

    kind: Literal["source"]
    path: str
    start_line: int
    end_line: int | None
    start_column: int | None
    end_column: int | None
    snippet: str

    def to_location(self) -> SourceLocation:
        """The core location."""
        return SourceLocation(
            path=self.path,
            start_line=self.start_line,
            end_line=self.end_line,
            start_column=self.start_column,
            end_column=self.end_column,
            snippet=self.snippet,
        )


class PackageLocationModel(_Model):
    """A package in a manifest or lockfile, with the path from a direct dependency."""

    kind: Literal["package"]
    path: str
    purl: str
    name: str
    version: str
    ecosystem: str
    line: int | None
    dependency_path: list[str]

    def to_location(self) -> PackageLocation:
        """The core location."""
        return PackageLocation(
            path=self.path,
            purl=Purl(self.purl),
            name=self.name,
            version=self.version,
            ecosystem=self.ecosystem,
            line=self.line,
            dependency_path=tuple(self.dependency_path),
        )


class ImageLocationModel(_Model):
    """A file inside a container image."""

    kind: Literal["image"]
    image: str
    path: str
    layer: str
    line: int | None

    def to_location(self) -> ImageLocation:
        """The core location."""
        return ImageLocation(image=self.image, path=self.path, layer=self.layer, line=self.line)


class UrlLocationModel(_Model):
    """A request to a live application."""

    kind: Literal["url"]
    url: str
    method: str
    parameter: str | None

    def to_location(self) -> UrlLocation:
        """The core location."""
        return UrlLocation(url=self.url, method=self.method, parameter=self.parameter)


LocationModel = Annotated[
    SourceLocationModel | PackageLocationModel | ImageLocationModel | UrlLocationModel,
    Field(discriminator="kind"),
]


class FixModel(_Model):
    """How to fix a finding."""

    fixed_versions: list[str]
    replacement: str | None
    description: str


class TraceStepModel(_Model):
    """One step of a data flow, source first."""

    location: SourceLocationModel
    message: str


class SuppressionModel(_Model):
    """Why a finding does not count against the gate."""

    kind: SuppressionKind
    reason: str
    expires: str | None


class FindingModel(_Model):
    """One finding with everything the core ``Finding`` holds."""

    rule: RuleModel
    severity: Severity
    confidence: Confidence
    message: str
    location: LocationModel
    scanner: str
    fingerprint: str
    fix: FixModel | None
    trace: list[TraceStepModel]
    properties: dict[str, Any]
    suppressed: bool
    suppression: SuppressionModel | None

    def to_finding(self) -> Finding:
        """The core finding, keeping the stored fingerprint (it must not be recomputed)."""
        fix = self.fix
        supp = self.suppression
        return Finding(
            rule=self.rule.to_rule(),
            severity=self.severity,
            confidence=self.confidence,
            message=self.message,
            location=self.location.to_location(),
            scanner=self.scanner,
            fingerprint=Fingerprint(self.fingerprint),
            fix=None
            if fix is None
            else Fix(tuple(fix.fixed_versions), fix.replacement, fix.description),
            trace=tuple(TraceStep(s.location.to_location(), s.message) for s in self.trace),
            properties=MappingProxyType(dict(self.properties)),
            suppression=None if supp is None else Suppression(supp.kind, supp.reason, supp.expires),
        )


class ToolModel(_Model):
    """The program that wrote the report."""

    name: Literal["shieldwall"]
    version: str


class SummaryModel(_Model):
    """Headline counts; ``by_severity`` counts active findings only."""

    total: int
    active: int
    suppressed: int
    by_severity: dict[Severity, int]
    errors: int
    skipped: int


class ScanErrorModel(_Model):
    """A file or analyzer run that failed; the scan went on."""

    path: str
    message: str
    analyzer: str


class SkippedFileModel(_Model):
    """A file the walker saw but did not scan."""

    path: str
    reason: SkipReason
    detail: str


class StatsModel(_Model):
    """Counters and timing."""

    files_scanned: int
    bytes_scanned: int
    files_skipped: int
    files_ignored: int
    duration_seconds: float
    findings_by_analyzer: dict[str, int]
    outside_diff: int


class JsonReportModel(_Model):
    """A shieldwall JSON report, format version 1."""

    version: Literal["1"]
    tool: ToolModel
    target: str
    started_at: str
    analyzers: list[str]
    summary: SummaryModel
    rules: list[RuleModel] = Field(description="Every rule that ran, sorted by id.")
    findings: list[FindingModel] = Field(description="In the scan's order; suppressed included.")
    errors: list[ScanErrorModel]
    skipped: list[SkippedFileModel]
    warnings: list[str]
    stats: StatsModel

    def to_result(self) -> ScanResult:
        """The core result this report was written from."""
        s = self.stats
        return ScanResult(
            target=self.target,
            findings=tuple(f.to_finding() for f in self.findings),
            errors=tuple(ScanError(e.path, e.message, e.analyzer) for e in self.errors),
            skipped=tuple(SkippedFile(k.path, k.reason, k.detail) for k in self.skipped),
            stats=ScanStats(
                files_scanned=s.files_scanned,
                bytes_scanned=s.bytes_scanned,
                files_skipped=s.files_skipped,
                files_ignored=s.files_ignored,
                duration_seconds=s.duration_seconds,
                findings_by_analyzer=MappingProxyType(dict(s.findings_by_analyzer)),
                outside_diff=s.outside_diff,
            ),
            rules=MappingProxyType({RuleId(r.id): r.to_rule() for r in self.rules}),
            analyzers=tuple(self.analyzers),
            warnings=tuple(self.warnings),
            started_at=self.started_at,
            tool_version=self.tool.version,
        )


_REPORT = TypeAdapter(JsonReportModel)


def parse_report(data: bytes | str) -> ScanResult:
    """Read a JSON report back; :class:`ReportError` names the first problem if it is invalid."""
    try:
        model = _REPORT.validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(document)"
        raise ReportError(f"not a shieldwall JSON report v1: {where}: {first['msg']}") from exc
    return model.to_result()


def json_schema() -> dict[str, Any]:
    """The published JSON schema (``docs/json-schema.json``) of the report."""
    schema = JsonReportModel.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
