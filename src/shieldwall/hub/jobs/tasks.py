"""The job bodies, independent of how they are run (in-process or on a Celery worker).

Each is idempotent: an import job that is already done returns its scan; one whose import
committed but whose "done" mark was lost cannot happen, because both are in one transaction.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub import sla
from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import ImportJob, Project, Scan
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import JobStatus
from shieldwall.hub.errors import HubError, NotFoundError
from shieldwall.hub.scans.ingest import IngestOutcome, ingest
from shieldwall.hub.scans.lifecycle import expire_acceptances, snapshot_open_counts
from shieldwall.hub.scans.service import drop_payload, open_payload
from shieldwall.hub.settings import SlaPolicy
from shieldwall.hub.workspace.sla_store import load_sla

log = logging.getLogger(__name__)
# Errors worth retrying: the database went away or a transaction was aborted by contention.
RETRYABLE = (OperationalError, DBAPIError)


def run_import(factory: sessionmaker[Session], policy: SlaPolicy, job_id: int) -> IngestOutcome:
    """Run one import job once; raises a RETRYABLE error for the caller to retry."""
    with transaction(factory) as session:
        job = session.get(ImportJob, job_id, with_for_update=True)
        if job is None:
            raise NotFoundError(f"no import job {job_id}")
        if job.status == JobStatus.DONE.value and job.scan_id is not None:
            scan = session.get(Scan, job.scan_id)
            if scan is not None:
                return IngestOutcome(scan.id, scan.format, scan.scanner, True, scan.total, 0, 0, 0)
        job.attempts += 1
        with open_payload(session, job) as document:
            outcome = ingest(
                session,
                project_id=job.project_id,
                branch=job.branch,
                data=document,
                fmt=job.format,
                commit=job.commit,
                complete=job.complete,
                actor=job.requested_by,
                policy=load_sla(session, policy),  # the settings page's policy, once saved
            )
        drop_payload(session, job)
        job.status, job.scan_id, job.error = (JobStatus.DONE.value, outcome.scan_id, None)
        return outcome


def run_import_once(
    factory: sessionmaker[Session], policy: SlaPolicy, job_id: int
) -> IngestOutcome:
    """Run an import once; a document that cannot be imported marks the job failed (no retry)."""
    try:
        return run_import(factory, policy, job_id)
    except HubError as exc:
        _mark_failed(factory, job_id, str(exc))
        raise


def run_import_with_retries(
    factory: sessionmaker[Session], policy: SlaPolicy, job_id: int, attempts: int
) -> IngestOutcome:
    """Run an import, retrying database failures with backoff (the in-process runner)."""
    delay = 0.2
    for attempt in range(1, attempts + 1):
        try:
            return run_import_once(factory, policy, job_id)
        except RETRYABLE:
            if attempt == attempts:
                _mark_failed(factory, job_id, "the database failed on every attempt")
                raise
            log.warning("import job %s failed on attempt %s; retrying", job_id, attempt)
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _mark_failed(factory: sessionmaker[Session], job_id: int, reason: str | None) -> None:
    try:
        with transaction(factory) as session:
            job = session.get(ImportJob, job_id)
            if job is not None and job.status != JobStatus.DONE.value:
                job.status = JobStatus.FAILED.value
                drop_payload(session, job)
                job.error = (reason or "the document could not be imported")[:2000]
    except RETRYABLE:
        log.exception("could not record the failure of import job %s", job_id)


def run_maintenance(
    factory: sessionmaker[Session], policy: SlaPolicy, now: datetime | None = None
) -> dict[str, int]:
    """Expire risk acceptances, recompute SLA due dates and snapshot every project."""
    now = now or utcnow()
    with transaction(factory) as session:
        expired = expire_acceptances(session, now)
        recomputed = sla.recompute(session, policy)
        for project_id in session.scalars(select(Project.id)):
            snapshot_open_counts(session, project_id, now)
    return {"expired": len(expired), "sla_recomputed": recomputed}
