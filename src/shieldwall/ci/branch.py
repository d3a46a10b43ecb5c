"""The branch being built: what CI says first, then git."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

__all__ = ["detect_branch"]

# Where CI systems put the branch being built (pull request source branch first).
_BRANCH_VARS = ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
                "CI_COMMIT_REF_NAME")  # fmt: skip


def detect_branch(path: Path, environ: Mapping[str, str] | None = None) -> str | None:
    """The branch from CI's variables, else git's current branch; None when neither says."""
    env = os.environ if environ is None else environ
    for name in _BRANCH_VARS:
        if env.get(name):
            return env[name]
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--abbrev-ref", "HEAD"],
            cwd=path if path.is_dir() else path.parent,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    name = out.stdout.strip()
    return name if name and name != "HEAD" else None
