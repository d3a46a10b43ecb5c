"""Response bodies of the threat model endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class ThreatModelPublic(BaseModel):
    """A threat model of a project and its newest version number."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: datetime
    latest_version: int


class VersionPublic(BaseModel):
    """One version of a model (without its source)."""

    model_config = ConfigDict(from_attributes=True)

    number: int
    content_hash: str
    path: str
    title: str
    commit: str | None
    branch: str | None
    author: str
    uploaded_at: datetime
    elements: int
    threats: int
    blocking: int
    warnings: list[str]


class VersionDetail(VersionPublic):
    """One version with its model source."""

    model: str
    source: str


class UploadPublic(BaseModel):
    """What an upload created (or found: ``duplicate``)."""

    model: str
    version: VersionPublic
    duplicate: bool


class LinkedFinding(BaseModel):
    """A hub finding that evidences a threat: located in the component, with a shared CWE."""

    id: int
    rule_id: str
    title: str
    severity: str
    status: str
    cwe: str | None
    path: str
    line: int | None


class ThreatPublic(BaseModel):
    """A threat of a version, its status, and the hub findings linked to it."""

    model_config = ConfigDict(from_attributes=True)

    threat_id: str
    rule_id: str
    title: str
    stride: str
    element: str
    element_type: str
    element_name: str
    line: int
    severity: str
    status: str
    status_note: str
    blocking: bool
    cwe: list[str]
    capec: list[str]
    evidence: list[dict[str, object]]
    findings: list[LinkedFinding] = []


class StatusChange(BaseModel):
    """A threat whose status differs between the two versions."""

    threat_id: str
    before: str
    after: str


class DiffPublic(BaseModel):
    """What changed from version ``base`` to version ``head``."""

    model: str
    base: int
    head: int
    added_elements: list[str]
    removed_elements: list[str]
    changed_elements: list[str]
    new_crossing_flows: list[str]
    new_threats: list[str]
    resolved_threats: list[str]
    status_changes: list[StatusChange]
    severity_changes: list[StatusChange]


class FindingThreat(BaseModel):
    """A threat (of the newest version of a model) that a finding evidences."""

    model: str
    version: int
    threat_id: str
    title: str
    element: str
    severity: str
    status: str
