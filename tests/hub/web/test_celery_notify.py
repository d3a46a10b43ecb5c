"""At scale: the Celery import task queues the follow-up task, whose worker delivers the
notifications (real Redis broker from SHIELDWALL_TEST_REDIS_URL, real HTTP receiver)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest

from shieldwall.hub.jobs.celery_app import make_celery
from shieldwall.hub.jobs.names import CLOCK_TASK
from shieldwall.hub.notify.config import RuleSpec
from shieldwall.hub.notify.contract import EventKind
from tests.hub.conftest import World, build_world, data
from tests.hub.test_celery import redis_url, wait_for  # noqa: F401 - the fixture
from tests.hub.web.conftest import HUB_URL, SECRET_KEY, Receiver
from tests.hub.web.test_notify_dispatch import _rule, _webhook

pytestmark = pytest.mark.redis


@pytest.fixture
def celery_settings_world(sqlite_url: str, redis_url: str) -> Iterator[World]:  # noqa: F811
    from celery.contrib.testing.worker import start_worker  # type: ignore[import-untyped]

    queue = f"shieldwall-test-{uuid.uuid4().hex[:8]}"
    for world in build_world(
        sqlite_url,
        broker_url=redis_url,
        job_queue=queue,
        secret_key=SECRET_KEY,
        public_url=HUB_URL,
    ):
        settings = world.client.app.state.hub.settings  # type: ignore[attr-defined]
        worker_app = make_celery(settings)
        assert worker_app.conf.beat_schedule["hub-clock-notifications"]["task"] == CLOCK_TASK
        with start_worker(
            worker_app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
        ):
            yield world


def test_worker_delivers_the_scan_notifications(
    celery_settings_world: World, receiver: Receiver
) -> None:
    world = celery_settings_world
    _webhook(world, receiver.url)
    _rule(world, RuleSpec("hook", EventKind.NEW_FINDINGS))
    headers = world.auth("developer")
    response = world.client.post(
        "/api/v1/projects/shop/scans", content=data("trivy.json"), headers=headers
    )
    assert response.status_code == 202
    assert wait_for(world, response.json()["job_id"], headers)["status"] == "done"
    deadline = time.monotonic() + 30
    while not receiver.requests and time.monotonic() < deadline:
        time.sleep(0.1)
    (request,) = receiver.requests
    body = json.loads(request[2])
    assert body["event"] == "new_findings" and len(body["findings"]) == 5
