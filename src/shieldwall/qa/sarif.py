"""Failed security tests as SARIF 2.1.0, through the project's own SARIF reporter."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path

from shieldwall import __version__
from shieldwall.core.finding import Finding
from shieldwall.core.frozen import FrozenDict
from shieldwall.core.ids import Fingerprint
from shieldwall.core.location import UrlLocation
from shieldwall.core.result import ScanResult
from shieldwall.core.severity import Severity
from shieldwall.qa.rules import QA_RULES, SCANNER
from shieldwall.report.sarif import SarifReporter

__all__ = ["finding_from_property", "finding_to_property", "write_sarif"]


def finding_to_property(finding: Finding) -> str:
    """A failed security test's finding as JSON text (what xdist can carry in a report)."""
    location = finding.location
    assert isinstance(location, UrlLocation)  # noqa: S101 - the runner only makes URL findings
    return json.dumps(
        {
            "rule": finding.rule.id,
            "message": finding.message,
            "url": location.url,
            "method": location.method,
            "severity": finding.severity.value,
            "fingerprint": finding.fingerprint,
        }
    )


def finding_from_property(text: str) -> Finding:
    """The finding back from :func:`finding_to_property`'s text."""
    data = json.loads(text)
    rule = next(rule for rule in QA_RULES if rule.id == data["rule"])
    finding = Finding.create(
        rule=rule,
        message=data["message"],
        location=UrlLocation(url=data["url"], method=data["method"]),
        severity=Severity(data["severity"]),
    )
    return dataclasses.replace(finding, fingerprint=Fingerprint(data["fingerprint"]))


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
