"""Start-up benchmark: CPU seconds of short ``shieldwall`` invocations, best of N.

Each command runs as a whole process; the cost is the child's user + system CPU time (immune to
the other load on a shared machine, unlike wall time). ``--against DIR`` runs the same commands
with another checkout's ``src`` first on ``sys.path`` (e.g. ``git archive REV src | tar -x -C
DIR``) and prints the ratio. There is no peer: the floor is ``python -c pass`` and
``import typer``, printed for scale.

    python benchmarks/startup.py [--runs 5] [--against /tmp/before]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
RUNNER = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from shieldwall.cli.app import main; main()"
)


def commands(tree: Path) -> dict[str, list[str]]:
    """Label -> shieldwall arguments."""
    scan = ["scan", "-s", "secrets", "--no-progress", "--fail-on", "none", str(tree)]
    return {
        "--version": ["--version"],
        "--help": ["--help"],
        "scan --help": ["scan", "--help"],
        "scan -s secrets (10 files)": scan,
    }


def cpu_seconds(argv: list[str], cwd: Path) -> float:
    """User + system CPU of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def make_tree(root: Path) -> Path:
    """Ten small Python files, no secrets."""
    tree = root / "ten"
    tree.mkdir()
    for i in range(10):
        (tree / f"m{i}.py").write_text(
            f"import os\nVALUE_{i} = 'hello {i}'\n\ndef f(x):\n    return x + {i}\n"
        )
    return tree


def main() -> None:
    """Measure and print best-of-N CPU seconds (and ratios with --against)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout (its src/ is used)")
    args = parser.parse_args()
    sides = {"this": SRC}
    if args.against:
        sides = {"against": args.against.resolve() / "src", **sides}
    with tempfile.TemporaryDirectory(prefix="sw-startup-") as tmp:
        work = Path(tmp)
        tree = make_tree(work)
        floor = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "import typer": [sys.executable, "-c", "import typer"],
        }
        best: dict[tuple[str, str], float] = {}
        for _ in range(args.runs):  # interleaved, so a load spike hits every side alike
            for label, argv in floor.items():
                key = (label, "floor")
                best[key] = min(best.get(key, 1e9), cpu_seconds(argv, work))
            for label, cli in commands(tree).items():
                for side, src in sides.items():
                    argv = [sys.executable, "-c", RUNNER, str(src), *cli]
                    key = (label, side)
                    best[key] = min(best.get(key, 1e9), cpu_seconds(argv, work))
    print(f"best of {args.runs}, CPU seconds (user + system)")
    for label in floor:
        print(f"  {label:28s} {best[(label, 'floor')]:.3f}")
    for label in commands(Path()):
        row = "  ".join(f"{side} {best[(label, side)]:.3f}" for side in sides)
        ratio = (
            f"  ratio {best[(label, 'against')] / best[(label, 'this')]:.1f}x"
            if args.against
            else ""
        )
        print(f"  {label:28s} {row}{ratio}")


if __name__ == "__main__":
    main()
