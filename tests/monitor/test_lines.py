"""Block reading of log lines gives exactly what reading line by line gave."""

from __future__ import annotations

import gzip
import io
import random
from collections.abc import Iterator
from typing import BinaryIO

import pytest

from shieldwall.monitor import reader
from shieldwall.monitor.reader import LineProblem, _lines


def _reference(handle: BinaryIO, source: str) -> Iterator[tuple[int, str] | LineProblem]:
    """The previous implementation (readline per line), kept as the specification."""
    limit = reader.MAX_LINE_BYTES
    lineno = 0
    while True:
        chunk = handle.readline(limit + 1)
        if not chunk:
            return
        lineno += 1
        if len(chunk) > limit and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):
                chunk = handle.readline(limit + 1)
            yield LineProblem(source, lineno, f"line longer than {limit} bytes, skipped")
            continue
        if b"\x00" in chunk:
            yield LineProblem(source, lineno, "binary data (NUL bytes), skipped")
            continue
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            text = chunk.decode("utf-8", errors="backslashreplace")
        text = text.rstrip("\r\n")
        if text.strip():
            yield lineno, text


PIECES = [
    b"a",
    b"xyz",
    b" ",
    b"\t",
    b"\r",
    b"\n",
    b"\r\n",
    b"\x00",
    b"\xff",
    b"\xc3\xa9",
    b"\xe2\x82",
]


def _random_log(rnd: random.Random, limit: int) -> bytes:
    out = bytearray()
    for _ in range(rnd.randrange(0, 60)):
        kind = rnd.random()
        if kind < 0.15:  # around the size limit, either side
            out += b"L" * rnd.choice([limit - 1, limit, limit + 1, limit + 2, 3 * limit])
        else:
            out += b"".join(rnd.choices(PIECES, k=rnd.randrange(0, 12)))
        if rnd.random() < 0.8:
            out += rnd.choice([b"\n", b"\r\n"])
    return bytes(out)


@pytest.mark.parametrize("block", [1, 2, 3, 7, 16, 64, 1 << 20])
def test_same_lines_problems_and_numbers_as_line_by_line(monkeypatch, block: int) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(reader, "MAX_LINE_BYTES", 10)
    monkeypatch.setattr(reader, "_BLOCK_BYTES", block)
    rnd = random.Random(block)
    for _ in range(300):
        data = _random_log(rnd, 10)
        got = list(_lines(io.BytesIO(data), "s"))
        assert got == list(_reference(io.BytesIO(data), "s")), data


def test_gzip_and_real_sizes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = [f"line {n} " + "é" * (n % 50) for n in range(50_000)]
    raw = ("\n".join(lines) + "\n").encode()
    packed = tmp_path / "x.log.gz"
    packed.write_bytes(gzip.compress(raw))
    with gzip.open(packed, "rb") as handle:
        got = list(_lines(handle, "x"))  # type: ignore[arg-type]
    assert got == [(n + 1, text) for n, text in enumerate(lines)]
