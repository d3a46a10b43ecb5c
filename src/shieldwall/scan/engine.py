"""The engine: one pass over the files, dispatched to analyzers in a process pool.

FILE-scope work is sent in batches as the walk goes (bounded in flight, so memory does not grow
with the tree); DIRECTORY- and PROJECT-scope groups are sent when the walk is over. Small scans run
in-process: starting a pool costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field

from shieldwall.core.file import File
from shieldwall.core.protocols import AnalyzerScope
from shieldwall.core.result import SkippedFile
from shieldwall.scan.plan import ScanPlan
from shieldwall.scan.progress import NoProgress, ProgressSink
from shieldwall.scan.worker import (
    BatchItem,
    BatchResult,
    WorkerState,
    init_worker,
    pack,
    run_file_batch,
    run_group,
)
from shieldwall.target.walker import WalkCounters, walk

BATCH_FILES = 256
BATCH_BYTES = 4 * 1024 * 1024
IN_PROCESS_BELOW = 200  # files; below this a pool's start-up costs more than it saves


@dataclass(slots=True)
class EngineOutput:
    """Raw outputs of the engine, before merging."""

    result: BatchResult = field(default_factory=BatchResult)
    skipped: list[SkippedFile] = field(default_factory=list)
    ignored: int = 0


Batch = list[BatchItem]


def execute(plan: ScanPlan, progress: ProgressSink | None = None) -> EngineOutput:
    """Run every analyzer of the plan over its files."""
    sink = progress or NoProgress()
    state = WorkerState(plan.analyzers, tuple(plan.contexts[a.id] for a in plan.analyzers))
    counters = WalkCounters()
    files = plan.files if plan.files is not None else walk(plan.target, plan.walk_options, counters)
    file_scope = [i for i, a in enumerate(plan.analyzers) if a.scope is AnalyzerScope.FILE]
    grouped = [i for i, a in enumerate(plan.analyzers) if a.scope is not AnalyzerScope.FILE]
    groups: dict[tuple[int, str], list[File]] = defaultdict(list)

    group_only = [0, 0]  # files (and bytes) only group analyzers read: counted as scanned

    def route(file: File) -> tuple[int, ...]:
        in_group = False
        for index in grouped:
            analyzer = plan.analyzers[index]
            if analyzer.wants(file.path):
                groups[(index, _group_key(analyzer.scope, file.path))].append(file)
                in_group = True
        wanted_by = tuple(i for i in file_scope if plan.analyzers[i].wants(file.path))
        if in_group and not wanted_by:
            group_only[0] += 1
            group_only[1] += file.size
        return wanted_by

    batches = _batches(files, route)
    output = EngineOutput()
    first = _take_batches(batches, IN_PROCESS_BELOW)
    small = sum(len(b) for b in first) < IN_PROCESS_BELOW
    jobs = plan.jobs or os.cpu_count() or 1
    if small or jobs == 1:
        init_worker(state)
        for batch in _chain(first, batches):
            _collect(output, run_file_batch(batch), sink)
        for (index, key), members in sorted(groups.items()):
            _collect(output, run_group(index, members, key or "."), sink, count_files=False)
    else:
        with _pool(jobs, state) as pool:
            _run_in_pool(pool, _chain(first, batches), output, sink, jobs)
            futures = [
                pool.submit(run_group, index, members, key or ".")
                for (index, key), members in sorted(groups.items())
            ]
            for future in futures:
                _collect(output, future.result(), sink, count_files=False)
    output.skipped = counters.skipped
    output.ignored = counters.ignored
    output.result.files += group_only[0]
    output.result.nbytes += group_only[1]
    return output


def _group_key(scope: AnalyzerScope, path: str) -> str:
    if scope is AnalyzerScope.DIRECTORY:
        return path.rsplit("/", 1)[0] if "/" in path else ""
    return ""


def _batches(files: Iterable[File], route: Callable[[File], tuple[int, ...]]) -> Iterator[Batch]:
    batch: Batch = []
    size = 0
    for file in files:
        wanted_by = route(file)
        if not wanted_by:
            continue
        batch.append((pack(file), wanted_by))
        size += file.size
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _take_batches(batches: Iterator[Batch], min_files: int) -> list[Batch]:
    taken: list[Batch] = []
    count = 0
    for batch in batches:
        taken.append(batch)
        count += len(batch)
        if count >= min_files:
            break
    return taken


def _chain(first: Sequence[Batch], rest: Iterator[Batch]) -> Iterator[Batch]:
    yield from first
    yield from rest


def _pool(jobs: int, state: WorkerState) -> ProcessPoolExecutor:
    # fork is much cheaper than spawn on Linux; the engine starts the pool before any thread
    # (the progress bar's) exists. Elsewhere the platform default is the safe choice.
    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=init_worker, initargs=(state,)
    )


def _run_in_pool(
    pool: Executor, batches: Iterator[Batch], output: EngineOutput, sink: ProgressSink, jobs: int
) -> None:
    in_flight: list[Future[BatchResult]] = []
    limit = jobs * 4  # bounded so that a huge tree never piles up in memory
    for batch in batches:
        in_flight.append(pool.submit(run_file_batch, batch))
        if len(in_flight) >= limit:
            _collect(output, in_flight.pop(0).result(), sink)
    for future in in_flight:
        _collect(output, future.result(), sink)


def _collect(
    output: EngineOutput, batch: BatchResult, sink: ProgressSink, *, count_files: bool = True
) -> None:
    if not count_files:
        batch.files = 0
        batch.nbytes = 0
    output.result.extend(batch)
    if count_files:
        sink.advance(batch.files + len(batch.skipped) + len(batch.errors), batch.nbytes)
