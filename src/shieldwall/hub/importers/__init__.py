"""Importers of foreign report formats, listed in one place.

``BUILTIN_IMPORTERS`` is the one list; ``shieldwall.plugins.builtin_importers`` returns it for the
registry, and :func:`detect_format` tries them in order (most specific first).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import IO

from shieldwall.hub.errors import ImportFormatError
from shieldwall.hub.importers.bandit import BanditImporter
from shieldwall.hub.importers.base import DETECT_BYTES, ImportedReport, ReportImporter
from shieldwall.hub.importers.checkov import CheckovImporter
from shieldwall.hub.importers.cyclonedx import CycloneDxImporter
from shieldwall.hub.importers.dependabot import DependabotImporter
from shieldwall.hub.importers.gitleaks import GitleaksImporter
from shieldwall.hub.importers.osv_scanner import OsvScannerImporter
from shieldwall.hub.importers.sarif import SarifImporter
from shieldwall.hub.importers.sarif_stream import parse_sarif_file
from shieldwall.hub.importers.semgrep import SemgrepImporter
from shieldwall.hub.importers.shieldwall_json import ShieldwallJsonImporter
from shieldwall.hub.importers.trivy import TrivyImporter
from shieldwall.hub.importers.zap import ZapImporter

# Order matters for detection: formats with the most distinctive markers come first.
BUILTIN_IMPORTERS: tuple[ReportImporter, ...] = (
    SarifImporter(),
    CycloneDxImporter(),
    ShieldwallJsonImporter(),
    TrivyImporter(),
    CheckovImporter(),  # before Semgrep: Checkov results also carry "check_id"
    SemgrepImporter(),
    BanditImporter(),
    OsvScannerImporter(),
    ZapImporter(),
    GitleaksImporter(),
    DependabotImporter(),
)


def importer_for(
    fmt: str, importers: Iterable[ReportImporter] = BUILTIN_IMPORTERS
) -> ReportImporter:
    """The importer of a named format; the error lists the known ones."""
    table = {i.format: i for i in importers}
    try:
        return table[fmt]
    except KeyError:
        known = ", ".join(sorted(table))
        raise ImportFormatError(f"unknown format {fmt!r}; known: {known}") from None


def detect_format(
    data: bytes, importers: Iterable[ReportImporter] = BUILTIN_IMPORTERS
) -> ReportImporter:
    """The importer whose ``detect`` accepts the document's head."""
    head = data[:DETECT_BYTES]
    for importer in importers:
        if importer.detect(head):
            return importer
    raise ImportFormatError(
        "could not recognise the report format; pass the format explicitly "
        f"(one of: {', '.join(sorted(i.format for i in importers))})"
    )


# Documents larger than this are parsed as a stream when their format allows (SARIF, the
# format of the largest reports), so a huge upload is never held in memory whole.
STREAM_BYTES = 64 * 1024 * 1024


def parse_document(data: bytes | IO[bytes], fmt: str | None = None) -> tuple[str, ImportedReport]:
    """Parse a document (bytes or a seekable file) with the named (or detected) importer."""
    if isinstance(data, bytes):
        if not data.strip():
            raise ImportFormatError("the uploaded document is empty")
        importer = importer_for(fmt) if fmt and fmt != "auto" else detect_format(data)
        return importer.format, importer.parse_report(data)
    data.seek(0)
    head = data.read(DETECT_BYTES)
    if not head.strip():
        raise ImportFormatError("the uploaded document is empty")
    importer = importer_for(fmt) if fmt and fmt != "auto" else detect_format(head)
    size = data.seek(0, os.SEEK_END)
    if importer.format == SarifImporter.format and size > STREAM_BYTES:
        return importer.format, parse_sarif_file(data)
    data.seek(0)
    return importer.format, importer.parse_report(data.read())


__all__ = [
    "BUILTIN_IMPORTERS",
    "STREAM_BYTES",
    "ImportedReport",
    "ReportImporter",
    "detect_format",
    "importer_for",
    "parse_document",
]
