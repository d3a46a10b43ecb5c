"""How jobs run: synchronously in the API process, or queued to Celery workers."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.jobs.names import IMPORT_TASK
from shieldwall.hub.jobs.tasks import run_import_with_retries
from shieldwall.hub.scans.ingest import IngestOutcome
from shieldwall.hub.settings import HubSettings


class JobRunner(Protocol):
    """Runs import jobs; ``None`` means queued (the caller polls the job)."""

    def submit_import(self, job_id: int) -> IngestOutcome | None:
        """Run or queue the import job."""
        ...


class InProcessRunner:
    """Runs jobs at once in the calling thread (the embedded default)."""

    def __init__(self, factory: sessionmaker[Session], settings: HubSettings) -> None:
        self._factory = factory
        self._settings = settings

    def submit_import(self, job_id: int) -> IngestOutcome | None:
        """Import now, retrying database failures."""
        return run_import_with_retries(
            self._factory, self._settings.sla, job_id, self._settings.job_retries
        )


class CeleryRunner:
    """Queues jobs to Celery workers through the configured broker."""

    def __init__(self, celery_app: Any) -> None:
        self._app = celery_app

    def submit_import(self, job_id: int) -> IngestOutcome | None:
        """Queue the import; the worker records the outcome on the job."""
        self._app.send_task(IMPORT_TASK, args=[job_id])
        return None


def make_runner(factory: sessionmaker[Session], settings: HubSettings) -> JobRunner:
    """Celery when a broker is configured, in-process otherwise."""
    if settings.broker_url:
        from shieldwall.hub.jobs.celery_app import make_celery

        return CeleryRunner(make_celery(settings))
    return InProcessRunner(factory, settings)
