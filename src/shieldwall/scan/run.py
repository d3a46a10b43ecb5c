"""The orchestrator the CLI and hub jobs call: plan, execute, merge, and a ScanResult."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from shieldwall import __version__
from shieldwall.core.config import LoadedConfig
from shieldwall.core.errors import UsageError
from shieldwall.core.file import File
from shieldwall.core.frozen import freeze
from shieldwall.core.protocols import AnalysisContext, Analyzer
from shieldwall.core.registry import Registry
from shieldwall.core.result import ScanNote, ScanResult, ScanStats
from shieldwall.scan.engine import execute
from shieldwall.scan.merge import merge_findings
from shieldwall.scan.plan import ScanPlan
from shieldwall.scan.progress import ProgressSink
from shieldwall.target.walker import WalkOptions


def select_analyzers(registry: Registry, names: Sequence[str]) -> tuple[Analyzer, ...]:
    """The analyzers named (all registered ones when ``names`` is empty), in registry order."""
    if not names:
        return tuple(registry.analyzers.values())
    wanted = [registry.analyzer(name) for name in dict.fromkeys(names)]
    return tuple(wanted)


def plan_scan(
    target: Path,
    loaded: LoadedConfig,
    registry: Registry,
    *,
    files: Iterable[File] | None = None,
    root: Path | None = None,
) -> ScanPlan:
    """A plan for scanning ``target`` with the configured analyzers."""
    if files is None and not target.exists():
        raise UsageError(f"{target}: no such file or directory")
    config = loaded.config
    analyzers = select_analyzers(registry, config.scanners)
    scan_root = root or (target if target.is_dir() else target.parent)
    contexts = {
        analyzer.id: AnalysisContext(
            root=str(scan_root.resolve()),
            config=loaded.analyzer_config(analyzer.id, analyzer.config_model),
            secret_salt=config.secret_salt,
            cache_dir=config.cache_dir or "",
            offline=config.offline,
        )
        for analyzer in analyzers
    }
    return ScanPlan(
        target=target,
        root=scan_root,
        analyzers=analyzers,
        contexts=contexts,
        walk_options=WalkOptions(exclude=config.exclude, max_file_size=config.max_file_size),
        jobs=config.jobs,
        files=files,
    )


NOTES_SHOWN_ONE_BY_ONE = 5


def summarise_notes(notes: Sequence[ScanNote]) -> tuple[str, ...]:
    """One warning per note, except that a message repeated over many files (minified bundles
    in node_modules, say) becomes one line with the count and the first few paths."""
    by_message: dict[str, list[ScanNote]] = {}
    for note in sorted(notes, key=lambda n: (n.path, n.line or 0)):
        by_message.setdefault(note.message, []).append(note)
    warnings: list[str] = []
    for message, group in by_message.items():
        if len(group) <= NOTES_SHOWN_ONE_BY_ONE:
            warnings.extend(dict.fromkeys(n.describe() for n in group))
            continue
        paths = list(dict.fromkeys(n.path for n in group))
        shown = ", ".join(paths[:3])
        warnings.append(f"{message}: {len(paths)} files ({shown}, ...)")
    return tuple(warnings)


def run_scan(plan: ScanPlan, progress: ProgressSink | None = None) -> ScanResult:
    """Execute a plan and assemble the result (before policy)."""
    started = datetime.now(UTC)
    clock = time.perf_counter()
    output = execute(plan, progress)
    findings = merge_findings(output.result.findings)
    by_analyzer = Counter(f.scanner for f in findings)
    rules = {rule.id: rule for analyzer in plan.analyzers for rule in analyzer.rules()}
    # Rules made at run time (a team's custom policies) are known only from their findings.
    rules.update({f.rule.id: f.rule for f in findings if f.rule.id not in rules})
    skipped = sorted(output.skipped + output.result.skipped, key=lambda s: s.path)
    stats = ScanStats(
        files_scanned=output.result.files,
        bytes_scanned=output.result.nbytes,
        files_skipped=len(skipped),
        files_ignored=output.ignored,
        duration_seconds=round(time.perf_counter() - clock, 3),
        findings_by_analyzer=freeze(dict(sorted(by_analyzer.items()))),
    )
    return ScanResult(
        target=str(plan.target),
        findings=findings,
        errors=tuple(sorted(output.result.errors, key=lambda e: (e.path, e.analyzer))),
        skipped=tuple(skipped),
        stats=stats,
        rules=freeze(rules),
        analyzers=tuple(a.id for a in plan.analyzers),
        warnings=summarise_notes(output.result.notes),
        started_at=started.isoformat(timespec="seconds"),
        tool_version=__version__,
    )
