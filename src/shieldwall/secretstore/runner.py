"""``secrets run``: start a program with secrets in its environment, never on its command line."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence

from shieldwall.core.errors import UsageError


def run_with_secrets(
    argv: Sequence[str], secrets: Mapping[str, str], base_env: Mapping[str, str]
) -> int:
    """Run ``argv`` (an argument list, no shell) with ``base_env`` plus ``secrets``; its exit code.

    A signal-terminated child gives 128 + the signal number, as a shell would report it.
    """
    if not argv:
        raise UsageError("nothing to run: give a command after `--`")
    executable = shutil.which(argv[0], path=base_env.get("PATH"))
    if executable is None:
        raise UsageError(f"command not found: {argv[0]}")
    env = {**base_env, **secrets}
    # Running the user's own command is the purpose of `run` (like env(1)); no shell is involved.
    # shieldwall: ignore[SW-PY-002] the command comes from the user's own command line
    completed = subprocess.run([executable, *argv[1:]], env=env, check=False)
    code = completed.returncode
    return 128 - code if code < 0 else code
