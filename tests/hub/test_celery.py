"""Imports on a real Celery worker with the Redis broker (SHIELDWALL_TEST_REDIS_URL)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest

from shieldwall.hub.jobs.celery_app import make_celery
from tests.hub.conftest import REDIS_ENV, World, build_world, data

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set")
    return url


@pytest.fixture
def celery_world(sqlite_url: str, redis_url: str) -> Iterator[World]:
    from celery.contrib.testing.worker import start_worker  # type: ignore[import-untyped]

    # A queue of its own, so parallel test runs on the same Redis never take each other's jobs.
    queue = f"shieldwall-test-{uuid.uuid4().hex[:8]}"
    for world in build_world(sqlite_url, broker_url=redis_url, job_queue=queue):
        settings = world.client.app.state.hub.settings  # type: ignore[attr-defined]
        worker_app = make_celery(settings)
        with start_worker(
            worker_app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ):
            yield world


def wait_for(world: World, job_id: int, headers: dict[str, str]) -> dict[str, object]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body: dict[str, object] = world.client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.1)
    raise AssertionError("the worker did not finish the job")


def test_upload_is_queued_and_imported_by_a_worker(celery_world: World) -> None:
    headers = celery_world.auth("developer")
    response = celery_world.client.post(
        "/api/v1/projects/shop/scans", content=data("trivy.json"), headers=headers
    )
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued"
    done = wait_for(celery_world, job["job_id"], headers)
    assert done["status"] == "done" and done["total"] == 5 and done["new"] == 5
    bad = celery_world.client.post(
        "/api/v1/projects/shop/scans?format=trivy", content=b'{"x": 1}', headers=headers
    )
    failed = wait_for(celery_world, bad.json()["job_id"], headers)
    assert failed["status"] == "failed" and "SchemaVersion" in str(failed["error"])
