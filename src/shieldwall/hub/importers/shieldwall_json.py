"""shieldwall's own JSON report, read with the report package's schema so both stay in step."""

from __future__ import annotations

from typing import ClassVar

from shieldwall.core.errors import ReportError
from shieldwall.hub.errors import ImportFormatError
from shieldwall.hub.importers.base import ImportedReport, ImporterBase, head_has
from shieldwall.report.json_schema import parse_report


class ShieldwallJsonImporter(ImporterBase):
    """``shieldwall scan --format json`` reports; fingerprints are kept exactly as written."""

    format: ClassVar[str] = "shieldwall-json"
    description: ClassVar[str] = "shieldwall JSON report"

    def detect(self, head: bytes) -> bool:
        """Our reports (keys sorted) open with ``analyzers``, then ``errors`` and ``findings``."""
        return head_has(head, b'"analyzers"', b'"findings"') and (
            b'"fingerprint"' in head or b'"findings": []' in head
        )

    def parse_report(self, data: bytes) -> ImportedReport:
        """Every finding, suppressed ones included (the hub records their suppression)."""
        try:
            result = parse_report(data)
        except ReportError as exc:
            raise ImportFormatError(f"shieldwall-json: {exc}") from exc
        except (UnicodeDecodeError, RecursionError) as exc:
            raise ImportFormatError(f"shieldwall-json: unreadable document ({exc})") from exc
        scanners = tuple(result.analyzers) or tuple(sorted({f.scanner for f in result.findings}))
        return ImportedReport(
            tool="shieldwall",
            findings=result.findings,
            tool_version=result.tool_version,
            scanners=scanners,
        )
