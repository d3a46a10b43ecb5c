"""Bandit JSON (``bandit -r DIR -f json``)."""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

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

SCANNER = "bandit"
# Bandit prefixes every line of ``code`` with its line number; identity must not depend on it.
_LINE_NUMBER = re.compile(r"^\d+\s?", re.MULTILINE)


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Cwe(_Open):
    id: int | None = None
    link: str | None = None


class _Result(_Open):
    code: str = ""
    filename: str
    issue_confidence: str = "MEDIUM"
    issue_cwe: _Cwe | None = None
    issue_severity: str = "MEDIUM"
    issue_text: str = ""
    line_number: int = 1
    line_range: list[int] | None = None
    col_offset: int | None = None
    more_info: str | None = None
    test_id: str
    test_name: str = ""


class _Report(_Open):
    results: list[_Result]
    generated_at: str = ""


class BanditImporter(ImporterBase):
    """Findings from Bandit's JSON report."""

    format: ClassVar[str] = "bandit"
    description: ClassVar[str] = "Bandit JSON"

    def detect(self, head: bytes) -> bool:
        """Bandit reports hold ``generated_at``, ``metrics`` and results with ``test_id``."""
        return head_has(head, b'"generated_at"', b'"results"') and (
            b'"test_id"' in head or b'"results": []' in head
        )

    def parse_report(self, data: bytes) -> ImportedReport:
        """One finding per result."""
        report = validate(_Report, load_json(data, "bandit"), "bandit")
        return ImportedReport(tool=SCANNER, findings=tuple(_finding(r) for r in report.results))


def _finding(result: _Result) -> Finding:
    cwe = [result.issue_cwe.id] if result.issue_cwe and result.issue_cwe.id else []
    rule = foreign_rule(
        rule_id=result.test_id,
        title=result.test_name.replace("_", " ") or result.test_id,
        severity=severity_from_word(result.issue_severity),
        scanner=SCANNER,
        description=result.issue_text,
        confidence=confidence_from_word(result.issue_confidence),
        cwe=cwe,
        references=[result.more_info] if result.more_info else [],
    )
    code = _LINE_NUMBER.sub("", result.code).strip()
    end = max(result.line_range) if result.line_range else None
    return Finding.create(
        rule=rule,
        message=result.issue_text or rule.title,
        location=SourceLocation(
            path=result.filename.removeprefix("./"),
            start_line=result.line_number,
            end_line=end,
            start_column=(result.col_offset + 1) if result.col_offset is not None else None,
            snippet=code,
        ),
        identity=code or f"{result.issue_text}|line {result.line_number}",
        properties={"tool": SCANNER},
    )
