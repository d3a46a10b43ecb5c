"""Helpers for the IaC analyzer tests: run it on files written to a temporary directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from shieldwall.analyzers.iac import IacAnalyzer, IacConfig
from shieldwall.core import AnalysisContext, File, Finding, ScanError

Run = Callable[..., tuple[list[Finding], list[ScanError]]]


@pytest.fixture
def run_iac(tmp_path: Path) -> Run:
    """Write ``{relative path: text or bytes}`` and analyse them as one group."""

    def run(
        files: dict[str, str | bytes], config: IacConfig | None = None
    ) -> tuple[list[Finding], list[ScanError]]:
        group = []
        for rel, content in files.items():
            path = tmp_path / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            group.append(File(path=rel, abspath=str(path), size=path.stat().st_size))
        ctx = AnalysisContext(root=str(tmp_path), config=config or IacConfig())
        out = list(IacAnalyzer().analyze(group, ctx))
        findings = [o for o in out if isinstance(o, Finding)]
        errors = [o for o in out if isinstance(o, ScanError)]
        return findings, errors

    return run


def pairs(findings: list[Finding]) -> set[tuple[str, int]]:
    """(rule id, line) of each finding."""
    return {(f.rule.id, f.location.start_line) for f in findings}  # type: ignore[union-attr]
