"""Checkov JSON (``checkov -d DIR -o json``): one object per framework, or a list of them."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.finding import Finding
from shieldwall.core.location import SourceLocation
from shieldwall.hub.errors import ImportFormatError
from shieldwall.hub.importers.base import (
    ImportedReport,
    ImporterBase,
    foreign_rule,
    head_has,
    load_json,
    severity_from_word,
    validate,
)

SCANNER = "checkov"


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Check(_Open):
    check_id: str
    bc_check_id: str | None = None
    check_name: str = ""
    file_path: str = ""
    repo_file_path: str | None = None
    file_line_range: list[int] = Field(default_factory=list)
    resource: str = ""
    guideline: str | None = None
    severity: str | None = None
    code_block: list[list[Any]] | None = None


class _Results(_Open):
    failed_checks: list[_Check] = Field(default_factory=list)


class _Framework(_Open):
    check_type: str
    results: _Results = Field(default_factory=_Results)


class CheckovImporter(ImporterBase):
    """Failed checks from Checkov's JSON output."""

    format: ClassVar[str] = "checkov"
    description: ClassVar[str] = "Checkov JSON"

    def detect(self, head: bytes) -> bool:
        """Checkov reports carry ``check_type`` and ``failed_checks``/``summary``."""
        return head_has(head, b'"check_type"') and (
            b'"failed_checks"' in head or b'"summary"' in head
        )

    def parse_report(self, data: bytes) -> ImportedReport:
        """One finding per failed check of every framework."""
        document = load_json(data, "checkov")
        frameworks = document if isinstance(document, list) else [document]
        if not all(isinstance(f, dict) for f in frameworks):
            raise ImportFormatError("checkov: expected an object or a list of objects")
        findings = [
            _finding(check)
            for raw in frameworks
            for check in validate(_Framework, raw, "checkov").results.failed_checks
        ]
        return ImportedReport(tool=SCANNER, findings=tuple(findings))


def _finding(check: _Check) -> Finding:
    rule = foreign_rule(
        rule_id=check.check_id,
        title=check.check_name,
        # Open-source Checkov reports no severity (null); medium is the neutral default.
        severity=severity_from_word(check.severity),
        scanner=SCANNER,
        references=[check.guideline] if check.guideline else [],
    )
    lines = check.file_line_range or [1]
    path = (check.repo_file_path or check.file_path).lstrip("/")
    return Finding.create(
        rule=rule,
        message=f"{check.check_name} ({check.resource})" if check.resource else check.check_name,
        location=SourceLocation(path=path, start_line=max(lines[0], 1), end_line=lines[-1]),
        identity=check.resource or check.check_name,
        properties={"tool": SCANNER, "resource": check.resource},
    )
