"""Building the diff scope of ``--since REF``: what changed, and what was reported before."""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

from shieldwall.core.file import File
from shieldwall.policy.diff import DiffScope
from shieldwall.scan.engine import execute
from shieldwall.scan.merge import merge_findings
from shieldwall.scan.plan import ScanPlan
from shieldwall.target.git import changes_since, resolve_ref, show_blob, toplevel


def diff_scope_since(plan: ScanPlan, ref: str) -> DiffScope:
    """The changes since ``ref`` under the plan's root, and the fingerprints at ``ref``.

    The fingerprints at the ref come from scanning the old content of the changed files with the
    same analyzers, straight from git objects (no checkout).
    """
    root = plan.root.resolve()
    repo = toplevel(root)
    commit = resolve_ref(repo, ref)
    changes = changes_since(repo, commit)
    prefix = PurePosixPath(root.relative_to(repo.resolve()).as_posix())

    def local(path: str) -> str | None:
        if str(prefix) in {"", "."}:
            return path
        pure = PurePosixPath(path)
        return pure.relative_to(prefix).as_posix() if pure.is_relative_to(prefix) else None

    changed: dict[str, frozenset[int]] = {}
    for path, lines in changes.changed_lines.items():
        rel = local(path)
        if rel is not None:
            changed[rel] = lines
    new_files = frozenset(rel for p in changes.new_files if (rel := local(p)) is not None)
    old_files = []
    for rel in sorted(set(changed) - new_files):
        repo_path = (prefix / rel).as_posix() if str(prefix) not in {"", "."} else rel
        blob = show_blob(repo, commit, repo_path)
        if blob is not None:
            old_files.append(File.virtual(rel, blob))
    old_plan = dataclasses.replace(plan, files=old_files, jobs=1)
    old = merge_findings(execute(old_plan).result.findings) if old_files else ()
    return DiffScope(
        changed_lines=changed,
        new_files=new_files,
        old_fingerprints=frozenset(f.fingerprint for f in old),
    )


def scan_root_of(target: Path) -> Path:
    """The directory that paths in findings are relative to."""
    return target if target.is_dir() else target.parent
