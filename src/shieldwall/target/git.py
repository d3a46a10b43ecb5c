"""Small, safe wrappers around the git command line (argument lists only, never a shell)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from shieldwall.core.errors import GitError

GIT_TIMEOUT_SECONDS = 120
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def git(repo: Path, *args: str, check: bool = True) -> bytes:
    """Run ``git -C repo args...`` and return its standard output."""
    executable = shutil.which("git")
    if executable is None:
        raise GitError("git is not installed or not on PATH")
    try:
        completed = subprocess.run(
            [executable, "-C", str(repo), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} timed out after {GIT_TIMEOUT_SECONDS}s") from exc
    if check and completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])}: {message[-1] if message else 'failed'}")
    return completed.stdout


def toplevel(path: Path) -> Path:
    """The root of the work tree that holds ``path``."""
    directory = path if path.is_dir() else path.parent
    try:
        out = git(directory, "rev-parse", "--show-toplevel")
    except GitError as exc:
        raise GitError(f"{path}: not inside a git work tree") from exc
    return Path(out.decode().strip())


def resolve_ref(repo: Path, ref: str) -> str:
    """The commit id of ``ref``; a clear error when it does not exist."""
    if ref.startswith("-"):
        raise GitError(f"invalid ref {ref!r}")
    try:
        out = git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError as exc:
        raise GitError(f"ref {ref!r} does not exist in {repo}") from exc
    return out.decode().strip()


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What changed between a commit and the work tree, relative to the repository root."""

    changed_lines: dict[str, frozenset[int]]
    new_files: frozenset[str]

    def touched(self, path: str) -> bool:
        """Whether the file changed at all."""
        return path in self.new_files or path in self.changed_lines


def changes_since(repo: Path, commit: str) -> ChangeSet:
    """Added or modified lines per file since ``commit``, plus new and untracked files."""
    diff = git(
        repo, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", commit, "--"
    )
    lines: dict[str, set[int]] = {}
    new_files: set[str] = set()
    current: str | None = None
    previous_was_devnull = False
    for raw in diff.decode("utf-8", "replace").splitlines():
        if raw.startswith("--- "):
            previous_was_devnull = raw == "--- /dev/null"
        elif raw.startswith("+++ "):
            current = raw[6:] if raw.startswith("+++ b/") else None
            if current is not None:
                lines.setdefault(current, set())
                if previous_was_devnull:
                    new_files.add(current)
        elif current is not None and (match := _HUNK.match(raw)):
            start = int(match.group(1))
            count = int(match.group(2)) if match.group(2) is not None else 1
            lines[current].update(range(start, start + count))
    untracked = git(repo, "ls-files", "--others", "--exclude-standard", "-z")
    new_files.update(p for p in untracked.decode("utf-8", "replace").split("\0") if p)
    return ChangeSet(
        changed_lines={path: frozenset(numbers) for path, numbers in lines.items()},
        new_files=frozenset(new_files),
    )


def show_blob(repo: Path, commit: str, path: str) -> bytes | None:
    """The content of ``path`` at ``commit``, or None when it did not exist there."""
    try:
        return git(repo, "show", f"{commit}:{path}")
    except GitError:
        return None
