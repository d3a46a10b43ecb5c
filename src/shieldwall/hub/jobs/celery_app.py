"""The Celery application for ``shieldwall hub worker``; tasks stay thin and idempotent."""

from __future__ import annotations

from typing import Any

from celery import Celery  # type: ignore[import-untyped]
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.db.engine import make_engine, make_session_factory
from shieldwall.hub.jobs.followups import run_clock, run_mentions, run_scan_followup
from shieldwall.hub.jobs.names import (
    CLOCK_TASK,
    IMPORT_TASK,
    MAINTENANCE_TASK,
    MENTIONS_TASK,
    SCAN_FOLLOWUP_TASK,
)
from shieldwall.hub.jobs.tasks import RETRYABLE, run_import_once, run_maintenance
from shieldwall.hub.settings import HubSettings
from shieldwall.hub.workspace.sla_store import load_sla


def make_celery(settings: HubSettings) -> Any:
    """A Celery app bound to the settings' broker, with the hub's tasks registered."""
    app = Celery("shieldwall-hub", broker=settings.broker_url, backend=None)
    app.conf.update(
        task_acks_late=True,  # a worker that dies mid-import leaves the job for another
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        task_ignore_result=True,
        task_default_queue=settings.job_queue,
    )
    # One engine per app instance (a worker process), built on first use.
    holder: dict[str, sessionmaker[Session]] = {}

    def factory() -> sessionmaker[Session]:
        if "factory" not in holder:
            holder["factory"] = make_session_factory(make_engine(settings.database_url))
        return holder["factory"]

    @app.task(  # type: ignore[untyped-decorator]
        name=IMPORT_TASK,
        shared=False,  # per-app: tests and workers build several apps in one process
        bind=True,
        autoretry_for=RETRYABLE,
        retry_backoff=True,
        max_retries=settings.job_retries,
    )
    def import_scan(self: Any, job_id: int) -> int:
        outcome = run_import_once(factory(), settings.sla, job_id)
        if not outcome.duplicate:
            # Its own task: a slow webhook never holds the import queue, and retries alone.
            self.app.send_task(SCAN_FOLLOWUP_TASK, args=[outcome.scan_id])
        return outcome.scan_id

    @app.task(name=MAINTENANCE_TASK, shared=False)  # type: ignore[untyped-decorator]
    def maintenance() -> dict[str, int]:
        with factory()() as session:
            policy = load_sla(session, settings.sla)
        return run_maintenance(factory(), policy)

    @app.task(name=SCAN_FOLLOWUP_TASK, shared=False)  # type: ignore[untyped-decorator]
    def scan_followup(scan_id: int) -> dict[str, int]:
        return run_scan_followup(factory(), settings, scan_id)

    @app.task(name=MENTIONS_TASK, shared=False)  # type: ignore[untyped-decorator]
    def mentions(comment_id: int) -> dict[str, int]:
        return run_mentions(factory(), settings, comment_id)

    @app.task(name=CLOCK_TASK, shared=False)  # type: ignore[untyped-decorator]
    def clock() -> dict[str, int]:
        return run_clock(factory(), settings)

    interval = float(settings.periodic_seconds or 3600)
    app.conf.beat_schedule = {
        "hub-maintenance": {"task": MAINTENANCE_TASK, "schedule": 3600.0},
        # After maintenance has recomputed due dates; marks keep it from repeating itself.
        "hub-clock-notifications": {"task": CLOCK_TASK, "schedule": interval},
    }
    return app
