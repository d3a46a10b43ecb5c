"""What the filesystem view yields: one file of the image and where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FileStatus(StrEnum):
    """Whether a layer's file is visible in the final filesystem."""

    PRESENT = "present"  # what a container sees
    OVERWRITTEN = "overwritten"  # a later layer wrote the same path; the bytes still ship
    DELETED = "deleted"  # a later whiteout or opaque directory hid it; the bytes still ship


class EntryKind(StrEnum):
    """The tar member types the view keeps."""

    FILE = "file"
    DIRECTORY = "directory"
    SYMLINK = "symlink"
    HARDLINK = "hardlink"


@dataclass(frozen=True, slots=True)
class ImageEntry:
    """One member of one layer (or one file of a root filesystem).

    ``data`` is the content of a regular file read from a layer; ``abspath`` is set instead for a
    file of a rootfs directory (read lazily). A file over the size cap is ``truncated``: the
    analyzers do not see it, and its ``data`` is empty unless it is a visible Java archive
    (``ViewLimits.max_archive_size``) or the Go build-info excerpt of a visible executable, kept
    for the package inventory.
    """

    path: str
    kind: EntryKind
    mode: int
    size: int
    layer_index: int
    layer_digest: str
    created_by: str
    status: FileStatus
    data: bytes | None = None
    abspath: str = ""
    linkname: str = ""
    truncated: bool = False


@dataclass(slots=True)
class Notes:
    """Problems seen while reading layers that do not stop the scan (hostile members)."""

    limit: int = 50
    messages: list[str] = field(default_factory=list)
    dropped: int = 0
    devices: int = 0

    def add(self, message: str) -> None:
        """Keep ``message``, up to :attr:`limit` of them."""
        if len(self.messages) < self.limit:
            self.messages.append(message)
        else:
            self.dropped += 1

    def summary(self) -> tuple[str, ...]:
        """Every note as a scan warning."""
        out = list(self.messages)
        if self.dropped:
            out.append(f"... and {self.dropped} more problems in image layers")
        if self.devices:
            out.append(f"{self.devices} device files and FIFOs in image layers were skipped")
        return tuple(out)
