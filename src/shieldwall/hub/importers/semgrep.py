"""Semgrep JSON (``semgrep --json``)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.finding import Finding
from shieldwall.core.location import SourceLocation
from shieldwall.hub.importers.base import (
    ImportedReport,
    ImporterBase,
    confidence_from_word,
    foreign_rule,
    head_has,
    load_json,
    severity_from_word,
    validate,
)

SCANNER = "semgrep"
# Semgrep OSS prints this instead of the matched lines unless logged in to its service.
_PLACEHOLDER = "requires login"


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Position(_Open):
    line: int = 1
    col: int | None = None


class _Extra(_Open):
    message: str = ""
    severity: str = "WARNING"
    metadata: dict[str, Any] = Field(default_factory=dict)
    lines: str = ""
    fingerprint: str = ""
    is_ignored: bool = False


class _Result(_Open):
    check_id: str
    path: str
    start: _Position = Field(default_factory=_Position)
    end: _Position | None = None
    extra: _Extra = Field(default_factory=_Extra)


class _Report(_Open):
    results: list[_Result]
    version: str = ""


class SemgrepImporter(ImporterBase):
    """Findings from Semgrep's JSON output."""

    format: ClassVar[str] = "semgrep"
    description: ClassVar[str] = "Semgrep JSON"

    def detect(self, head: bytes) -> bool:
        """Semgrep results carry ``check_id``, ``start`` and ``extra``."""
        return head_has(head, b'"results"', b'"check_id"', b'"extra"', b'"start"')

    def parse_report(self, data: bytes) -> ImportedReport:
        """One finding per result; ignored (``nosemgrep``) results are skipped."""
        report = validate(_Report, load_json(data, "semgrep"), "semgrep")
        findings = tuple(_finding(r) for r in report.results if not r.extra.is_ignored)
        return ImportedReport(tool=SCANNER, findings=findings, tool_version=report.version)


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _finding(result: _Result) -> Finding:
    meta = result.extra.metadata
    rule = foreign_rule(
        rule_id=result.check_id,
        title=result.check_id.rsplit(".", 1)[-1].replace("-", " "),
        severity=severity_from_word(result.extra.severity),
        scanner=SCANNER,
        description=result.extra.message,
        confidence=confidence_from_word(meta.get("confidence")),
        cwe=_listed(meta.get("cwe")),
        references=[str(r) for r in _listed(meta.get("references"))],
    )
    lines = "" if result.extra.lines == _PLACEHOLDER else result.extra.lines
    fingerprint = "" if result.extra.fingerprint == _PLACEHOLDER else result.extra.fingerprint
    end = result.end or result.start
    return Finding.create(
        rule=rule,
        message=result.extra.message or rule.title,
        location=SourceLocation(
            path=result.path,
            start_line=result.start.line,
            end_line=end.line,
            start_column=result.start.col,
            end_column=end.col,
            snippet=lines,
        ),
        identity=lines or fingerprint or f"line {result.start.line}",
        properties={"tool": SCANNER},
    )
