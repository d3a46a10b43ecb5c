"""SAST benchmark: shieldwall vs Bandit vs Semgrep, side by side in one run.

(a) speed on a large real codebase (default: Django's sources): wall time, CPU time, peak memory
    (RSS of the tool's process tree), findings, lines per CPU-second;
(b) precision and recall per CWE on the labelled programs (``tests/data/sast/programs`` and the
    taint corpus ``tests/corpus/sast/SW-PY-0[01]*.py``): a labelled line
    (``shieldwall: expect RULE``) is a positive for the rule's CWEs, ``expect-not`` a negative.
    A tool's finding counts as a true positive when it is on a positive line with one of that
    rule's CWEs; any other finding carrying a CWE of the benchmark set is a false positive.

The peers run from a separate virtual environment (never the project's):
    python3 -m venv /tmp/peers-sast && /tmp/peers-sast/bin/pip install bandit semgrep django
    .venv/bin/python benchmarks/sast.py --peers /tmp/peers-sast/bin \\
        --large /tmp/peers-sast/lib/python3.11/site-packages/django
Semgrep runs with the local rules in ``benchmarks/data/semgrep-rules/`` (its registry is
online-only), ``--metrics off --disable-version-check``.

One run on the shared 2-core machine (Django 5 sources, 158,984 lines): shieldwall 11.4 CPU-s
(14,000 lines per CPU-second, 275 MB peak, 86 findings), Bandit 26.2 CPU-s (6,100 lines/CPU-s,
64 MB, 284), Semgrep with 17 local rules 60.7 CPU-s (2,600 lines/CPU-s, 144 MB, 34). Labelled
programs, precision/recall over all CWEs: shieldwall 1.00/1.00, Bandit 0.41/0.24, Semgrep
0.65/0.44 (the programs were written alongside the analyzer; see docs/sast.md).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEMGREP_RULES = ROOT / "benchmarks" / "data" / "semgrep-rules"
LABEL = re.compile(r"shieldwall:\s*(expect-not|expect)\s+(SW-PY-\d+)")


@dataclass
class Run:
    tool: str
    wall: float
    cpu: float
    peak_mb: float
    findings: list[tuple[str, int, frozenset[str]]]
    note: str = ""


def run_measured(tool: str, argv: list[str], output: Path, parse, cwd: Path | None = None) -> Run:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    note = "" if output.exists() else f"no output (exit {code}): {stderr[-300:]}"
    findings = parse(output) if output.exists() else []
    # ru_maxrss of wait4 is the peak of the child itself (KiB on Linux).
    return Run(tool, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, findings, note)


def cwe_set(values) -> frozenset[str]:  # type: ignore[no-untyped-def]
    out = set()
    for value in values or ():
        match = re.search(r"(\d+)", str(value))
        if match:
            out.add(f"CWE-{match.group(1)}")
    return frozenset(out)


def parse_shieldwall(path: Path) -> list[tuple[str, int, frozenset[str]]]:
    data = json.loads(path.read_text())
    rules = (
        {r["id"]: r for r in data.get("rules", [])} if isinstance(data.get("rules"), list) else {}
    )
    out = []
    for f in data["findings"]:
        rule = f.get("rule") if isinstance(f.get("rule"), dict) else rules.get(f.get("rule_id"), {})
        cwes = rule.get("cwe") or f.get("cwe") or []
        loc = f["location"]
        out.append((loc["path"], int(loc.get("start_line") or 0), cwe_set(cwes)))
    return out


def parse_bandit(path: Path) -> list[tuple[str, int, frozenset[str]]]:
    data = json.loads(path.read_text())
    return [
        (r["filename"], int(r["line_number"]), cwe_set([(r.get("issue_cwe") or {}).get("id")]))
        for r in data.get("results", [])
    ]


def parse_semgrep(path: Path) -> list[tuple[str, int, frozenset[str]]]:
    data = json.loads(path.read_text())
    return [
        (
            r["path"],
            int(r["start"]["line"]),
            cwe_set(r.get("extra", {}).get("metadata", {}).get("cwe")),
        )
        for r in data.get("results", [])
    ]


def run_tools(target: Path, peers: Path, work: Path, semgrep: bool = True) -> list[Run]:
    runs = []
    out = work / "shieldwall.json"
    runs.append(
        run_measured(
            "shieldwall",
            [
                str(ROOT / ".venv/bin/shieldwall"),
                "scan",
                str(target),
                "--scanners",
                "sast",
                "--format",
                "json",
                "-o",
                str(out),
                "--fail-on",
                "none",
            ],
            out,
            parse_shieldwall,
        )
    )
    out = work / "bandit.json"
    runs.append(
        run_measured(
            "bandit",
            [str(peers / "bandit"), "-r", str(target), "-f", "json", "-o", str(out), "-q"],
            out,
            parse_bandit,
        )
    )
    if not semgrep:
        return runs
    out = work / "semgrep.json"
    runs.append(
        run_measured(
            "semgrep",
            [
                str(peers / "semgrep"),
                "scan",
                "--config",
                str(SEMGREP_RULES),
                "--json",
                "-o",
                str(out),
                "--metrics",
                "off",
                "--disable-version-check",
                "--quiet",
                str(target),
            ],
            out,
            parse_semgrep,
        )
    )
    return runs


def count_lines(root: Path) -> int:
    return sum(len(p.read_bytes().splitlines()) for p in root.rglob("*.py"))


def labelled_set(
    work: Path,
) -> tuple[Path, dict[tuple[str, int], set[str]], dict[tuple[str, int], set[str]]]:
    """Copy the labelled programs to one tree; return (root, positives, negatives) by rule."""
    target = work / "labelled"
    shutil.copytree(ROOT / "tests/data/sast/programs", target / "programs")
    for path in sorted((ROOT / "tests/corpus/sast").glob("SW-PY-0[01]*.py")):
        shutil.copy(path, target / path.name.replace("-", "_"))
    positives: dict[tuple[str, int], set[str]] = defaultdict(set)
    negatives: dict[tuple[str, int], set[str]] = defaultdict(set)
    for path in target.rglob("*.py"):
        rel = path.relative_to(target).as_posix()
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for kind, rule in LABEL.findall(line):
                (positives if kind == "expect" else negatives)[(rel, number)].add(rule)
    return target, positives, negatives


def rule_cwes() -> dict[str, tuple[str, ...]]:
    sys.path.insert(0, str(ROOT / "src"))
    from shieldwall.analyzers.sast import SastAnalyzer

    return {r.id: r.cwe for r in SastAnalyzer().rules()}


def score(runs: list[Run], root: Path, positives, negatives) -> None:  # type: ignore[no-untyped-def]
    cwes = rule_cwes()
    primary = {rule: c[0] for rule, c in cwes.items()}
    classes: dict[str, frozenset[str]] = {}
    for rules in positives.values():
        for rule in rules:
            classes[primary[rule]] = frozenset(cwes[rule])
    print("\n(b) labelled programs: precision / recall per CWE (TP FP FN)")
    header = f"{'CWE':<10}" + "".join(f"{r.tool:>26}" for r in runs)
    print(header)
    totals = {r.tool: [0, 0, 0] for r in runs}
    for cls in sorted(classes, key=lambda c: int(c.split("-")[1])):
        accepted = classes[cls]
        row = f"{cls:<10}"
        for run in runs:
            located = [(_rel(p, root), line, c) for p, line, c in run.findings]
            # A hit counts with any CWE of the class; a false positive only with its primary
            # CWE, so a finding is never charged to a neighbouring class (94 is in 95 and 1336).
            found = {(p, line) for p, line, c in located if c & accepted}
            claimed = {(p, line) for p, line, c in located if cls in c}
            wanted = {k for k, rules in positives.items() if any(primary[r] == cls for r in rules)}
            tp = len(found & wanted)
            fp = len(claimed - wanted)
            fn = len(wanted - found)
            totals[run.tool][0] += tp
            totals[run.tool][1] += fp
            totals[run.tool][2] += fn
            row += f"{_pr(tp, fp, fn):>26}"
        print(row)
    row = f"{'all':<10}"
    for run in runs:
        row += f"{_pr(*totals[run.tool]):>26}"
    print(row)
    print("findings on lines labelled safe (expect-not), any CWE of the set:")
    every = frozenset().union(*classes.values())
    for run in runs:
        on_safe = sum(
            1 for p, line, c in run.findings if c & every and (_rel(p, root), line) in negatives
        )
        print(f"  {run.tool}: {on_safe}")


def _rel(path: str, root: Path) -> str:
    text = path.replace("\\", "/")
    marker = root.as_posix().rstrip("/") + "/"
    if text.startswith(marker):
        return text[len(marker) :]
    for prefix in ("labelled/",):
        if prefix in text:
            return text.split(prefix, 1)[1]
    return text


def _pr(tp: int, fp: int, fn: int) -> str:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return f"P {precision:.2f} R {recall:.2f} ({tp} {fp} {fn})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--peers", type=Path, default=Path(tempfile.gettempdir(), "peers-sast", "bin")
    )
    parser.add_argument("--large", type=Path, help="a large Python tree (e.g. Django's sources)")
    parser.add_argument("--skip-semgrep-large", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.large:
            lines = count_lines(args.large)
            print(f"(a) {args.large}: {lines} lines of Python")
            (work / "large").mkdir()
            runs = run_tools(
                args.large, args.peers, work / "large", semgrep=not args.skip_semgrep_large
            )
            print(
                f"{'tool':<12}{'wall s':>9}{'cpu s':>9}{'peak MB':>9}{'findings':>10}"
                f"{'lines/cpu-s':>13}"
            )
            for r in runs:
                rate = lines / r.cpu if r.cpu else 0
                print(
                    f"{r.tool:<12}{r.wall:>9.1f}{r.cpu:>9.1f}{r.peak_mb:>9.0f}"
                    f"{len(r.findings):>10}{rate:>13.0f} {r.note}"
                )
        root, positives, negatives = labelled_set(work)
        (work / "b").mkdir()
        runs = run_tools(root, args.peers, work / "b")
        for r in runs:
            if r.note:
                print(r.tool, r.note)
        score(runs, root, positives, negatives)


if __name__ == "__main__":
    main()
