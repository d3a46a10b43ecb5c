"""Windows EVTX files, read with the ``evtx`` library (a Rust parser), one event per record.

Each record is rendered to JSON by the library and normalised by
:mod:`shieldwall.monitor.parsers.windows`, exactly as a Winlogbeat or NXLog export of the same
event would be; the record id stands in for the line number. A damaged record is reported as a
problem and reading goes on (the library's ``skip_errors`` mode); a file it cannot open at all
raises :class:`LogParseError`.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.event import Event
from shieldwall.monitor.parsers.windows import evtx_record, windows_event

EVTX_MAGIC = b"ElfFile\x00"


def is_evtx(head: bytes) -> bool:
    """Whether a file's first bytes are an EVTX file header."""
    return head.startswith(EVTX_MAGIC)


def read_evtx(path: Path, source: str) -> Iterator[Event | tuple[int, str]]:
    """Every event of an EVTX file; damaged records come out as ``(record id, reason)``."""
    try:
        from evtx import PyEvtxParser
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise LogParseError(f"{source}: reading EVTX needs the 'evtx' package") from exc
    try:
        parser = PyEvtxParser(str(path), number_of_threads=1, skip_errors=True)
    except (OSError, RuntimeError) as exc:
        raise LogParseError(f"{source}: not a readable EVTX file: {exc}") from exc
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            for record in parser.records_json():
                if not isinstance(record, dict):
                    continue
                number = int(record.get("event_record_id") or 0)
                raw = str(record.get("data") or "")
                try:
                    data = json.loads(raw)
                except json.JSONDecodeError as exc:
                    yield number, f"record not rendered as JSON: {exc}"
                    continue
                windows = evtx_record(data) if isinstance(data, dict) else None
                if windows is None:
                    yield number, "record without an Event/System element"
                    continue
                yield windows_event(windows, source, number, raw)
        except RuntimeError as exc:  # an unrecoverable error (a damaged file header)
            raise LogParseError(f"{source}: EVTX parse error: {exc}") from exc
        for warning in caught:
            yield 0, f"damaged EVTX record skipped: {warning.message}"
