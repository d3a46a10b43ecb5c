"""The bounded inbox between push sources and the daemon, with per-batch acknowledgement.

A source offers a :class:`Batch` of messages; the inbox takes all of it or none (when it would
exceed ``capacity`` messages), which is the back-pressure signal: the HTTP endpoint answers 503,
the TCP listener stops reading its socket until there is room (so the sender's TCP window fills),
and UDP datagrams beyond it are counted as dropped (the protocol has no way to push back).
The daemon sets :attr:`Batch.done` once the batch's alerts were delivered, so an HTTP client is
only told "accepted" when nothing of it can be lost any more.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

from shieldwall.monitor.parsers import LogFormat


@dataclass(frozen=True, slots=True)
class Message:
    """One received log message (or the reason it was refused, in ``problem``)."""

    source: str
    number: int
    text: str
    problem: str | None = None


@dataclass(slots=True)
class Batch:
    """Messages offered together, in one format; ``done`` is set after their alerts went out."""

    source: str
    log_format: LogFormat
    messages: list[Message]
    done: threading.Event = field(default_factory=threading.Event)


class Inbox:
    """A thread-safe bounded queue of batches, counted in messages."""

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self.dropped = 0
        self._batches: deque[Batch] = deque()
        self._size = 0
        self._lock = threading.Lock()
        self._room = threading.Condition(self._lock)

    def __len__(self) -> int:
        """Messages waiting."""
        return self._size

    def offer(self, batch: Batch, timeout: float = 0.0) -> bool:
        """Queue the whole batch, waiting up to ``timeout`` seconds for room; ``False`` if full."""
        needed = len(batch.messages)
        with self._room:
            if needed > self.capacity:
                return False
            if not self._room.wait_for(lambda: self._size + needed <= self.capacity, timeout):
                return False
            self._batches.append(batch)
            self._size += needed
            return True

    def drain(self, limit: int = 50_000) -> list[Batch]:
        """Take batches (at least one if any waits) up to about ``limit`` messages."""
        taken: list[Batch] = []
        with self._room:
            count = 0
            while self._batches and (not taken or count + len(self._batches[0].messages) <= limit):
                batch = self._batches.popleft()
                count += len(batch.messages)
                taken.append(batch)
            self._size -= count
            self._room.notify_all()
        return taken
