"""How jobs run: synchronously in the API process, or queued to Celery workers."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.jobs.followups import run_mentions, run_scan_followup
from shieldwall.hub.jobs.names import IMPORT_TASK, MENTIONS_TASK, SCAN_FOLLOWUP_TASK
from shieldwall.hub.jobs.tasks import run_import_with_retries
from shieldwall.hub.scans.ingest import IngestOutcome
from shieldwall.hub.settings import HubSettings


class JobRunner(Protocol):
    """Runs import jobs; ``None`` means queued (the caller polls the job)."""

    def submit_import(self, job_id: int) -> IngestOutcome | None:
        """Run or queue the import job."""
        ...

    def submit_mentions(self, comment_id: int) -> None:
        """Notify the users a new comment @mentions (in the background)."""
        ...

    def close(self) -> None:
        """Finish queued background work (the app's shutdown)."""
        ...


class InProcessRunner:
    """Runs jobs at once in the calling thread (the embedded default)."""

    def __init__(self, factory: sessionmaker[Session], settings: HubSettings) -> None:
        self._factory = factory
        self._settings = settings
        # Notifications and tickets talk to other servers, with retries and backoff: one
        # background thread keeps that out of the request that uploaded the scan.
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hub-followup")
        self._pending: list[Future[Any]] = []
        self._lock = threading.Lock()  # request threads submit concurrently

    def submit_import(self, job_id: int) -> IngestOutcome | None:
        """Import now, retrying database failures; notifications follow in the background."""
        outcome = run_import_with_retries(
            self._factory, self._settings.sla, job_id, self._settings.job_retries
        )
        if not outcome.duplicate:
            self._later(run_scan_followup, outcome.scan_id)
        return outcome

    def submit_mentions(self, comment_id: int) -> None:
        """Notify mentioned users in the background."""
        self._later(run_mentions, comment_id)

    def _later(self, job: Any, arg: int) -> None:
        future = self._background.submit(job, self._factory, self._settings, arg)
        future.add_done_callback(_log_failure)
        with self._lock:
            self._pending = [f for f in self._pending if not f.done()]
            self._pending.append(future)

    def drain(self, timeout: float = 60.0) -> None:
        """Wait for the background work queued so far (tests, shutdown)."""
        with self._lock:
            pending = list(self._pending)
        for future in pending:
            future.exception(timeout=timeout)

    def close(self) -> None:
        """Finish queued work and stop the thread."""
        self._background.shutdown(wait=True)


class CeleryRunner:
    """Queues jobs to Celery workers through the configured broker."""

    def __init__(self, celery_app: Any) -> None:
        self._app = celery_app

    def submit_import(self, job_id: int) -> IngestOutcome | None:
        """Queue the import; the worker records the outcome on the job."""
        self._app.send_task(IMPORT_TASK, args=[job_id])
        return None

    def submit_mentions(self, comment_id: int) -> None:
        """Queue the mention notifications."""
        self._app.send_task(MENTIONS_TASK, args=[comment_id])

    def submit_scan_followup(self, scan_id: int) -> None:
        """Queue the notifications and ticket updates of an imported scan."""
        self._app.send_task(SCAN_FOLLOWUP_TASK, args=[scan_id])

    def close(self) -> None:
        """Nothing is held locally."""


def _log_failure(future: Future[Any]) -> None:
    exc = future.exception()
    if exc is not None:
        logging.getLogger(__name__).error("a background hub job failed: %s", exc, exc_info=exc)


def make_runner(factory: sessionmaker[Session], settings: HubSettings) -> JobRunner:
    """Celery when a broker is configured, in-process otherwise."""
    if settings.broker_url:
        from shieldwall.hub.jobs.celery_app import make_celery

        return CeleryRunner(make_celery(settings))
    return InProcessRunner(factory, settings)
