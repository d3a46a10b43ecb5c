"""A File is one readable unit yielded by a target: a file on disk, a git blob or an image file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

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
            return Path(self.abspath).read_bytes()
        except FileNotFoundError as exc:
            raise FileReadError(f"{self.path}: file vanished during the scan") from exc
        except IsADirectoryError as exc:
            raise FileReadError(f"{self.path}: is a directory") from exc
        except PermissionError as exc:
            raise FileReadError(f"{self.path}: permission denied") from exc
        except OSError as exc:
            raise FileReadError(f"{self.path}: cannot read ({exc.strerror or exc})") from exc

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
