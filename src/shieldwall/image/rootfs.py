"""An unpacked root filesystem directory as the filesystem view of a one-layer image.

Symbolic links are recorded, never followed, so a link to ``/etc/shadow`` of the host (or out of
the directory) reads nothing outside it. Files are read lazily by the analyzers from disk.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from shieldwall.image.entry import EntryKind, FileStatus, ImageEntry, Notes
from shieldwall.image.errors import ImageError
from shieldwall.image.model import Image, ImageConfig
from shieldwall.image.squash import ViewLimits

ROOTFS_MARKERS = ("etc", "usr", "bin", "lib", "var")


def looks_like_rootfs(path: Path) -> bool:
    """Whether a directory looks like a root filesystem rather than an image layout."""
    return path.is_dir() and any((path / m).is_dir() for m in ROOTFS_MARKERS)


def rootfs_image(path: Path) -> Image:
    """An image with no layers and an empty config, standing for a root filesystem."""
    if not path.is_dir():
        raise ImageError(f"{path}: not a directory")
    return Image(name=str(path), config=ImageConfig(), layers=())


def iter_rootfs(root: Path, limits: ViewLimits, notes: Notes) -> Iterator[ImageEntry]:
    """Every directory, file and link under ``root``, as present entries of layer 0."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        dirnames.sort()
        for name in [*dirnames, *sorted(filenames)]:
            full = os.path.join(dirpath, name)  # noqa: PTH118  (os.walk hands out strings)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            try:
                info = os.lstat(full)
            except OSError as exc:
                notes.add(f"{rel}: cannot stat: {exc.strerror}")
                continue
            entry = _entry(rel, full, info, limits, notes)
            if entry is not None:
                yield entry


def _entry(
    rel: str, full: str, info: os.stat_result, limits: ViewLimits, notes: Notes
) -> ImageEntry | None:
    mode = info.st_mode
    if stat.S_ISREG(mode):
        kind = EntryKind.FILE
    elif stat.S_ISDIR(mode):
        kind = EntryKind.DIRECTORY
    elif stat.S_ISLNK(mode):
        kind = EntryKind.SYMLINK
    else:
        notes.devices += 1
        return None
    truncated = kind is EntryKind.FILE and info.st_size > limits.max_file_size
    return ImageEntry(
        path=rel,
        kind=kind,
        mode=stat.S_IMODE(mode),
        size=info.st_size,
        layer_index=0,
        layer_digest="",
        created_by="",
        status=FileStatus.PRESENT,
        abspath=full if kind is EntryKind.FILE and not truncated else "",
        linkname=str(Path(full).readlink()) if kind is EntryKind.SYMLINK else "",
        truncated=truncated,
    )
