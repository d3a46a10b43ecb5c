"""The local blob cache: content-addressed files, verified while they stream in.

Layout: ``<cache_dir>/images/blobs/<alg>/<hex>``, the same as an OCI image layout's ``blobs/``.
A download goes to a temporary file in the same directory, is hashed and counted as it is
written, and is renamed into place only when its digest and size match (``os.replace`` is
atomic), so a reader never sees a partial or wrong blob and two pulls may race safely.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from shieldwall.image.errors import DigestMismatchError
from shieldwall.image.registry.errors import PullError
from shieldwall.image.registry.reference import DIGEST

log = logging.getLogger(__name__)
STALE_PART_SECONDS = 3600


class BlobCache:
    """Blobs by digest under ``root`` (``<cache_dir>/images``)."""

    def __init__(self, root: Path) -> None:
        """Keep blobs under ``root / "blobs"``."""
        self.root = root

    def path(self, digest: str) -> Path:
        """Where the blob named ``digest`` lives (whether it is there or not)."""
        if not DIGEST.match(digest):
            raise PullError(f"invalid digest {digest!r}")
        algorithm, hexdigest = digest.split(":", 1)
        return self.root / "blobs" / algorithm / hexdigest

    def lookup(self, digest: str, size: int) -> Path | None:
        """The cached blob when it is there with the expected ``size`` (-1: any size).

        Its content is hashed again by whoever reads it (the layer view checks every digest),
        so a blob altered in the cache is still caught.
        """
        path = self.path(digest)
        try:
            actual = path.stat().st_size
        except OSError:
            return None
        return path if size < 0 or actual == size else None

    def store(self, digest: str, size: int, chunks: Iterable[bytes], cap: int, what: str) -> Path:
        """Write ``chunks`` as the blob ``digest``; refused when it overruns or mismatches.

        ``size`` is the descriptor's size (-1 when unknown); ``cap`` bounds it in any case, so a
        registry streaming without end cannot fill the disk.
        """
        target = self.path(digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{digest.split(':', 1)[1][:16]}."
        _drop_stale(target.parent, prefix)
        fd, temp = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                written = _write_verified(handle, digest, size, chunks, cap, what)
            Path(temp).replace(target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        log.debug("cached %s (%d bytes)", digest, written)
        return target


def _write_verified(
    handle: IO[bytes], digest: str, size: int, chunks: Iterable[bytes], cap: int, what: str
) -> int:
    """Write ``chunks`` to ``handle``, hashing and counting; the byte count when all is well."""
    algorithm = digest.split(":", 1)[0]
    hasher = hashlib.new(algorithm)
    limit = size if size >= 0 else cap
    written = 0
    for chunk in chunks:
        written += len(chunk)
        if written > limit:
            raise PullError(f"{what}: the registry sent more than the {limit} bytes announced")
        hasher.update(chunk)
        handle.write(chunk)
    if size >= 0 and written != size:
        raise PullError(f"{what}: truncated: {written} of {size} bytes")
    actual = f"{algorithm}:{hasher.hexdigest()}"
    if actual != digest:
        raise DigestMismatchError(
            f"{what}: digest mismatch: expected {digest}, got {actual}; the blob was discarded"
        )
    return written


def _drop_stale(folder: Path, prefix: str) -> None:
    """Remove this blob's temporary files left by a killed pull (untouched for an hour).

    A download in progress writes continuously, so its file is always younger than that.
    """
    cutoff = time.time() - STALE_PART_SECONDS
    for part in folder.glob(f"{prefix}*.part"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
        except OSError:
            continue  # another pull removed or renamed it first
