"""Corpus tests: every rule has labelled samples, and a scan of them finds exactly the labels.

Layout: ``tests/corpus/<analyzer-id>/<RULE-ID>.<ext>`` (or ``<RULE-ID>.<n>.<ext>``), or a folder
``tests/corpus/<analyzer-id>/<RULE-ID>/`` whose files are scanned together with their relative
paths kept (for formats whose file name matters: ``requirements.txt``, ``Dockerfile``).

Annotations, anywhere on a line (in whatever comment syntax the format has):

* ``shieldwall: expect RULE-ID[, RULE-ID...]`` — a finding of that rule starts on this line;
* ``shieldwall: expect-next RULE-ID`` — ... on the next line (for formats where a comment cannot
  share the line);
* ``shieldwall: expect-not RULE-ID`` / ``expect-not-next`` — a labelled negative on this/next line.

For formats without comments, a sidecar ``<file>.expect`` lists ``expect RULE-ID LINE`` and
``expect-not RULE-ID LINE`` lines.

A case that needs settings (a rule that exists only when configured, like SW-SEC-900 with
``leak_fingerprints``) carries a sidecar ``<entry>.config.toml``: the analyzer's configuration
slice, as under ``[analyzers.<id>]`` in ``shieldwall.toml``, with relative paths relative to the
sidecar (files it names live in a lower-case folder beside it, which is not a corpus entry).
Without one, the analyzer runs with its defaults.

The oracle is the exact set of (path, rule, line) triples over the whole file: an unlabelled
finding fails as much as a missing one. Every rule needs at least one ``expect`` and one
``expect-not`` across its corpus.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from shieldwall.core import AnalysisContext, Analyzer, File, Finding, ScanError
from shieldwall.core.config.paths import CONFIG_DIR
from shieldwall.core.location import location_line

CORPUS_ROOT = Path(__file__).parent / "corpus"
_MARK = re.compile(
    r"shieldwall:\s*(expect-not-next|expect-not|expect-next|expect)\s+"
    r"([A-Z][A-Z0-9-]+(?:\s*,\s*[A-Z][A-Z0-9-]+)*)"
)
CONFIG_SUFFIX = ".config.toml"
_SIDECAR = re.compile(r"^\s*(expect|expect-not)\s+([A-Z][A-Z0-9-]+)\s+(\d+)\s*$")


@dataclass(frozen=True)
class Labels:
    """Expected and labelled-negative (path, rule, line) triples of one corpus case."""

    expected: frozenset[tuple[str, str, int]]
    negatives: frozenset[tuple[str, str, int]]


def corpus_cases(analyzer_id: str) -> dict[str, list[Path]]:
    """Rule id -> the corpus entries (files or folders) for it."""
    base = CORPUS_ROOT / analyzer_id
    cases: dict[str, list[Path]] = {}
    if not base.is_dir():
        return cases
    for entry in sorted(base.iterdir()):
        if entry.name.endswith((".expect", CONFIG_SUFFIX)) or entry.name.startswith("."):
            continue
        match = re.match(r"^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+?)(?:\.|$)", entry.name)
        if match:
            rule_id = _longest_rule_prefix(entry.name)
            cases.setdefault(rule_id, []).append(entry)
    return cases


def _longest_rule_prefix(name: str) -> str:
    stem = name.split(".", 1)[0]
    return stem


def case_files(entry: Path) -> list[tuple[str, Path]]:
    """(relative path shown to the analyzer, real path) for each file of a corpus entry."""
    if entry.is_file():
        return [(entry.name, entry)]
    return [
        (p.relative_to(entry).as_posix(), p)
        for p in sorted(entry.rglob("*"))
        if p.is_file() and not p.name.endswith(".expect")
    ]


def read_labels(entry: Path) -> Labels:
    """The labels of every file of a corpus entry."""
    expected: set[tuple[str, str, int]] = set()
    negatives: set[tuple[str, str, int]] = set()
    for rel, real in case_files(entry):
        sidecar = real.with_name(real.name + ".expect")
        if sidecar.is_file():
            for raw in sidecar.read_text(encoding="utf-8").splitlines():
                m = _SIDECAR.match(raw)
                if m:
                    target = expected if m.group(1) == "expect" else negatives
                    target.add((rel, m.group(2), int(m.group(3))))
        text = real.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for m in _MARK.finditer(line):
                kind, rules = m.group(1), [r.strip() for r in m.group(2).split(",")]
                at = number + 1 if kind.endswith("-next") else number
                target = expected if kind in {"expect", "expect-next"} else negatives
                target.update((rel, rule, at) for rule in rules)
    return Labels(frozenset(expected), frozenset(negatives))


def case_config(analyzer: Analyzer, entry: Path) -> BaseModel | None:
    """The analyzer's configuration for a corpus entry: its ``.config.toml`` sidecar, else
    the defaults; paths in the sidecar resolve against its folder, as in ``shieldwall.toml``."""
    model = analyzer.config_model
    if model is None:
        return None
    sidecar = entry.with_name(entry.name + CONFIG_SUFFIX)
    if not sidecar.is_file():
        return model()
    raw = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    return model.model_validate(raw, context={CONFIG_DIR: sidecar.parent})


def run_analyzer(analyzer: Analyzer, entry: Path, ctx: AnalysisContext) -> Iterator[Finding]:
    """Run an analyzer over a corpus entry the way the engine would (wants, then analyze)."""
    files = [
        File(path=rel, abspath=str(real), size=real.stat().st_size)
        for rel, real in case_files(entry)
        if analyzer.wants(rel)
    ]
    if not files:
        return
    for output in analyzer.analyze(files, ctx):
        if isinstance(output, ScanError):
            raise AssertionError(f"corpus file failed: {output.path}: {output.message}")
        yield output


def found_triples(findings: Iterator[Finding]) -> set[tuple[str, str, int]]:
    """(path, rule, first line) of each finding."""
    return {(f.location.path, f.rule.id, location_line(f.location) or 0) for f in findings}
