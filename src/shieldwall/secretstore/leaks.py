"""``secrets leaks``: look for exact copies of stored secrets in a tree, until the secrets scanner
takes :class:`~shieldwall.secretstore.fingerprints.LeakFingerprints` itself.

Every file is searched as bytes (text, binaries, logs alike); a file that cannot be read is
reported and the search goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from shieldwall.core.errors import FileReadError
from shieldwall.secretstore.fingerprints import LeakFingerprints
from shieldwall.target.walker import WalkOptions, walk

# Logs and dumps are where leaks end up; the walker's 2 MB source-file default is too small.
DEFAULT_MAX_SIZE = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Leak:
    """A stored secret found in a file: where (path, 1-based line) and which secret."""

    file: str
    line: int
    secret_path: str
    owner: str


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file the search had to skip, and why."""

    file: str
    reason: str


def find_leaks(
    target: Path, fingerprints: LeakFingerprints, *, max_file_size: int = DEFAULT_MAX_SIZE
) -> Iterator[Leak | Unreadable]:
    """Every exact copy of a fingerprinted secret under ``target``, file by file."""
    options = WalkOptions(max_file_size=max_file_size, use_gitignore=False)
    for file in walk(target, options):
        try:
            data = file.read_bytes()
        except FileReadError as exc:
            yield Unreadable(file.path, str(exc))
            continue
        for match in fingerprints.find(data):
            line = data.count(b"\n", 0, match.start) + 1
            yield Leak(file.path, line, match.path, match.owner)
