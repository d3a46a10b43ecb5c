"""Run the SAST analyzer over small in-memory projects."""

from __future__ import annotations

import textwrap
from pathlib import Path

from shieldwall.analyzers.sast import SastAnalyzer, SastConfig
from shieldwall.core import AnalysisContext, File, Finding, ScanError


def scan(
    root: Path, sources: dict[str, str | bytes], config: SastConfig | None = None
) -> tuple[list[Finding], list[ScanError]]:
    """Write the sources under ``root`` and analyse them as one project."""
    files = []
    for rel, text in sources.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text if isinstance(text, bytes) else textwrap.dedent(text).encode()
        path.write_bytes(data)
        files.append(File(path=rel, abspath=str(path), size=len(data)))
    ctx = AnalysisContext(root=str(root), config=config or SastConfig())
    findings: list[Finding] = []
    errors: list[ScanError] = []
    for out in SastAnalyzer().analyze(files, ctx):
        (errors if isinstance(out, ScanError) else findings).append(out)
    return findings, errors


def hits(findings: list[Finding]) -> set[tuple[str, str, int]]:
    """(rule, path, line) of each finding."""
    return {(f.rule.id, f.location.path, f.location.start_line) for f in findings}  # type: ignore[union-attr]
