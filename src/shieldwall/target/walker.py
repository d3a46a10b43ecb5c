"""The filesystem walker: one lazy, sorted pass over a directory tree or a single file.

It honours ``.gitignore`` and ``.shieldwallignore`` at every level plus configured excludes,
skips files over the size limit (reported, not silent), and never follows a symlink out of the
tree. Binary detection needs the content, so it happens where the file is read (the engine).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shieldwall.core.errors import UsageError
from shieldwall.core.file import File
from shieldwall.core.result import SkippedFile, SkipReason
from shieldwall.target.ignore import IgnoreLayer, compile_patterns, is_ignored, read_ignore_files

VCS_DIRS = frozenset({".git", ".hg", ".svn"})

# Lockfiles of big projects often pass the general size limit, and skipping one would hide every
# vulnerable dependency in it; they get a limit of their own.
LOCKFILE_NAMES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "poetry.lock",
        "Pipfile.lock",
        "uv.lock",
        "pdm.lock",
        "Cargo.lock",
        "composer.lock",
        "Gemfile.lock",
        "go.sum",
        "packages.lock.json",
        "gradle.lockfile",
    }
)
LOCKFILE_MAX_SIZE = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class WalkOptions:
    """What the walker skips."""

    exclude: Sequence[str] = ()
    max_file_size: int = 2 * 1024 * 1024
    use_gitignore: bool = True


@dataclass(slots=True)
class WalkCounters:
    """Counts the walker keeps while it yields files (read once the walk is over)."""

    ignored: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)


WalkItem = File | SkippedFile


def walk(
    target: Path, options: WalkOptions, counters: WalkCounters | None = None
) -> Iterator[File]:
    """Yield every scannable file under ``target`` (or ``target`` itself), sorted by path."""
    counters = counters if counters is not None else WalkCounters()
    if not target.exists() and not target.is_symlink():
        raise UsageError(f"{target}: no such file or directory")
    if target.is_file():
        yield from _single_file(target, options, counters)
        return
    if not target.is_dir():
        raise UsageError(f"{target}: not a regular file or directory")
    root = target.resolve()
    layers: list[IgnoreLayer] = []
    configured = compile_patterns("", options.exclude)
    if configured is not None:
        layers.append(configured)
    yield from _walk_dir(root, root, "", layers, options, counters)


def _single_file(path: Path, options: WalkOptions, counters: WalkCounters) -> Iterator[File]:
    try:
        info = path.stat()
    except OSError as exc:
        counters.skipped.append(SkippedFile(path.name, SkipReason.UNREADABLE, str(exc)))
        return
    if info.st_size > options.max_file_size:
        counters.skipped.append(_too_large(path.name, info.st_size, options.max_file_size))
        return
    yield File(path=path.name, abspath=str(path.resolve()), size=info.st_size)


def _too_large(relpath: str, size: int, limit: int) -> SkippedFile:
    return SkippedFile(relpath, SkipReason.TOO_LARGE, f"{size} bytes > limit {limit}")


def _walk_dir(
    root: Path,
    directory: Path,
    base: str,
    layers: list[IgnoreLayer],
    options: WalkOptions,
    counters: WalkCounters,
) -> Iterator[File]:
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        counters.skipped.append(SkippedFile(base or ".", SkipReason.UNREADABLE, str(exc)))
        entries = []
    names = [e.name for e in entries]
    added = read_ignore_files(directory, base, names) if options.use_gitignore else []
    layers.extend(added)
    for entry in entries:
        relpath = f"{base}/{entry.name}" if base else entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            counters.skipped.append(SkippedFile(relpath, SkipReason.UNREADABLE, str(exc)))
            continue
        if is_dir:
            if entry.name in VCS_DIRS:
                continue
            if layers and is_ignored(layers, relpath, is_dir=True):
                counters.ignored += 1
                continue
            yield from _walk_dir(root, Path(entry.path), relpath, layers, options, counters)
            continue
        # Files are handled inline: a generator per file would cost more than the file.
        file = _visit_file(root, entry, relpath, layers, options, counters)
        if file is not None:
            yield file
    if added:
        del layers[-len(added) :]


def _visit_file(
    root: Path,
    entry: os.DirEntry[str],
    relpath: str,
    layers: list[IgnoreLayer],
    options: WalkOptions,
    counters: WalkCounters,
) -> File | None:
    if layers and is_ignored(layers, relpath, is_dir=False):
        counters.ignored += 1
        return None
    try:
        if entry.is_symlink():
            _note_symlink(root, entry, relpath, counters)
            return None
        info = entry.stat(follow_symlinks=False)
    except OSError as exc:
        counters.skipped.append(SkippedFile(relpath, SkipReason.UNREADABLE, str(exc)))
        return None
    if not stat.S_ISREG(info.st_mode):
        counters.skipped.append(SkippedFile(relpath, SkipReason.SPECIAL))
        return None
    limit = options.max_file_size
    if info.st_size > limit and entry.name in LOCKFILE_NAMES:
        limit = max(limit, LOCKFILE_MAX_SIZE)
    if info.st_size > limit:
        counters.skipped.append(_too_large(relpath, info.st_size, limit))
        return None
    return File(path=relpath, abspath=entry.path, size=info.st_size)


def _note_symlink(
    root: Path, entry: os.DirEntry[str], relpath: str, counters: WalkCounters
) -> None:
    """Symlinks are never followed: a link inside the tree points at a file scanned anyway,
    a link out of the tree is reported so that nobody thinks its target was scanned."""
    try:
        resolved = Path(entry.path).resolve(strict=True)
    except (OSError, RuntimeError):
        counters.skipped.append(SkippedFile(relpath, SkipReason.UNREADABLE, "dangling symlink"))
        return
    if not resolved.is_relative_to(root):
        counters.skipped.append(
            SkippedFile(relpath, SkipReason.SYMLINK_OUTSIDE, f"points to {resolved}")
        )
        return
    counters.ignored += 1
