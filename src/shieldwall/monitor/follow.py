"""Following a growing log file, with rotation and truncation, from a checkpointed offset.

A checkpoint is (device, inode, byte offset, line number). On each poll the follower reads the
complete lines after the offset (a partial last line waits for its newline). If the path now names
another file (rotation: new inode) reading starts at its beginning; if the file shrank below the
offset (truncation: ``copytruncate``), too. Lines that were written to the old file after the last
poll and before the rotation are lost unless the rotated file is replayed; see docs/monitor.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.reader import MAX_LINE_BYTES, LineProblem

MAX_BATCH_BYTES = 4 * 1024 * 1024  # one poll reads at most this much; the next goes on


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Where reading of one file stopped."""

    device: int = 0
    inode: int = 0
    offset: int = 0
    line: int = 0


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", errors="backslashreplace").rstrip("\r\n")


Line = tuple[int, str] | LineProblem


def poll(path: Path, checkpoint: Checkpoint) -> tuple[list[Line], Checkpoint]:
    """The complete new lines of ``path`` after ``checkpoint``, and the checkpoint after them."""
    try:
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            current = checkpoint
            if (stat.st_dev, stat.st_ino) != (checkpoint.device, checkpoint.inode) or (
                stat.st_size < checkpoint.offset
            ):
                current = Checkpoint(stat.st_dev, stat.st_ino, 0, 0)
            handle.seek(current.offset)
            data = handle.read(MAX_BATCH_BYTES)
    except FileNotFoundError:
        return [], checkpoint  # between rotation and re-creation: try again next poll
    except OSError as exc:
        raise LogParseError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    end = data.rfind(b"\n")
    if end < 0:
        if len(data) >= MAX_BATCH_BYTES:  # one enormous line: skip it rather than stall forever
            skipped = replace(current, offset=current.offset + len(data))
            return [LineProblem(str(path), current.line + 1, "enormous line, skipped")], skipped
        return [], current
    lines: list[Line] = []
    number = current.line
    for raw in data[: end + 1].split(b"\n")[:-1]:
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            lines.append(LineProblem(str(path), number, f"line longer than {MAX_LINE_BYTES} bytes"))
        elif b"\x00" in raw:
            lines.append(LineProblem(str(path), number, "binary data (NUL bytes), skipped"))
        elif raw.strip():
            lines.append((number, _decode(raw)))
    return lines, replace(current, offset=current.offset + end + 1, line=number)
