"""gitleaks JSON (``gitleaks detect --report-format json``).

gitleaks writes the secret in clear (``Secret``, ``Match``); ``Finding.create(secret=...)``
replaces it with a preview and a salted hash before anything is stored.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from shieldwall.core.finding import Finding
from shieldwall.core.location import SourceLocation
from shieldwall.core.severity import Confidence, Severity
from shieldwall.hub.errors import ImportFormatError
from shieldwall.hub.importers.base import (
    ImportedReport,
    ImporterBase,
    foreign_rule,
    head_has,
    load_json,
)

SCANNER = "gitleaks"


class _Leak(BaseModel):
    model_config = ConfigDict(extra="ignore")

    Description: str = ""
    StartLine: int = 1
    EndLine: int | None = None
    StartColumn: int | None = None
    EndColumn: int | None = None
    Match: str = ""
    Secret: str = ""
    File: str
    Commit: str = ""
    RuleID: str
    Tags: list[str] | None = None


_LEAKS = TypeAdapter(list[_Leak])


class GitleaksImporter(ImporterBase):
    """Leaked secrets from gitleaks' JSON report."""

    format: ClassVar[str] = "gitleaks"
    description: ClassVar[str] = "gitleaks JSON"

    def detect(self, head: bytes) -> bool:
        """A JSON array of objects with ``RuleID`` and ``Secret``."""
        return head.lstrip().startswith(b"[") and head_has(head, b'"RuleID"', b'"Secret"')

    def parse_report(self, data: bytes) -> ImportedReport:
        """One finding per leak, secrets redacted."""
        try:
            leaks = _LEAKS.validate_python(load_json(data, "gitleaks"))
        except ValidationError as exc:
            raise ImportFormatError(f"gitleaks: {exc.errors()[0]['msg']}") from exc
        return ImportedReport(tool=SCANNER, findings=tuple(_finding(leak) for leak in leaks))


def _finding(leak: _Leak) -> Finding:
    rule = foreign_rule(
        rule_id=leak.RuleID,
        title=leak.Description or leak.RuleID,
        severity=Severity.HIGH,
        scanner=SCANNER,
        confidence=Confidence.MEDIUM,
        cwe=["CWE-798"],
        tags=leak.Tags or (),
    )
    return Finding.create(
        rule=rule,
        message=f"{leak.Description or leak.RuleID} in {leak.File}",
        location=SourceLocation(
            path=leak.File,
            start_line=leak.StartLine,
            end_line=leak.EndLine,
            start_column=leak.StartColumn,
            end_column=leak.EndColumn,
            snippet=leak.Match,
        ),
        secret=leak.Secret or leak.Match or None,
        properties={"tool": SCANNER, "commit": leak.Commit} if leak.Commit else {"tool": SCANNER},
    )
