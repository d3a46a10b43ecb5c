"""Jobs that follow an import or a comment, and the periodic job: notifications, ticket closing
and polling. Each is idempotent enough to retry: clock notifications are marked per finding, a
closed ticket is not closed twice, and a repeated scan notification repeats a message at worst.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

import httpx
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.db.types import utcnow
from shieldwall.hub.integrations.crypto import SecretBox
from shieldwall.hub.integrations.service import close_fixed, sync_links
from shieldwall.hub.jobs.tasks import run_maintenance
from shieldwall.hub.notify.dispatch import notify_clock, notify_mentions, notify_scan
from shieldwall.hub.settings import HubSettings
from shieldwall.hub.workspace.sla_store import load_sla

log = logging.getLogger(__name__)


def run_scan_followup(
    factory: sessionmaker[Session], settings: HubSettings, scan_id: int
) -> dict[str, int]:
    """After an import: notify the rules' channels, close tickets of fixed findings."""
    with httpx.Client() as client:
        sent = notify_scan(factory, settings, scan_id, client=client)
        closed = close_fixed(factory, SecretBox.from_settings(settings), client, scan_id)
    return {"notifications": len(sent), "tickets_closed": closed}


def run_mentions(
    factory: sessionmaker[Session], settings: HubSettings, comment_id: int
) -> dict[str, int]:
    """After a comment: tell the users it @mentions."""
    with httpx.Client() as client:
        sent = notify_mentions(factory, settings, comment_id, client=client)
    return {"notifications": len(sent)}


def run_clock(
    factory: sessionmaker[Session], settings: HubSettings, now: datetime | None = None
) -> dict[str, int]:
    """SLA breach and expiring-acceptance notifications, and ticket polling."""
    with httpx.Client() as client:
        sent = notify_clock(factory, settings, now or utcnow(), client=client)
        synced = sync_links(factory, SecretBox.from_settings(settings), client)
    return {"notifications": len(sent), "tickets_closed_remotely": synced}


def run_periodic(
    factory: sessionmaker[Session], settings: HubSettings, now: datetime | None = None
) -> dict[str, int]:
    """Everything the embedded hub does on its timer: maintenance first (it recomputes SLA
    due dates and expires acceptances), then the clock notifications."""
    now = now or utcnow()
    with factory() as session:
        policy = load_sla(session, settings.sla)
    result = run_maintenance(factory, policy, now)
    result.update(run_clock(factory, settings, now))
    return result


class PeriodicThread:
    """Runs :func:`run_periodic` every ``interval`` seconds in a daemon thread (embedded mode;
    Celery beat schedules the same work at scale). The first run waits one interval."""

    def __init__(
        self, factory: sessionmaker[Session], settings: HubSettings, interval: float
    ) -> None:
        self._factory, self._settings, self._interval = factory, settings, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hub-periodic", daemon=True)
        self.runs = 0

    def start(self) -> None:
        """Start ticking."""
        self._thread.start()

    def stop(self) -> None:
        """Stop and wait for a run in progress."""
        self._stop.set()
        self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                run_periodic(self._factory, self._settings)
            except Exception:  # a failed tick must not kill the timer
                log.exception("the periodic hub job failed; it runs again next interval")
            self.runs += 1


def start_periodic(factory: sessionmaker[Session], settings: HubSettings) -> PeriodicThread | None:
    """The embedded hub's timer; none with a broker (Celery beat runs it) or when disabled."""
    if settings.broker_url or settings.periodic_seconds <= 0:
        return None
    thread = PeriodicThread(factory, settings, float(settings.periodic_seconds))
    thread.start()
    return thread
