"""HTTP endpoints to upload reports and follow their import."""

from __future__ import annotations

import tempfile
from typing import IO

from fastapi import APIRouter, Request, Response, status
from starlette.concurrency import run_in_threadpool

from shieldwall.hub.db.models import ImportJob
from shieldwall.hub.deps import CurrentUser, SessionDep, StateDep
from shieldwall.hub.enums import JobStatus
from shieldwall.hub.errors import ImportFormatError
from shieldwall.hub.projects.schemas import ScanPublic
from shieldwall.hub.scans import service
from shieldwall.hub.scans.schemas import ImportPublic
from shieldwall.hub.scans.service import SPOOL_BYTES

router = APIRouter(tags=["scans"])


async def _spool_body(request: Request, limit: int) -> IO[bytes]:
    """The body in a spooled file (on disk past a few MiB), the limit enforced while reading."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                break
            await run_in_threadpool(spool.write, chunk)
    except BaseException:
        spool.close()
        raise
    if size > limit:
        spool.close()
        raise ImportFormatError(f"the upload is over the limit of {limit} bytes")
    spool.seek(0)
    return spool


@router.post(
    "/projects/{name}/scans",
    status_code=status.HTTP_201_CREATED,
    responses={202: {"model": ImportPublic, "description": "queued for a worker"}},
)
async def upload(
    name: str,
    request: Request,
    response: Response,
    session: SessionDep,
    me: CurrentUser,
    state: StateDep,
    branch: str = "main",
    format: str = "auto",
    commit: str | None = None,
    complete: bool = True,
) -> ImportPublic:
    """Upload a report (the raw document as the body); imported now or queued to a worker."""
    with await _spool_body(request, state.settings.max_upload_bytes) as document:
        job = await run_in_threadpool(
            service.create_import_job,
            session,
            me,
            project=name,
            branch=branch,
            data=document,
            fmt=format,
            commit=commit,
            complete=complete,
        )
    # The job must be visible to the runner (another transaction or another process).
    await run_in_threadpool(session.commit)
    outcome = await run_in_threadpool(state.jobs.submit_import, job.id)
    if outcome is None:
        response.status_code = status.HTTP_202_ACCEPTED
        return ImportPublic(job_id=job.id, status=JobStatus.QUEUED)
    return ImportPublic(
        job_id=job.id,
        status=JobStatus.DONE,
        scan_id=outcome.scan_id,
        format=outcome.format,
        scanner=outcome.scanner,
        duplicate=outcome.duplicate,
        total=outcome.total,
        new=outcome.new,
        reopened=outcome.reopened,
        fixed=outcome.fixed,
    )


def _job_public(job: ImportJob) -> ImportPublic:
    return ImportPublic(
        job_id=job.id, status=JobStatus(job.status), scan_id=job.scan_id, error=job.error
    )


@router.get("/jobs/{job_id}")
def get_job(job_id: int, session: SessionDep, me: CurrentUser) -> ImportPublic:
    """The state of an import job."""
    job = service.get_job(session, me, job_id)
    public = _job_public(job)
    if job.scan_id is not None:
        scan = service.get_scan(session, me, job.scan_id)
        public = public.model_copy(
            update={
                "format": scan.format,
                "scanner": scan.scanner,
                "total": scan.total,
                "new": scan.new,
                "reopened": scan.reopened,
                "fixed": scan.fixed,
            }
        )
    return public


@router.get("/scans/{scan_id}")
def get_scan(scan_id: int, session: SessionDep, me: CurrentUser) -> ScanPublic:
    """One scan."""
    return ScanPublic.model_validate(service.get_scan(session, me, scan_id))
