"""The parts of a shieldwall JSON report a pull-request comment needs, parsed at the boundary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from shieldwall.core.errors import UsageError

__all__ = ["ReportFinding", "load_report_findings"]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    id: str
    title: str = ""


class _Suppression(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    kind: str = ""
    reason: str = ""


class ReportFinding(BaseModel):
    """One finding as the JSON report writes it (only the fields a comment shows)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    rule: _Rule
    severity: str
    message: str = ""
    location: dict[str, Any]
    fingerprint: str
    suppressed: bool = False
    suppression: _Suppression | None = None

    @property
    def where(self) -> str:
        """A short place: ``path:line``, the package, or ``METHOD url``."""
        loc = self.location
        match loc.get("kind"):
            case "source":
                return f"{loc.get('path')}:{loc.get('start_line')}"
            case "package":
                return f"{loc.get('name')}@{loc.get('version')} ({loc.get('path')})"
            case "url":
                return f"{loc.get('method')} {loc.get('url')}"
            case _:
                return str(loc.get("path", "?"))


class _Report(BaseModel):
    model_config = ConfigDict(extra="ignore")
    findings: list[ReportFinding]


def load_report_findings(path: Path) -> list[ReportFinding]:
    """The findings of a ``shieldwall scan --format json`` report."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the report: {exc.strerror}") from exc
    try:
        return _Report.model_validate_json(raw).findings
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{path}: not a shieldwall JSON report ({where}: {first['msg']})") from exc
