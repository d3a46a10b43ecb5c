"""Where an image's blobs live: a directory or a tar archive, addressed by relative path.

Paths come from the image's own JSON and are untrusted: anything absolute or climbing out with
``..`` is refused before it reaches the filesystem.
"""

from __future__ import annotations

import posixpath
import tarfile
from pathlib import Path
from typing import IO, Protocol

from shieldwall.image.errors import ImageError

MAX_JSON_BYTES = 16 << 20  # manifests and configs are kilobytes; 16 MiB is generous


class BlobStore(Protocol):
    """Read access to the files of an image layout."""

    def exists(self, path: str) -> bool:
        """Whether a file is at ``path``."""
        ...

    def open(self, path: str) -> IO[bytes]:
        """A stream of the file at ``path``."""
        ...


def safe_relpath(path: str, what: str) -> str:
    """``path`` normalised; :class:`ImageError` when it is absolute or escapes the layout."""
    norm = posixpath.normpath(path)
    if path.startswith("/") or norm == ".." or norm.startswith("../"):
        raise ImageError(f"{what}: refusing path outside the image layout: {path!r}")
    return norm


def read_small(store: BlobStore, path: str, what: str) -> bytes:
    """A small JSON document from the store, refused past :data:`MAX_JSON_BYTES`."""
    if not store.exists(path):
        raise ImageError(f"{what}: {path} is missing")
    with store.open(path) as handle:
        data = handle.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise ImageError(f"{what}: {path} is larger than {MAX_JSON_BYTES} bytes")
    return data


class DirStore:
    """Blobs in a directory (an OCI layout or an unpacked docker-save)."""

    def __init__(self, root: Path) -> None:
        """Serve files under ``root``."""
        self._root = root

    def exists(self, path: str) -> bool:
        """Whether a regular file is at ``path`` (symlinks out of the root do not count)."""
        target = self._root / safe_relpath(path, str(self._root))
        try:
            return target.is_file() and target.resolve().is_relative_to(self._root.resolve())
        except OSError:
            return False

    def open(self, path: str) -> IO[bytes]:
        """The file at ``path``."""
        if not self.exists(path):
            raise ImageError(f"{self._root}: {path} is missing")
        return (self._root / safe_relpath(path, str(self._root))).open("rb")


class TarStore:
    """Blobs inside a tar archive (docker-save output or an OCI layout tarball)."""

    def __init__(self, archive: Path) -> None:
        """Index the members of ``archive``; :class:`ImageError` when it is not a tar."""
        try:
            self._tar = tarfile.open(archive, "r:*")  # noqa: SIM115  (kept open for lazy reads)
            members = self._tar.getmembers()
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise ImageError(f"{archive}: not a readable tar archive: {exc}") from exc
        self._name = str(archive)
        self._members = {
            posixpath.normpath(m.name.lstrip("/")): m for m in members if m.isfile() or m.issym()
        }

    def exists(self, path: str) -> bool:
        """Whether a member is at ``path``."""
        return safe_relpath(path, self._name) in self._members

    def open(self, path: str, _hops: int = 0) -> IO[bytes]:
        """The member at ``path`` as a stream (symlinks within the archive are followed)."""
        if _hops > 8:
            raise ImageError(f"{self._name}: {path}: too many symbolic links")
        member = self._members.get(safe_relpath(path, self._name))
        if member is None:
            raise ImageError(f"{self._name}: {path} is missing")
        if member.issym():
            # Docker 25+ links legacy layer paths to blobs: follow within the archive only.
            target = posixpath.join(posixpath.dirname(member.name), member.linkname)
            return self.open(safe_relpath(target, self._name), _hops + 1)
        stream = self._tar.extractfile(member)
        if stream is None:
            raise ImageError(f"{self._name}: {path} is not a regular file")
        return stream

    def close(self) -> None:
        """Close the archive."""
        self._tar.close()
