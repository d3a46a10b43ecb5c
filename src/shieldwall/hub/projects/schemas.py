"""Request and response bodies of the project endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.hub.enums import Role


class ProjectCreate(BaseModel):
    """A new project."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=150)
    description: str = Field(default="", max_length=2000)


class ProjectPublic(BaseModel):
    """A project."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    created_at: datetime


class MemberUpdate(BaseModel):
    """A role for a user on a project."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=150)
    role: Role


class ScanPublic(BaseModel):
    """A scan and what it changed."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    scanner: str
    format: str
    commit: str | None
    branch: str = ""
    complete: bool
    imported_at: datetime
    imported_by: str
    total: int
    new: int
    reopened: int
    fixed: int
