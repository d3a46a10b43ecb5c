"""Git history and staged changes as a stream of virtual files holding only the added lines.

``iter_history`` streams ``git log -p`` (no checkout, constant memory per file change) and yields
one :class:`File` per (commit, path) whose content is the lines that commit added, each at its
real line number: the lines in between are left empty, so a finding's line is the line in that
commit's version of the file. ``iter_staged`` does the same for the index (``git diff --cached``),
for pre-commit hooks. Git runs with an argument list, never through a shell.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shieldwall.core.errors import GitError, UsageError
from shieldwall.core.file import File
from shieldwall.target.git import git, resolve_ref

_COMMIT_MARK = b"\x1e"
_FORMAT = "--format=%x1e%H%x1f%an <%ae>%x1f%aI"
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
_DIFF_OPTIONS = ("--no-color", "--no-ext-diff", "--unified=0", "-M", "--diff-filter=ACMR")
# A single file change larger than this is cut (the rest of the history is still scanned).
MAX_CHANGE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RepoInfo:
    """What kind of repository a path is."""

    git_dir: str
    bare: bool
    shallow: bool
    has_commits: bool


def check_repository(repo: Path) -> RepoInfo:
    """Inspect ``repo``; :class:`GitError` when it is not a git repository."""
    if not repo.exists():
        raise GitError(f"{repo}: no such directory")
    try:
        out = git(repo, "rev-parse", "--git-dir", "--is-bare-repository", "--is-shallow-repository")
    except GitError as exc:
        raise GitError(f"{repo}: not a git repository") from exc
    git_dir, bare, shallow = out.decode("utf-8", "replace").split()[:3]
    refs = git(repo, "for-each-ref", "--count=1", "--format=%(objectname)", check=False)
    head = git(repo, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    return RepoInfo(git_dir, bare == "true", shallow == "true", bool(refs.strip() or head.strip()))


def history_warnings(repo: Path) -> tuple[str, ...]:
    """Conditions under which a history scan is incomplete (a shallow clone)."""
    info = check_repository(repo)
    if info.shallow:
        return (
            f"{repo} is a shallow clone: commits before the clone depth are not scanned "
            "(run `git fetch --unshallow` for the full history)",
        )
    return ()


def iter_history(
    repo: Path,
    *,
    since: str | None = None,
    max_commits: int | None = None,
    all_branches: bool = True,
) -> Iterator[File]:
    """The lines each commit added, newest commit first, one virtual file per (commit, path).

    ``since`` limits the scan to commits not reachable from that ref; ``max_commits`` to the
    newest N. Each file's ``origin`` holds ``commit``, ``author``, ``date`` (ISO 8601) and ``path``.
    """
    if max_commits is not None and max_commits < 1:
        raise UsageError("--max-commits must be at least 1")
    info = check_repository(repo)
    if not info.has_commits:
        return
    revisions: list[str] = ["--all"] if all_branches else ["HEAD"]
    if since is not None:
        revisions.append("^" + resolve_ref(repo, since))
    args = ["log", "-p", _FORMAT, *_DIFF_OPTIONS]
    if max_commits is not None:
        args.append(f"--max-count={max_commits}")
    yield from _parse(_stream(repo, [*args, *revisions, "--"]), staged=False)


def iter_staged(repo: Path) -> Iterator[File]:
    """The lines added in the index relative to HEAD (what ``git commit`` would record)."""
    info = check_repository(repo)
    if info.bare:
        raise GitError(f"{repo}: a bare repository has no index, so nothing is staged")
    yield from _parse(_stream(repo, ["diff", "--cached", *_DIFF_OPTIONS, "--"]), staged=True)


def _stream(repo: Path, args: list[str]) -> Iterator[bytes]:
    """Lines of a git command's output, read as they come; the process ends with the reader."""
    executable = shutil.which("git")
    if executable is None:
        raise GitError("git is not installed or not on PATH")
    command = [executable, "-C", str(repo), "-c", "core.quotePath=false", *args]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors)
        assert process.stdout is not None  # noqa: S101 - stdout=PIPE guarantees it
        try:
            yield from process.stdout
        finally:
            process.stdout.close()
            if process.poll() is None:
                process.kill()
            code = process.wait()
        if code != 0:
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed: {lines[-1] if lines else f'exit {code}'}")


@dataclass(slots=True)
class _Change:
    """The added lines of one file in one commit, padded to their real line numbers."""

    path: str
    parts: list[bytes] = field(default_factory=list)
    next_line: int = 1
    size: int = 0

    def add(self, line_number: int, content: bytes) -> None:
        if self.size > MAX_CHANGE_BYTES:
            return
        if line_number > self.next_line:
            gap = b"\n" * (line_number - self.next_line)
            self.parts.append(gap)
            self.size += len(gap)
        self.parts.append(content + b"\n")
        self.size += len(content) + 1
        self.next_line = line_number + 1


def _parse(lines: Iterable[bytes], *, staged: bool) -> Iterator[File]:
    """Virtual files from ``git log -p`` / ``git diff`` output with zero context lines."""
    origin: dict[str, str] = {"staged": "true"} if staged else {}
    change: _Change | None = None
    new_line = 0
    in_hunk = False
    for raw in lines:
        line = raw.rstrip(b"\n")
        if line.startswith(_COMMIT_MARK):
            yield from _emit(change, origin)
            change, in_hunk = None, False
            commit, author, date = line[1:].decode("utf-8", "replace").split("\x1f")
            origin = {"commit": commit, "author": author, "date": date}
        elif line.startswith(b"diff --git "):
            yield from _emit(change, origin)
            change, in_hunk = None, False
        elif not in_hunk and line.startswith(b"+++ "):
            path = _diff_path(line[4:])
            change = _Change(path) if path is not None else None
        elif line.startswith(b"@@"):
            match = _HUNK.match(line)
            in_hunk = match is not None
            new_line = int(match.group(1)) if match else 0
        elif in_hunk and line.startswith(b"+") and change is not None:
            change.add(new_line, line[1:].rstrip(b"\r") if line.endswith(b"\r") else line[1:])
            new_line += 1
    yield from _emit(change, origin)


def _emit(change: _Change | None, origin: dict[str, str]) -> Iterator[File]:
    if change is None or not change.parts:
        return
    yield File.virtual(change.path, b"".join(change.parts), {**origin, "path": change.path})


def _diff_path(raw: bytes) -> str | None:
    """The new path of a ``+++`` header: ``b/x``, a C-quoted ``"b/x"``, or ``/dev/null``."""
    text = raw.rstrip(b"\t")
    if text == b"/dev/null":
        return None
    if text.startswith(b'"') and text.endswith(b'"'):
        text = _unquote(text[1:-1])
    decoded = text.decode("utf-8", "surrogateescape")
    return decoded[2:] if decoded.startswith("b/") else decoded


_ESCAPES = {b"n": b"\n", b"t": b"\t", b'"': b'"', b"\\": b"\\", b"a": b"\a", b"b": b"\b"}


def _unquote(text: bytes) -> bytes:
    """Undo git's C-style path quoting (``\\t``, ``\\"``, octal ``\\303\\251``)."""
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i : i + 1] == b"\\" and i + 1 < len(text):
            nxt = text[i + 1 : i + 2]
            if nxt.isdigit() and i + 3 < len(text):
                out.append(int(text[i + 1 : i + 4], 8))
                i += 4
                continue
            out += _ESCAPES.get(nxt, nxt)
            i += 2
            continue
        out += text[i : i + 1]
        i += 1
    return bytes(out)
