"""Reading log files safely: size-bounded lines, binary and encoding checks, format sniffing.

A bad line becomes a :class:`LineProblem` and reading goes on; a file that cannot be read at all
(missing, binary, no known format) raises :class:`LogParseError`, and the replay goes on with the
next file.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.event import Event
from shieldwall.monitor.parsers import GroupingParser, LineParser, LogFormat, parser_for
from shieldwall.monitor.parsers.evtxfile import is_evtx, read_evtx

MAX_LINE_BYTES = 256 * 1024
_SNIFF_LINES = 20
_SNIFF_ORDER = (
    LogFormat.JSONL,
    LogFormat.AUDITD,
    LogFormat.COMBINED,
    LogFormat.SYSLOG,
    LogFormat.APACHE_ERROR,
)


@dataclass(frozen=True, slots=True)
class LineProblem:
    """A line that was skipped, and why."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


def _open(path: Path) -> BinaryIO:
    try:
        handle: BinaryIO = path.open("rb")
        if handle.read(2) == b"\x1f\x8b":  # rotated logs are often gzipped
            handle.close()
            return gzip.open(path, "rb")  # type: ignore[return-value]
        handle.seek(0)
    except OSError as exc:
        raise LogParseError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return handle


def _is_evtx(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return is_evtx(handle.read(8))
    except OSError as exc:
        raise LogParseError(f"{path}: cannot read: {exc.strerror or exc}") from exc


_BLOCK_BYTES = 1 << 20


def _lines(handle: BinaryIO, source: str) -> Iterator[tuple[int, str] | LineProblem]:
    """Decoded lines with their numbers; oversize, binary and undecodable lines become problems.

    Read a block at a time and cut at each ``\n`` found with ``bytes.find`` (memchr), not
    ``readline()`` per line (a call per line was a tenth of a CloudTrail replay) nor
    ``split()`` (a byte-by-byte loop, slower on long lines). A line is a run of bytes ended by
    ``\n`` (or the end of the file); one longer than ``MAX_LINE_BYTES`` is reported and skipped
    without being held in memory.
    """
    lineno = 0
    pending = b""  # the start of a line whose end has not been read yet (at most MAX bytes)
    skipping = False  # inside an oversize line already reported: drop bytes up to its end
    limit = MAX_LINE_BYTES
    while True:
        try:
            block = handle.read(_BLOCK_BYTES)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise LogParseError(f"{source}: read failed after line {lineno}: {exc}") from exc
        if not block:
            break
        data = pending + block if pending else block
        binary = b"\x00" in data
        start = 0
        end = data.find(b"\n")
        if skipping and end >= 0:  # the rest of the oversize line ends here
            start, end, skipping = end + 1, data.find(b"\n", end + 1), False
        while end >= 0:
            lineno += 1
            if end - start > limit:
                yield LineProblem(source, lineno, f"line longer than {limit} bytes, skipped")
            else:
                item = _decoded(data[start:end], lineno, source, binary)
                if item is not None:
                    yield item
            start = end + 1
            end = data.find(b"\n", start)
        pending = b"" if skipping else data[start:]
        if len(pending) > limit:
            lineno += 1
            yield LineProblem(source, lineno, f"line longer than {limit} bytes, skipped")
            pending, skipping = b"", True
    if pending:
        item = _decoded(pending, lineno + 1, source, b"\x00" in pending)
        if item is not None:
            yield item


def _decoded(
    line: bytes, lineno: int, source: str, binary: bool
) -> tuple[int, str] | LineProblem | None:
    """The numbered text of one complete line, its problem, or ``None`` for a blank line."""
    if binary and b"\x00" in line:
        return LineProblem(source, lineno, "binary data (NUL bytes), skipped")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        # Logs quote attacker-controlled bytes; keep the line, mark the undecodable bytes.
        text = line.decode("utf-8", errors="backslashreplace")
    text = text.rstrip("\r")
    return (lineno, text) if text and not text.isspace() else None


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13, 27))


