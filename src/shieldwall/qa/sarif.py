"""Failed security tests as SARIF 2.1.0, through the project's own SARIF reporter."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from shieldwall import __version__
from shieldwall.core.finding import Finding
from shieldwall.core.frozen import FrozenDict
from shieldwall.core.result import ScanResult
from shieldwall.qa.rules import QA_RULES, SCANNER
from shieldwall.report.sarif import SarifReporter

__all__ = ["write_sarif"]


def write_sarif(path: Path, findings: Sequence[Finding]) -> None:
    """Write ``findings`` (every qa rule is described, failed or not) to ``path``."""
    result = ScanResult(
        target="pytest",
        findings=tuple(findings),
        rules=FrozenDict({rule.id: rule for rule in QA_RULES}),
        analyzers=(SCANNER,),
        tool_version=__version__,
    )
    with path.open("w", encoding="utf-8") as stream:
        SarifReporter().write(result, stream)
