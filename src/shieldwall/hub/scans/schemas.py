"""Response bodies of the upload and job endpoints."""

from __future__ import annotations

from pydantic import BaseModel

from shieldwall.hub.enums import JobStatus


class ImportPublic(BaseModel):
    """The outcome of an upload: done (with counts) or queued (poll the job)."""

    job_id: int
    status: JobStatus
    scan_id: int | None = None
    format: str | None = None
    scanner: str | None = None
    duplicate: bool = False
    total: int = 0
    new: int = 0
    reopened: int = 0
    fixed: int = 0
    error: str | None = None
