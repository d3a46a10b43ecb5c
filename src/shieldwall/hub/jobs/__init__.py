"""Background jobs: in-process by default, Celery workers when a broker is configured."""

from __future__ import annotations

from shieldwall.hub.jobs.runner import CeleryRunner, InProcessRunner, JobRunner, make_runner

__all__ = ["CeleryRunner", "InProcessRunner", "JobRunner", "make_runner"]
