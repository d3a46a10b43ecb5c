"""Request bodies of the triage endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.hub.triage.service import MAX_BULK, TriageAction


class TriageBody(BaseModel):
    """A triage action on one finding (the id is in the path)."""

    model_config = ConfigDict(extra="forbid")

    action: TriageAction
    reason: str = Field(default="", max_length=2000)
    expires_at: datetime | None = None
    assignee: str | None = Field(default=None, max_length=150)


class BulkTriageBody(TriageBody):
    """A triage action on many findings."""

    finding_ids: list[int] = Field(min_length=1, max_length=MAX_BULK)


class TriagePublic(BaseModel):
    """Which findings changed."""

    changed: list[int]


class CommentCreate(BaseModel):
    """A new comment."""

    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=10000)
