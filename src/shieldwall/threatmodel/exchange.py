"""The upload document: a model's YAML source and its analysed threats, as the hub stores them.

``shieldwall threatmodel check --upload`` sends this JSON document; the hub also accepts the bare
YAML and analyses it with the built-in rules. The threats travel with the source because custom
rules, sidecar risk files and linked scan findings live on the client, not in the hub.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.threatmodel.engine import Analysis
from shieldwall.threatmodel.findings import threat_to_finding


class ThreatEntry(BaseModel):
    """One threat of an uploaded model."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=3, max_length=400)
    rule: str = Field(min_length=1, max_length=100)
    title: str = Field(max_length=2000)
    stride: str = Field(max_length=40)
    element: str = Field(min_length=1, max_length=255)
    element_type: str = Field(max_length=20)
    element_name: str = Field(default="", max_length=2000)
    line: int = Field(default=0, ge=0)
    severity: Literal["critical", "high", "medium", "low", "info"]
    status: Literal["open", "mitigated", "accepted", "false_positive"]
    status_note: str = Field(default="", max_length=4000)
    blocking: bool = False
    cwe: list[str] = Field(default_factory=list, max_length=50)
    capec: list[str] = Field(default_factory=list, max_length=50)
    evidence: list[dict[str, Any]] = Field(default_factory=list, max_length=1000)


class ModelDocument(BaseModel):
    """A model version as uploaded: where it came from, its YAML and its threats."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["shieldwall-threatmodel"] = "shieldwall-threatmodel"
    version: Literal[1] = 1
    name: str = Field(default="", max_length=150)
    path: str = Field(default="", max_length=1000)
    source: str = Field(min_length=1)
    threats: list[ThreatEntry] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list, max_length=10000)

    def content_hash(self) -> str:
        """SHA-256 of the model source and its threats: the same content is the same version."""
        body = {
            "source": self.source,
            "threats": sorted(
                (t.model_dump(mode="json") for t in self.threats), key=lambda t: str(t["id"])
            ),
        }
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def to_document(analysis: Analysis, source: str, *, name: str = "") -> ModelDocument:
    """The upload document of an analysed model (``source`` is the model file's text)."""
    threats = []
    for threat in analysis.threats:
        finding = threat_to_finding(threat, analysis.model.path)
        threats.append(
            ThreatEntry(
                id=threat.id,
                rule=threat.rule.id,
                title=threat.rule.rule.title,
                stride=threat.rule.stride.value,
                element=threat.element.id,
                element_type=threat.element.type.value,
                element_name=threat.element.name,
                line=threat.element.line,
                severity=finding.severity.value,
                status=threat.status.value,
                status_note=threat.status_note,
                blocking=threat.blocking,
                cwe=list(threat.rule.rule.cwe),
                capec=[f"CAPEC-{c}" for c in threat.rule.capec],
                evidence=[
                    {
                        "rule": f.rule_id,
                        "location": f.where,
                        "message": f.message,
                        "cwe": sorted(f.cwe),
                    }
                    for f in threat.evidence
                ],
            )
        )
    return ModelDocument(
        name=name or analysis.model.name,
        path=analysis.model.path,
        source=source,
        threats=threats,
        warnings=list(analysis.warnings),
    )
