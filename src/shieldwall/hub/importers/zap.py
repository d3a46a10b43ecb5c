"""OWASP ZAP JSON (the ``traditional-json`` report: sites, alerts, instances)."""

from __future__ import annotations

import html
import re
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.finding import Finding
from shieldwall.core.location import UrlLocation
from shieldwall.core.severity import Confidence, Severity
from shieldwall.hub.importers.base import (
    ImportedReport,
    ImporterBase,
    foreign_rule,
    head_has,
    load_json,
    validate,
)

SCANNER = "zap"
_TAG = re.compile(r"<[^>]+>")
_RISK = {"0": Severity.INFO, "1": Severity.LOW, "2": Severity.MEDIUM, "3": Severity.HIGH}
# ZAP confidence: 0 false positive, 1 low, 2 medium, 3 high, 4 confirmed by a user.
_CONFIDENCE = {
    "1": Confidence.LOW,
    "2": Confidence.MEDIUM,
    "3": Confidence.HIGH,
    "4": Confidence.HIGH,
}


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class _Instance(_Open):
    uri: str
    method: str = "GET"
    param: str = ""
    evidence: str = ""


class _Alert(_Open):
    pluginid: str
    alert_ref: str | None = Field(None, alias="alertRef")
    alert: str = ""
    name: str = ""
    riskcode: str = "2"
    confidence: str = "2"
    desc: str = ""
    solution: str = ""
    reference: str = ""
    cweid: str = ""
    instances: list[_Instance] = Field(default_factory=list)


class _Site(_Open):
    name: str = Field("", alias="@name")
    alerts: list[_Alert] = Field(default_factory=list)


class _Report(_Open):
    version: str = Field("", alias="@version")
    site: list[_Site]


def _text(markup: str) -> str:
    return html.unescape(_TAG.sub(" ", markup)).strip()


class ZapImporter(ImporterBase):
    """Alerts from a ZAP JSON report, one finding per alert instance."""

    format: ClassVar[str] = "zap"
    description: ClassVar[str] = "OWASP ZAP JSON"

    def detect(self, head: bytes) -> bool:
        """ZAP reports name ``@programName`` or hold ``site`` with ``alerts``."""
        return b'"@programName"' in head or head_has(head, b'"site"', b'"pluginid"')

    def parse_report(self, data: bytes) -> ImportedReport:
        """Findings for every instance of every alert (false positives, confidence 0, skipped)."""
        report = validate(_Report, load_json(data, "zap"), "zap")
        findings = [
            _finding(alert, instance)
            for site in report.site
            for alert in site.alerts
            if alert.confidence != "0"
            for instance in alert.instances or [_Instance(uri=site.name)]
        ]
        return ImportedReport(tool=SCANNER, findings=tuple(findings), tool_version=report.version)


def _finding(alert: _Alert, instance: _Instance) -> Finding:
    cwe = [alert.cweid] if alert.cweid and alert.cweid not in {"-1", "0"} else []
    rule = foreign_rule(
        rule_id=alert.alert_ref or alert.pluginid,
        title=alert.name or alert.alert,
        severity=_RISK.get(alert.riskcode, Severity.MEDIUM),
        scanner=SCANNER,
        description=_text(alert.desc),
        remediation=_text(alert.solution),
        confidence=_CONFIDENCE.get(alert.confidence, Confidence.MEDIUM),
        cwe=cwe,
        references=[r for r in _text(alert.reference).split() if r.startswith("http")],
    )
    return Finding.create(
        rule=rule,
        message=alert.name or alert.alert,
        location=UrlLocation(
            url=instance.uri, method=instance.method, parameter=instance.param or None
        ),
        identity=f"{instance.method}|{instance.uri}|{instance.param}",
        properties={"tool": SCANNER, "evidence": instance.evidence[:500]},
    )
