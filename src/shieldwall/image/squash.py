"""The image's filesystem view, streamed from its layers top-down without extracting them.

Layers are read last first, so when a member is met every later layer is already known: it is
present, overwritten by a later layer, or deleted by a later whiteout (``.wh.<name>``) or opaque
directory (``.wh..wh..opq``) — the OCI image-spec ``layer.md`` rules. Each layer is one
sequential pass over its blob; only the current member's bytes are held in memory.
"""

from __future__ import annotations

import io
import posixpath
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from shieldwall.image.blobs import CappedReader, HashingReader, decompressed
from shieldwall.image.entry import EntryKind, FileStatus, ImageEntry, Notes
from shieldwall.image.errors import ImageError
from shieldwall.image.gobinary import excerpt
from shieldwall.image.jars import is_java_archive
from shieldwall.image.langpkgs import wants_large
from shieldwall.image.model import Image, Layer

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class ViewLimits:
    """Caps that bound memory and work on hostile images."""

    max_file_size: int = 10 << 20  # bytes of one file kept in memory for the analyzers
    max_layer_size: int = 8 << 30  # decompressed bytes of one layer
    # Visible Java archives up to this size are still read (one at a time) for the package
    # inventory: fat jars are often larger than max_file_size. Large executables are streamed
    # and only their Go build-info excerpt is kept.
    max_archive_size: int = 256 << 20


@dataclass(slots=True)
class _Upper:
    """What the layers above the current one did to paths."""

    seen: dict[str, bool] = field(default_factory=dict)  # path -> is a directory
    whiteouts: set[str] = field(default_factory=set)
    opaque: set[str] = field(default_factory=set)

    def status(self, path: str) -> FileStatus:
        """The status of ``path`` in a lower layer, given what the layers above did."""
        if path in self.whiteouts:
            return FileStatus.DELETED
        parent = posixpath.dirname(path)
        while True:
            if parent in self.opaque:  # "" is the root made opaque
                return FileStatus.DELETED
            if not parent:
                break
            if parent in self.whiteouts:
                return FileStatus.DELETED
            if self.seen.get(parent) is False:  # a later layer replaced a directory by a file
                return FileStatus.OVERWRITTEN
            parent = posixpath.dirname(parent)
        return FileStatus.OVERWRITTEN if path in self.seen else FileStatus.PRESENT

    def merge(self, layer: _Upper) -> None:
        """Add what one more layer did."""
        self.seen.update(layer.seen)
        self.whiteouts |= layer.whiteouts
        self.opaque |= layer.opaque


def iter_entries(image: Image, limits: ViewLimits, notes: Notes) -> Iterator[ImageEntry]:
    """Every kept member of every layer, last layer first, each with its status."""
    upper = _Upper()
    for layer in reversed(image.layers):
        current = _Upper()
        yield from _layer_entries(layer, limits, notes, upper, current)
        upper.merge(current)


def _layer_entries(
    layer: Layer, limits: ViewLimits, notes: Notes, upper: _Upper, current: _Upper
) -> Iterator[ImageEntry]:
    what = f"layer {layer.index} ({layer.digest or layer.diff_id or 'no digest'})"
    try:
        with layer.open() as handle:
            yield from _stream(handle, layer, limits, notes, upper, current, what)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise ImageError(f"{what}: truncated or corrupt layer: {exc}") from exc


def _stream(
    handle: IO[bytes],
    layer: Layer,
    limits: ViewLimits,
    notes: Notes,
    upper: _Upper,
    current: _Upper,
    what: str,
) -> Iterator[ImageEntry]:
    raw = HashingReader(handle, layer.digest, what)
    plain = HashingReader(decompressed(io.BufferedReader(raw, _CHUNK), what), layer.diff_id, what)
    capped = CappedReader(plain, limits.max_layer_size, what)
    with tarfile.open(fileobj=capped, mode="r|", bufsize=_CHUNK) as tar:
        for member in tar:
            entry = _entry(member, tar, layer, limits, notes, upper, current)
            if entry is not None:
                yield entry
    while capped.read(_CHUNK):  # the tar's end blocks and padding, for the digest
        pass
    plain.finish()
    raw.finish()


def _normalise(name: str) -> str | None:
    """The member's path relative to the image root, or None when it climbs out of it."""
    norm = posixpath.normpath("/" + name).lstrip("/")
    # normpath of "/.." is "/", so climbing is detected on the raw components instead.
    depth = 0
    for part in name.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return None
        elif part not in {"", "."}:
            depth += 1
    return "" if norm == "." else norm


def _escapes(path: str, linkname: str, *, hard: bool) -> bool:
    if hard or linkname.startswith("/"):
        # Absolute symlinks resolve inside the container's root; hardlinks name a member.
        return _normalise(linkname) is None
    return _normalise(posixpath.join(posixpath.dirname(path), linkname)) is None


def _entry(
    member: tarfile.TarInfo,
    tar: tarfile.TarFile,
    layer: Layer,
    limits: ViewLimits,
    notes: Notes,
    upper: _Upper,
    current: _Upper,
) -> ImageEntry | None:
    path = _normalise(member.name)
    if path is None:
        notes.add(f"layer {layer.index}: member {member.name!r} escapes the root; skipped")
        return None
    if not path:
        return None
    base = posixpath.basename(path)
    if base.startswith(WHITEOUT):
        parent = posixpath.dirname(path)
        if base == OPAQUE:
            current.opaque.add(parent)
        else:
            current.whiteouts.add(posixpath.join(parent, base[len(WHITEOUT) :]))
        return None
    if member.ischr() or member.isblk() or member.isfifo():
        notes.devices += 1
        return None
    kind = _kind(member)
    if kind is None:
        return None
    if kind in {EntryKind.SYMLINK, EntryKind.HARDLINK} and _escapes(
        path, member.linkname, hard=kind is EntryKind.HARDLINK
    ):
        notes.add(f"layer {layer.index}: {kind} {path!r} -> {member.linkname!r} escapes the root")
    status = upper.status(path)
    current.seen[path] = kind is EntryKind.DIRECTORY
    data: bytes | None = None
    truncated = False
    if kind is EntryKind.FILE:
        if member.size <= limits.max_file_size:
            handle = tar.extractfile(member)
            data = handle.read() if handle is not None else b""
        else:
            truncated = True
            if status is FileStatus.PRESENT and wants_large(path, member.mode):
                data = _large(member, tar, path, limits)
    return ImageEntry(
        path=path,
        kind=kind,
        mode=member.mode,
        size=member.size,
        layer_index=layer.index,
        layer_digest=layer.digest or layer.diff_id,
        created_by=layer.created_by,
        status=status,
        data=data,
        linkname=member.linkname,
        truncated=truncated,
    )


def _large(
    member: tarfile.TarInfo, tar: tarfile.TarFile, path: str, limits: ViewLimits
) -> bytes | None:
    """What the inventory needs of a file over the size cap, in bounded memory.

    A Java archive (a zip, read from its central directory at the end) is held whole up to
    ``max_archive_size``; an executable is streamed and only its Go build-info excerpt kept.
    """
    handle = tar.extractfile(member)
    if handle is None:
        return None
    if is_java_archive(path):
        return handle.read() if member.size <= limits.max_archive_size else None
    return excerpt(handle)


def _kind(member: tarfile.TarInfo) -> EntryKind | None:
    if member.isfile():
        return EntryKind.FILE
    if member.isdir():
        return EntryKind.DIRECTORY
    if member.issym():
        return EntryKind.SYMLINK
    if member.islnk():
        return EntryKind.HARDLINK
    return None
