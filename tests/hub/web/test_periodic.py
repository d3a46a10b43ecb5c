"""The embedded hub's periodic thread runs maintenance and the clock notifications by itself."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from sqlalchemy import update

from shieldwall.hub.db.models import Finding
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.notify.config import RuleSpec
from shieldwall.hub.notify.contract import EventKind
from tests.hub.conftest import build_world, data
from tests.hub.web.conftest import HUB_URL, SECRET_KEY, Receiver, upload
from tests.hub.web.test_notify_dispatch import _rule, _webhook


def test_the_timer_reports_an_sla_breach_once(sqlite_url: str, receiver: Receiver) -> None:
    for world in build_world(
        sqlite_url, secret_key=SECRET_KEY, public_url=HUB_URL, periodic_seconds=1
    ):
        _webhook(world, receiver.url)
        _rule(world, RuleSpec("hook", EventKind.SLA_BREACH))
        upload(world, data("bandit.json"))
        with world.sessions() as session:
            # Maintenance recomputes due dates from first_seen, so age the findings instead.
            session.execute(update(Finding).values(first_seen=utcnow() - timedelta(days=400)))
            session.commit()
        deadline = time.monotonic() + 20
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2.5)  # two more ticks: nothing new to tell
        assert len(receiver.requests) == 1
        body = json.loads(receiver.requests[0][2])
        assert body["event"] == "sla_breach" and len(body["findings"]) == 6
