"""The sink contract."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from shieldwall.monitor.alerts import Alert


class AlertSink(Protocol):
    """Delivers alerts somewhere; ``close`` flushes and reports what could not be delivered."""

    def send(self, alerts: Sequence[Alert]) -> None:
        """Queue or deliver some alerts."""
        ...

    def close(self) -> None:
        """Deliver what is queued; raise :class:`SinkError` if some alerts stay undelivered."""
        ...
