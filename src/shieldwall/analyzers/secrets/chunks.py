"""Reading a file as overlapping chunks, so memory stays flat however large the file is.

Each chunk is ``CHUNK`` bytes plus an ``OVERLAP`` that the next chunk starts over; a match is
kept by the chunk it starts in (``start < CHUNK``, or any start in the last chunk), so a secret
that crosses a chunk boundary is found once, whole, as long as it is shorter than the overlap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from shieldwall.core.errors import FileReadError
from shieldwall.core.file import File

CHUNK = 8 * 1024 * 1024
OVERLAP = 64 * 1024


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of a file: its bytes, where it starts, and whether it is the last one."""

    data: bytes
    offset: int
    last: bool


def iter_chunks(file: File, *, chunk: int = CHUNK, overlap: int = OVERLAP) -> Iterator[Chunk]:
    """The file's content as overlapping chunks; streams from disk when it is not in memory."""
    if file.data is not None or not file.abspath:
        yield from _memory_chunks(file.read_bytes(), chunk, overlap)
        return
    try:
        with open(file.abspath, "rb") as stream:  # noqa: PTH123 - streamed, not read whole
            yield from _stream_chunks(stream, chunk, overlap)
    except OSError as exc:
        raise FileReadError(f"{file.path}: cannot read ({exc.strerror or exc})") from exc


def _memory_chunks(data: bytes, chunk: int, overlap: int) -> Iterator[Chunk]:
    offset = 0
    while True:
        piece = data[offset : offset + chunk + overlap]
        last = offset + chunk + overlap >= len(data)
        yield Chunk(piece, offset, last)
        if last:
            return
        offset += chunk


def _stream_chunks(stream: BinaryIO, chunk: int, overlap: int) -> Iterator[Chunk]:
    buffer = stream.read(chunk + overlap)
    offset = 0
    while True:
        more = stream.read(chunk)
        yield Chunk(buffer, offset, not more)
        if not more:
            return
        buffer = buffer[chunk:] + more
        offset += chunk
