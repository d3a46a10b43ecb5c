"""Secrets benchmark: shieldwall vs detect-secrets and credsweeper, in one run, on the same data.

Throughput is MB of the scanned tree (every regular file, binaries included, the same
denominator for every tool) per CPU-second of the tool's process tree, and peak memory is the
process's peak RSS; both are printed as ratios to shieldwall. The peers are two orders of
magnitude slower, so they run on a deterministic sample of the tree (``--peer-sample-mb``) and
shieldwall runs on both the full tree and that sample. Precision and recall come from the
labelled corpus in ``tests/corpus/secrets`` (a report on a labelled positive line, or the line
before or after it for tools that report a PEM block at its header, is a true positive).

    python benchmarks/secrets_scan.py --tree DIR \\
        --detect-secrets /tmp/peers-secrets/bin/detect-secrets \\
        --credsweeper /tmp/peers-secrets/bin/credsweeper

Install the peers in their own environment (``python3 -m venv /tmp/peers-secrets &&
/tmp/peers-secrets/bin/pip install detect-secrets credsweeper``), never in the project's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from tests.corpus import case_files, corpus_cases, read_labels  # noqa: E402

CORPUS = REPO / "tests" / "corpus"


@dataclass(frozen=True)
class Run:
    """One tool run: CPU seconds, peak RSS and the report it wrote."""

    tool: str
    data: str
    megabytes: float
    cpu: float
    wall: float
    peak_mb: float
    report: Path

    @property
    def rate(self) -> float:
        """MB per CPU-second."""
        return self.megabytes / self.cpu if self.cpu else float("inf")


def tree_megabytes(root: Path) -> float:
    """Size of every regular file under ``root`` in MB (10^6 bytes)."""
    total = 0
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total / 1e6


def measure(tool: str, data: str, argv: list[str], root: Path, report: Path, cwd: Path) -> Run:
    """Run one command to completion; CPU and peak RSS come from wait4 (children included)."""
    import time

    out = report.open("wb") if report.suffix == ".stdout" else subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if out is not subprocess.DEVNULL:
        out.close()
    if process.returncode not in (0, 1):
        print(f"warning: {tool} exited with {process.returncode}", file=sys.stderr)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(tool, data, tree_megabytes(root), cpu, wall, usage.ru_maxrss / 1024, report)


def _is_text(path: Path) -> bool:
    with path.open("rb") as stream:
        return b"\x00" not in stream.read(8192)


def sample_tree(root: Path, target: Path, megabytes: float) -> None:
    """Copy an evenly spread, deterministic sample of ``root``'s text files (every k-th).

    Only text files: every tool skips binaries almost for free, so they would only dilute the
    comparison of what the tools actually do.
    """
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and _is_text(p))
    total = sum(p.stat().st_size for p in files)
    step = max(1, int(total / (megabytes * 1e6)))
    copied = 0
    for path in files[::step]:
        if copied >= megabytes * 1e6:
            break
        dest = target / path.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        copied += path.stat().st_size


def ours(shieldwall: str, config: Path) -> Callable[[Path, Path], list[str]]:
    """The shieldwall command line: one worker, no size limit, JSON report."""
    return lambda root, report: [
        shieldwall, "scan", str(root), "--scanners", "secrets", "--jobs", "1",
        "--max-file-size", "1GB", "--no-progress", "--config", str(config),
        "-f", "json", "-o", str(report), "-q",
    ]  # fmt: skip


def reported_ours(report: Path, _root: Path) -> set[tuple[str, int]]:
    """(file, line) of each shieldwall finding."""
    data = json.loads(report.read_text())
    return {(f["location"]["path"], f["location"]["start_line"]) for f in data["findings"]}


def reported_detect_secrets(report: Path, _root: Path) -> set[tuple[str, int]]:
    """(file, line) of each detect-secrets result."""
    data = json.loads(report.read_text() or "{}")
    return {
        (Path(path).as_posix().removeprefix("./"), item["line_number"])
        for path, items in data.get("results", {}).items()
        for item in items
    }


def reported_credsweeper(report: Path, root: Path) -> set[tuple[str, int]]:
    """(file, line) of each credsweeper candidate."""
    data = json.loads(report.read_text()) if report.exists() else []
    found = set()
    for candidate in data:
        for line in candidate.get("line_data_list", []):
            rel = Path(line["path"]).resolve().relative_to(root.resolve()).as_posix()
            found.add((rel, int(line["line_num"])))
    return found


def corpus_copy(target: Path) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """Copy the labelled secrets corpus (without sidecars); return positive and negative lines."""
    positives: set[tuple[str, int]] = set()
    negatives: set[tuple[str, int]] = set()
    for entries in corpus_cases("secrets").values():
        for entry in entries:
            labels = read_labels(entry)
            prefix = entry.name + "/" if entry.is_dir() else ""
            for rel, real in case_files(entry):
                dest = target / (prefix + rel)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(real, dest)
            positives |= {(prefix + path, line) for path, _, line in labels.expected}
            negatives |= {(prefix + path, line) for path, _, line in labels.negatives}
    return positives, negatives - positives


def score(
    reported: set[tuple[str, int]], positives: set[tuple[str, int]]
) -> tuple[float, float, int, int]:
    """Precision, recall, true-positive reports and all reports (line tolerance 1)."""
    hit: set[tuple[str, int]] = set()
    true_reports = 0
    for path, line in reported:
        for candidate in ((path, line), (path, line + 1), (path, line - 1)):
            if candidate in positives:
                hit.add(candidate)
                true_reports += 1
                break
    precision = true_reports / len(reported) if reported else 0.0
    return precision, len(hit) / len(positives), true_reports, len(reported)


def main() -> None:
    """Run every tool, print the throughput, memory and accuracy tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=Path(sysconfig.get_paths()["purelib"]))
    parser.add_argument("--shieldwall", default=shutil.which("shieldwall") or "shieldwall")
    parser.add_argument("--detect-secrets", dest="detect_secrets", default=None)
    parser.add_argument("--credsweeper", default=None)
    parser.add_argument(
        "--peer-sample-mb", type=float, default=0.0, help="Peers scan a sample (0: the full tree)."
    )
    parser.add_argument("--skip-full", action="store_true", help="Do not scan the full tree.")
    args = parser.parse_args()
    for option in ("shieldwall", "detect_secrets", "credsweeper"):
        value = getattr(args, option)
        if value and "/" in value:  # tools run with the scanned tree as working directory
            setattr(args, option, str(Path(value).resolve()))

    work = Path(tempfile.mkdtemp(prefix="sw-secrets-bench-"))
    config = work / "shieldwall.toml"
    config.write_text("# empty: defaults only\n")
    sample, corpus = work / "sample", work / "corpus"
    if args.peer_sample_mb > 0:
        sample_tree(args.tree, sample, args.peer_sample_mb)
    else:
        sample = args.tree
    positives, negatives = corpus_copy(corpus)
    tools: list[tuple[str, Callable[[Path, Path], list[str]], str, Callable]] = [
        ("shieldwall", ours(args.shieldwall, config), ".json", reported_ours)
    ]
    if args.detect_secrets:
        ds = args.detect_secrets
        tools.append(("detect-secrets", lambda _r, _o: [ds, "scan", "--all-files", "."],
                      ".stdout", reported_detect_secrets))  # fmt: skip
    if args.credsweeper:
        cs = args.credsweeper

        def credsweeper(root: Path, out: Path) -> list[str]:
            return [cs, "--path", str(root), "--save-json", str(out), "--jobs", "1",
                    "--no-progress"]  # fmt: skip

        tools.append(("credsweeper", credsweeper, ".json", reported_credsweeper))

    empty = work / "empty"
    empty.mkdir()
    startup = {  # the least of three runs: start-up cost is noisy on a shared machine
        name: min(
            measure(name, "empty", argv(empty, work / f"empty-{name}{suffix}"), empty,
                    work / f"empty-{name}{suffix}", empty).cpu
            for _ in range(3)
        )
        for name, argv, suffix, _ in tools
    }  # fmt: skip
    print(f"\ntree: {args.tree} ({tree_megabytes(args.tree):.0f} MB); peer sample: "
          f"{tree_megabytes(sample):.1f} MB; corpus: {len(positives)} positive, "
          f"{len(negatives)} negative lines\n")  # fmt: skip
    print("startup CPU s (empty directory, least of 3): "
          + ", ".join(f"{k} {v:.2f}" for k, v in startup.items()) + "\n")  # fmt: skip
    print(f"{'tool':<15} {'data':<10} {'MB':>7} {'CPU s':>8} {'wall s':>8} {'MB/CPU-s':>9} "
          f"{'net MB/CPU-s':>12} {'peak MB':>8} {'sw speed is':>12} {'net':>8} "
          f"{'memory vs sw':>13}", flush=True)  # fmt: skip
    base: dict[str, Run] = {}

    def row(run: Run) -> None:
        ref = base.setdefault(run.data, run)
        net = run.megabytes / max(run.cpu - startup[run.tool], 1e-3)
        ref_net = ref.megabytes / max(ref.cpu - startup[ref.tool], 1e-3)
        print(f"{run.tool:<15} {run.data:<10} {run.megabytes:>7.1f} {run.cpu:>8.2f} "
              f"{run.wall:>8.2f} {run.rate:>9.2f} {net:>12.2f} {run.peak_mb:>8.0f} "
              f"{ref.rate / run.rate:>11.1f}x {ref_net / net:>7.1f}x "
              f"{run.peak_mb / ref.peak_mb:>12.2f}x", flush=True)  # fmt: skip

    if not args.skip_full and sample != args.tree:
        report = work / "full-shieldwall.json"
        row(measure("shieldwall", "full tree", tools[0][1](args.tree, report), args.tree,
                    report, args.tree))  # fmt: skip
    accuracy = []
    for name, argv, suffix, parse in tools:
        report = work / f"sample-{name}{suffix}"
        label = "full tree" if sample == args.tree else "sample"
        row(measure(name, label, argv(sample, report), sample, report, sample))
        report = work / f"corpus-{name}{suffix}"
        measure(name, "corpus", argv(corpus, report), corpus, report, corpus)
        accuracy.append((name, *score(parse(report, corpus), positives)))

    print(f"\n{'tool':<15} {'precision':>9} {'recall':>7} {'true reports':>13} {'reports':>8}")
    for name, precision, recall, true_reports, total in accuracy:
        print(f"{name:<15} {precision:>9.3f} {recall:>7.3f} {true_reports:>13} {total:>8}")
    print(f"\nreports kept in {work}")


if __name__ == "__main__":
    main()
