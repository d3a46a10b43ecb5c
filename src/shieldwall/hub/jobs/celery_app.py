"""The Celery application for ``shieldwall hub worker``; tasks stay thin and idempotent."""

from __future__ import annotations

from typing import Any

from celery import Celery  # type: ignore[import-untyped]
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.db.engine import make_engine, make_session_factory
from shieldwall.hub.jobs.names import IMPORT_TASK, MAINTENANCE_TASK
from shieldwall.hub.jobs.tasks import RETRYABLE, run_import_once, run_maintenance
from shieldwall.hub.settings import HubSettings


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
        del self
        return run_import_once(factory(), settings.sla, job_id).scan_id

    @app.task(name=MAINTENANCE_TASK, shared=False)  # type: ignore[untyped-decorator]
    def maintenance() -> dict[str, int]:
        return run_maintenance(factory(), settings.sla)

    app.conf.beat_schedule = {
        "hub-maintenance": {"task": MAINTENANCE_TASK, "schedule": 3600.0},
    }
    return app
