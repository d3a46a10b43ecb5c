"""Walk benchmark: shieldwall's walker + dispatch to a no-op analyzer vs. just reading the files.

The peer is ``git ls-files -z | xargs -0 cat >/dev/null`` over the same tree, the floor cost of
reading every file once. Both run as whole processes (interpreter start-up included) several
times, alternating; the median of each and the ratio are printed. Target: ratio <= 1.5.

    python benchmarks/walk.py                      # a 20,000+ file tree from installed packages
    python benchmarks/walk.py --tree DIR --runs 7  # or any directory (it is copied into a git repo)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

OURS = r"""
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from shieldwall.core import FileAnalyzer
from shieldwall.core.config import load_config
from shieldwall.core.registry import build_registry
from shieldwall.scan import plan_scan, run_scan


class NoopAnalyzer(FileAnalyzer):
    id: ClassVar[str] = "noop"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "wants every file, finds nothing"

    def rules(self):
        return ()

    def wants(self, path):
        return True

    def analyze_file(self, file, ctx) -> Iterator:
        return iter(())


root = Path(sys.argv[1])
registry = build_registry(analyzers=[NoopAnalyzer()], include_entry_points=False)
loaded = load_config(root=root, env={}, cli={"max_file_size": 10**9, "jobs": int(sys.argv[2])})
result = run_scan(plan_scan(root, loaded, registry))
print(result.stats.files_scanned, result.stats.bytes_scanned, len(result.skipped))
"""


def build_tree(sources: list[Path], minimum: int) -> Path:
    """Copy the sources into a fresh git repository until it holds ``minimum`` files."""
    tree = Path(tempfile.mkdtemp(prefix="sw-walk-"))
    count = 0
    for index, source in enumerate(sources):
        target = tree / f"src{index}"
        shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        count += sum(len(files) for _, _, files in os.walk(target))
        if count >= minimum:
            break
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@b",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@b",
    }
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    (tree / ".gitignore").write_text("")
    subprocess.run(["git", "add", "-A", "-f"], cwd=tree, check=True, env=env)
    return tree


def timed(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (children) and stdout of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--tree", type=Path, help="directory to copy and walk (default: installed packages)"
    )
    parser.add_argument("--min-files", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--jobs", type=int, default=0, help="shieldwall worker processes (0: all cores)"
    )
    args = parser.parse_args()

    sources = (
        [args.tree]
        if args.tree
        else [
            Path(sysconfig.get_paths()["purelib"]),
            Path(sysconfig.get_paths()["stdlib"]),
        ]
    )
    tree = build_tree(sources, args.min_files)
    try:
        nfiles = int(
            subprocess.run(
                ["git", "ls-files"], cwd=tree, capture_output=True, text=True, check=True
            ).stdout.count("\n")
        )
        ours_cmd = [sys.executable, "-c", OURS, str(tree), str(args.jobs)]
        peer_cmd = ["bash", "-c", "git ls-files -z | xargs -0 cat > /dev/null"]
        timed(peer_cmd, tree)  # warm the page cache for both
        ours, peer = [], []
        for _ in range(args.runs):
            ours.append(timed(ours_cmd, tree))
            peer.append(timed(peer_cmd, tree))
        print(f"tree: {tree} ({nfiles} files in git)")
        print(f"shieldwall walk+dispatch reported: files, bytes, skipped = {ours[-1][2]}")
        print(f"{'':24}{'wall median s':>14}{'cpu median s':>14}")
        ow, oc = statistics.median(r[0] for r in ours), statistics.median(r[1] for r in ours)
        pw, pc = statistics.median(r[0] for r in peer), statistics.median(r[1] for r in peer)
        print(f"{'shieldwall (noop)':24}{ow:14.3f}{oc:14.3f}")
        print(f"{'git ls-files | cat':24}{pw:14.3f}{pc:14.3f}")
        print(f"ratio wall {ow / pw:.2f}x, cpu {oc / pc:.2f}x (target: <= 1.5x)")
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
