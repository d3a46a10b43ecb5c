"""Threat models in the hub: a model per project and name, its versions, and their threats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shieldwall.hub.db.base import Base
from shieldwall.hub.db.types import utcnow


class ThreatModelRecord(Base):
    """A threat model of a project (a project may keep several, e.g. one per service)."""

    __tablename__ = "threat_models"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    latest_version: Mapped[int] = mapped_column(Integer, default=0)


class ThreatModelVersion(Base):
    """One uploaded version; the same content uploaded again is the same version (dedupe)."""

    __tablename__ = "threat_model_versions"
    __table_args__ = (
        UniqueConstraint("model_id", "content_hash"),
        UniqueConstraint("model_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("threat_models.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text)
    commit: Mapped[str | None] = mapped_column(String(64))
    branch: Mapped[str | None] = mapped_column(String(255))
    author: Mapped[str] = mapped_column(String(150), default="")
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    elements: Mapped[int] = mapped_column(Integer, default=0)
    threats: Mapped[int] = mapped_column(Integer, default=0)
    blocking: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)


class ThreatRecord(Base):
    """A threat of one version (``RULE@element``) with the status the model gave it."""

    __tablename__ = "threat_model_threats"
    __table_args__ = (
        UniqueConstraint("version_id", "threat_id"),
        Index(None, "version_id", "severity_rank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("threat_model_versions.id", ondelete="CASCADE")
    )
    threat_id: Mapped[str] = mapped_column(String(400))
    rule_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    stride: Mapped[str] = mapped_column(String(40))
    element: Mapped[str] = mapped_column(String(255))
    element_type: Mapped[str] = mapped_column(String(20))
    element_name: Mapped[str] = mapped_column(Text, default="")
    line: Mapped[int] = mapped_column(Integer, default=0)
    severity: Mapped[str] = mapped_column(String(10))
    severity_rank: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    status_note: Mapped[str] = mapped_column(Text, default="")
    blocking: Mapped[bool] = mapped_column(default=False)
    cwe: Mapped[list[str]] = mapped_column(JSON, default=list)
    capec: Mapped[list[str]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
