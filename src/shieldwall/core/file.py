"""A File is one readable unit yielded by a target: a file on disk, a git blob or an image file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NoReturn

from shieldwall.core.errors import FileReadError
from shieldwall.core.frozen import FrozenDict, freeze


@dataclass(frozen=True, slots=True)
class File:
    """One file to analyse.

    ``path`` is relative to the scan root, with forward slashes; it is what reports show.
    ``data`` holds the content of virtual files (git blobs, image layers); files on disk are read
    lazily from ``abspath`` so a process-pool worker reads them itself.
    ``origin`` carries provenance such as the commit, author and date of a history blob.
    """

    path: str
    abspath: str
    size: int
    data: bytes | None = None
    origin: Mapping[str, str] = field(default_factory=FrozenDict)

    @classmethod
    def virtual(cls, path: str, data: bytes, origin: Mapping[str, str] | None = None) -> File:
        """A file whose content is in memory (git history, staged blobs, image layers)."""
        return cls(
            path=path,
            abspath="",
            size=len(data),
            data=data,
            origin=freeze(origin),
        )

    def read_bytes(self) -> bytes:
        """The raw content; :class:`FileReadError` when the file vanished or is unreadable."""
        if self.data is not None:
            return self.data
        try:
            # open() rather than Path.read_bytes(): the pathlib object costs more than the read
            # for the small files that make up most trees.
            with open(self.abspath, "rb") as handle:  # noqa: PTH123
                return handle.read()
        except OSError as exc:
            return self._translate(exc)

    def _translate(self, exc: OSError) -> NoReturn:
        if isinstance(exc, FileNotFoundError):
            reason = "file vanished during the scan"
        elif isinstance(exc, IsADirectoryError):
            reason = "is a directory"
        elif isinstance(exc, PermissionError):
            reason = "permission denied"
        else:
            reason = f"cannot read ({exc.strerror or exc})"
        raise FileReadError(f"{self.path}: {reason}") from exc

    def read_unless_binary(self, sniff: int = 8192) -> bytes | None:
        """The content, or None when the first ``sniff`` bytes hold a NUL (binary content).

        A binary file is not read past its first block: in a typical tree the binaries are a
        small share of the files and most of the bytes.
        """
        if self.data is not None:
            return None if b"\x00" in self.data[:sniff] else self.data
        try:
            # os.open/os.read skip the buffered file object: half the cost per small file.
            fd = os.open(self.abspath, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            return self._translate(exc)
        try:
            head = os.read(fd, sniff)
            if b"\x00" in head:
                return None
            if len(head) < sniff:
                return head
            chunks = [head]
            while chunk := os.read(fd, max(self.size - sniff + 1, 1 << 16)):
                chunks.append(chunk)
            return b"".join(chunks)
        except OSError as exc:
            return self._translate(exc)
        finally:
            os.close(fd)

    def read_text(self) -> str:
        """The content decoded as UTF-8; invalid bytes are replaced so one bad byte loses nothing.

        Use :meth:`read_text_strict` where a wrong decoding would change the meaning.
        """
        return self.read_bytes().decode("utf-8", errors="replace")

    def read_text_strict(self) -> str:
        """The content decoded as UTF-8; raises :class:`FileReadError` on invalid bytes."""
        raw = self.read_bytes()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileReadError(
                f"{self.path}: not valid UTF-8 (byte {exc.start}): {exc.reason}"
            ) from exc

    @property
    def name(self) -> str:
        """The last path component."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        """The extension with its dot, lower-cased (``.py``), or ``""``."""
        name = self.name
        dot = name.rfind(".")
        return name[dot:].lower() if dot > 0 else ""
