"""Layer blobs as byte streams: compression detected by magic, digests checked, size capped.

Every blob is read once, front to back; nothing is written to disk. ``HashingReader`` hashes what
passes through it so the digest is checked without a second pass; ``CappedReader`` stops a
decompression bomb after ``cap`` bytes, whatever the compressed size.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from typing import Protocol

from shieldwall.image.errors import DigestMismatchError, ImageError, LayerTooLargeError
from shieldwall.image.model import Compression

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_CHUNK = 1 << 20


class Readable(Protocol):
    """Anything with a ``read(n)`` that returns bytes."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes; ``b""`` at the end."""
        ...


class HashingReader(io.RawIOBase):
    """A read-only stream that hashes everything read through it."""

    def __init__(self, inner: Readable, digest: str, what: str) -> None:
        """Wrap ``inner``; ``digest`` is ``sha256:<hex>`` (empty: nothing to check)."""
        super().__init__()
        self._inner = inner
        self._expected = digest
        self._what = what
        algorithm = digest.split(":", 1)[0] if ":" in digest else "sha256"
        if algorithm not in {"sha256", "sha512"}:
            raise ImageError(f"{what}: unsupported digest algorithm {algorithm!r}")
        self._hash = hashlib.new(algorithm)

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Read into ``buffer``, hashing the bytes."""
        data = self._inner.read(len(buffer))
        self._hash.update(data)
        buffer[: len(data)] = data
        return len(data)

    def finish(self) -> None:
        """Drain the rest of the stream through the hash, then check the digest."""
        while self.read(_CHUNK):
            pass
        if not self._expected:
            return
        actual = f"{self._hash.name}:{self._hash.hexdigest()}"
        if actual != self._expected:
            raise DigestMismatchError(
                f"{self._what}: digest mismatch: expected {self._expected}, got {actual}"
            )


class CappedReader(io.RawIOBase):
    """A read-only stream that fails once more than ``cap`` bytes have been read."""

    def __init__(self, inner: Readable, cap: int, what: str) -> None:
        """Wrap ``inner``; ``what`` names the blob in the error."""
        super().__init__()
        self._inner = inner
        self._cap = cap
        self._what = what
        self.count = 0

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Read into ``buffer``, counting."""
        data = self._inner.read(len(buffer))
        self.count += len(data)
        if self.count > self._cap:
            raise LayerTooLargeError(
                f"{self._what}: decompresses to more than {self._cap} bytes "
                "(a decompression bomb, or raise --max-layer-size)"
            )
        buffer[: len(data)] = data
        return len(data)


class GzipReader(io.RawIOBase):
    """gzip decompression in large steps (``gzip.GzipFile`` reads in small ones).

    ``max_length`` bounds each step's output, so one small compressed chunk cannot expand into a
    huge buffer; concatenated gzip members (RFC 1952 §2.2) are read one after another.
    """

    def __init__(self, inner: Readable, what: str) -> None:
        """Decompress ``inner``."""
        super().__init__()
        self._inner = inner
        self._what = what
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._pending = b""

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Decompress up to ``len(buffer)`` bytes."""
        while True:
            if self._z.eof:
                rest = self._z.unused_data + self._pending
                self._pending = b""
                if not rest:
                    rest = self._inner.read(_CHUNK)
                if not rest:
                    return 0
                self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._pending = rest
            data = self._pending or self._z.unconsumed_tail
            self._pending = b""
            if not data:
                data = self._inner.read(_CHUNK)
                if not data:
                    raise EOFError(f"{self._what}: compressed stream ended early")
            out = self._z.decompress(data, len(buffer))
            if out:
                buffer[: len(out)] = out
                return len(out)


def detect_compression(head: bytes) -> Compression:
    """The compression of a blob from its first bytes."""
    if head.startswith(_GZIP_MAGIC):
        return Compression.GZIP
    if head.startswith(_ZSTD_MAGIC):
        return Compression.ZSTD
    return Compression.NONE


def decompressed(buffered: io.BufferedReader, what: str) -> Readable:
    """A stream of the uncompressed bytes of ``buffered`` (gzip, zstd or plain)."""
    head = buffered.peek(4)[:4]
    match detect_compression(head):
        case Compression.GZIP:
            return GzipReader(buffered, what)
        case Compression.ZSTD:
            return _zstd(buffered, what)
        case Compression.NONE:
            return buffered


def _zstd(raw: io.BufferedReader, what: str) -> Readable:
    try:
        import zstandard  # type: ignore[import-not-found,unused-ignore]  # optional
    except ImportError as exc:
        raise ImageError(
            f"{what}: zstd-compressed layer; install the 'zstandard' package to read it"
        ) from exc
    return zstandard.ZstdDecompressor().stream_reader(raw, read_size=_CHUNK)  # type: ignore[no-any-return]