def _looks_binary(head: bytes) -> bool:
    """Mostly control bytes: a binary file. A few NULs are a log damaged by a crash: read it."""
    if not head:
        return False
    control = len(head) - len(head.translate(None, _CONTROL))
    return control * 10 > len(head)


def sniff(lines: list[str], year: int) -> LogFormat | None:
    """The format that parses most of a file's first lines, or ``None`` when none does."""
    best: tuple[int, LogFormat | None] = (0, None)
    for candidate in _SNIFF_ORDER:
        parser = parser_for(candidate, year)
        hits = 0
        for index, line in enumerate(lines):
            try:
                hits += parser.parse(line, "", index) is not None
            except LogParseError:
                continue
        if hits > best[0]:
            best = (hits, candidate)
    return best[1]


def parse_line(parser: LineParser, text: str, source: str, lineno: int) -> Event | LineProblem:
    """One line parsed, or the problem that stopped it."""
    try:
        event = parser.parse(text, source, lineno)
    except LogParseError as exc:
        return LineProblem(source, lineno, str(exc).removeprefix(f"{source}:{lineno}: "))
    if event is None:
        return LineProblem(source, lineno, f"not a {parser.format} line, skipped")
    return event


def feed_line(
    parser: GroupingParser, text: str, source: str, lineno: int
) -> list[Event | LineProblem]:
    """The events one line completes, or the problem that stopped it."""
    try:
        return list(parser.feed(text, source, lineno))
    except LogParseError as exc:
        return [LineProblem(source, lineno, str(exc).removeprefix(f"{source}:{lineno}: "))]


def read_events(
    path: Path, log_format: LogFormat = LogFormat.AUTO, *, year: int, source: str | None = None
) -> Iterator[Event | LineProblem]:
    """Every event of one file, in file order, with the problems of the lines that failed."""
    name = source or str(path)
    if _is_evtx(path):
        for record in read_evtx(path, name):
            if isinstance(record, Event):
                yield record
            else:
                yield LineProblem(name, record[0], record[1])
        return
    with _open(path) as handle:
        if _looks_binary(handle.read(8192)):
            raise LogParseError(f"{name}: binary file, not a log")
        handle.seek(0)
        lines = _lines(handle, name)
        parser: LineParser | None = None
        if log_format is not LogFormat.AUTO:
            parser = parser_for(log_format, year)
        pending: list[tuple[int, str] | LineProblem] = []
        if parser is None:
            for item in lines:
                pending.append(item)
                if sum(isinstance(p, tuple) for p in pending) >= _SNIFF_LINES:
                    break
            texts = [p[1] for p in pending if isinstance(p, tuple)]
            if not texts:
                yield from (p for p in pending if isinstance(p, LineProblem))
                return
            detected = sniff(texts, year)
            if detected is None:
                raise LogParseError(
                    f"{name}: no known log format (tried {', '.join(_SNIFF_ORDER)})"
                )
            parser = parser_for(detected, year)
        # Checked once: isinstance against a runtime Protocol costs ~80 us, more than a parse.
        grouping = parser if isinstance(parser, GroupingParser) else None
        if grouping is not None:
            for item in chain(pending, lines):
                if isinstance(item, LineProblem):
                    yield item
                else:
                    yield from feed_line(grouping, item[1], name, item[0])
            yield from grouping.flush()
            return
        parse = parser.parse
        for item in chain(pending, lines):
            if isinstance(item, LineProblem):
                yield item
                continue
            # parse_line() inlined: a call per line was a measurable share of a replay.
            lineno, text = item
            try:
                event = parse(text, name, lineno)
            except LogParseError as exc:
                yield LineProblem(name, lineno, str(exc).removeprefix(f"{name}:{lineno}: "))
                continue
            if event is None:
                yield LineProblem(name, lineno, f"not a {parser.format} line, skipped")
            else:
                yield event
