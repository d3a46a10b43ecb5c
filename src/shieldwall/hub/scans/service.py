"""Uploads become import jobs; the job runner imports them. Never imports FastAPI."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shieldwall.hub.db.models import ImportJob, Scan
from shieldwall.hub.enums import JobStatus, Permission
from shieldwall.hub.errors import InvalidRequestError, NotFoundError
from shieldwall.hub.importers import importer_for
from shieldwall.hub.permissions import Principal, require
from shieldwall.hub.projects.service import project_by_name


def create_import_job(
    session: Session,
    principal: Principal,
    *,
    project: str,
    branch: str,
    data: bytes,
    fmt: str | None,
    commit: str | None,
    complete: bool,
) -> ImportJob:
    """Store an upload as a queued job (the payload lives in the job until imported)."""
    target = project_by_name(session, principal, project, Permission.UPLOAD)
    branch = branch.strip()
    if not branch or len(branch) > 255:
        raise InvalidRequestError("branch must be 1-255 characters")
    if fmt and fmt != "auto":
        importer_for(fmt)  # an unknown format fails now, not in the job
    if not data.strip():
        raise InvalidRequestError("the uploaded document is empty")
    job = ImportJob(
        project_id=target.id,
        branch=branch,
        format=None if fmt in (None, "", "auto") else fmt,
        commit=(commit or None) and commit[:64],
        complete=complete,
        payload=data,
        status=JobStatus.QUEUED.value,
        requested_by=principal.username,
    )
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, principal: Principal, job_id: int) -> ImportJob:
    """An import job the caller may read."""
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFoundError("not found")
    require(session, principal, job.project_id, Permission.READ)
    return job


def get_scan(session: Session, principal: Principal, scan_id: int) -> Scan:
    """A scan the caller may read."""
    scan = session.get(Scan, scan_id)
    if scan is None:
        raise NotFoundError("not found")
    require(session, principal, scan.project_id, Permission.READ)
    return scan
