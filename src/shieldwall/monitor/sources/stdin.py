"""Standard input as a source: lines read by a thread into the inbox until end of input."""

from __future__ import annotations

import io
import select
import threading
from typing import BinaryIO

from shieldwall.monitor.parsers import LogFormat
from shieldwall.monitor.reader import MAX_LINE_BYTES
from shieldwall.monitor.sources.inbox import Batch, Inbox, Message

_BATCH = 500


class StdinReader:
    """Reads a binary stream line by line; ``finished`` is set at end of input."""

    name = "stdin"

    def __init__(self, stream: BinaryIO, inbox: Inbox, log_format: LogFormat) -> None:
        self.stream = stream
        self.inbox = inbox
        self.log_format = log_format
        self.finished = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stdin", daemon=True)

    def start(self) -> None:
        """Start reading."""
        self._thread.start()

    def _flush(self, pending: list[Message]) -> None:
        if pending:
            # Waiting for room is stdin's back-pressure: the writer blocks on a full pipe.
            while not self.inbox.offer(Batch(self.name, self.log_format, list(pending)), 1.0):
                pass
            pending.clear()

    def _run(self) -> None:
        number = 0
        pending: list[Message] = []
        try:
            while True:
                chunk = self.stream.readline(MAX_LINE_BYTES + 1)
                if not chunk:
                    break
                number += 1
                if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
                    while chunk and not chunk.endswith(b"\n"):
                        chunk = self.stream.readline(MAX_LINE_BYTES + 1)
                    pending.append(
                        Message(self.name, number, "", f"line longer than {MAX_LINE_BYTES} bytes")
                    )
                elif b"\x00" in chunk:
                    pending.append(Message(self.name, number, "", "binary data (NUL bytes)"))
                elif chunk.strip():
                    text = chunk.decode("utf-8", errors="backslashreplace").rstrip("\r\n")
                    pending.append(Message(self.name, number, text))
                if len(pending) >= _BATCH or (pending and not self._more_buffered()):
                    self._flush(pending)
            self._flush(pending)
        finally:
            self.finished.set()

    def _more_buffered(self) -> bool:
        """Whether more input is ready now (a smaller batch is harmless when unsure)."""
        try:
            ready, _, _ = select.select([self.stream], [], [], 0)
        except (OSError, ValueError, io.UnsupportedOperation):
            return False
        return bool(ready)
