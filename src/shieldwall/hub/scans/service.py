"""Uploads become import jobs; the job runner imports them. Never imports FastAPI."""

from __future__ import annotations

import io
import tempfile
from typing import IO, cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from shieldwall.hub.db.models import ImportChunk, ImportJob, Scan
from shieldwall.hub.enums import JobStatus, Permission
from shieldwall.hub.errors import InvalidRequestError, NotFoundError
from shieldwall.hub.importers import importer_for
from shieldwall.hub.permissions import Principal, require
from shieldwall.hub.projects.service import project_by_name

# Uploads are stored in pieces of this size, and spooled to disk past SPOOL_BYTES.
CHUNK_BYTES = 1024 * 1024
SPOOL_BYTES = 8 * 1024 * 1024


def create_import_job(
    session: Session,
    principal: Principal,
    *,
    project: str,
    branch: str,
    data: bytes | IO[bytes],
    fmt: str | None,
    commit: str | None,
    complete: bool,
) -> ImportJob:
    """Store an upload as a queued job (its document is kept in chunks until imported)."""
    target = project_by_name(session, principal, project, Permission.UPLOAD)
    branch = branch.strip()
    if not branch or len(branch) > 255:
        raise InvalidRequestError("branch must be 1-255 characters")
    if fmt and fmt != "auto":
        importer_for(fmt)  # an unknown format fails now, not in the job
    document = io.BytesIO(data) if isinstance(data, bytes) else data
    document.seek(0)
    if not _has_content(document):
        raise InvalidRequestError("the uploaded document is empty")
    job = ImportJob(
        project_id=target.id,
        branch=branch,
        format=None if fmt in (None, "", "auto") else fmt,
        commit=(commit or None) and commit[:64],
        complete=complete,
        payload=None,
        status=JobStatus.QUEUED.value,
        requested_by=principal.username,
    )
    session.add(job)
    session.flush()
    _store_chunks(session, job.id, document)
    return job


def _has_content(document: IO[bytes]) -> bool:
    """Whether the document holds anything but whitespace (read in bounded pieces)."""
    document.seek(0)
    while piece := document.read(CHUNK_BYTES):
        if piece.strip():
            return True
    return False


def _store_chunks(session: Session, job_id: int, document: IO[bytes]) -> None:
    """Store the upload in pieces, one in memory at a time (a worker elsewhere reads them)."""
    document.seek(0)
    seq = 0
    table = cast(Table, ImportChunk.__table__)
    while piece := document.read(CHUNK_BYTES):
        session.execute(insert(table).values(job_id=job_id, seq=seq, data=piece))
        seq += 1


def open_payload(session: Session, job: ImportJob) -> IO[bytes]:
    """The job's document as a spooled file (on disk past a few MiB), read piece by piece."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    if job.payload is not None:  # a job queued before migration 0004
        spool.write(job.payload)
    chunks = session.execute(
        select(ImportChunk.data)
        .where(ImportChunk.job_id == job.id)
        .order_by(ImportChunk.seq)
        .execution_options(yield_per=1)
    )
    for (piece,) in chunks:
        spool.write(piece)
    spool.seek(0)
    return spool


def drop_payload(session: Session, job: ImportJob) -> None:
    """Forget the job's document once it is imported (or failed for good)."""
    job.payload = None
    session.execute(delete(ImportChunk).where(ImportChunk.job_id == job.id))


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
