"""Alerts as JSON lines on a text stream (stdout or a file)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from shieldwall.monitor.alerts import Alert


@dataclass(slots=True)
class JsonLinesSink:
    """One JSON object per alert per line; the stream is flushed after each batch."""

    stream: TextIO

    def send(self, alerts: Sequence[Alert]) -> None:
        """Write the alerts."""
        for alert in alerts:
            self.stream.write(
                json.dumps(alert.to_json(), ensure_ascii=False, sort_keys=True) + "\n"
            )
        self.stream.flush()

    def close(self) -> None:
        """Flush (the stream belongs to the caller, who closes it)."""
        self.stream.flush()
