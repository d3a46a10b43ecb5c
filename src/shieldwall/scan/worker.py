"""What runs inside a pool worker (or in-process for small scans): read once, dispatch, collect.

This module holds the only ``except Exception`` of the scan path: a crash of one analyzer on one
file becomes a ``ScanError`` and the scan goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from shieldwall.core.errors import AnalysisError, ScanAbortedError
from shieldwall.core.file import File
from shieldwall.core.finding import Finding
from shieldwall.core.protocols import AnalysisContext, Analyzer
from shieldwall.core.result import ScanError, ScanNote, SkippedFile, SkipReason

BINARY_SNIFF_BYTES = 8192


@dataclass(slots=True)
class BatchResult:
    """What one batch of work produced."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    notes: list[ScanNote] = field(default_factory=list)
    files: int = 0
    nbytes: int = 0

    def extend(self, other: BatchResult) -> None:
        """Add another batch's outputs to this one."""
        self.findings += other.findings
        self.errors += other.errors
        self.skipped += other.skipped
        self.notes += other.notes
        self.files += other.files
        self.nbytes += other.nbytes


@dataclass(frozen=True, slots=True)
class WorkerState:
    """The analyzers and contexts a worker serves, sent once per worker process."""

    analyzers: tuple[Analyzer, ...]
    contexts: tuple[AnalysisContext, ...]


_STATE: WorkerState | None = None


def init_worker(state: WorkerState) -> None:
    """Pool initializer: keep the analyzers for the life of this worker process."""
    global _STATE
    _STATE = state


def current_state() -> WorkerState:
    """The state set by :func:`init_worker`."""
    if _STATE is None:
        raise RuntimeError("worker used before init_worker")
    return _STATE


def is_binary(head: bytes) -> bool:
    """A NUL byte in the first block marks binary content, as git and grep decide."""
    return b"\x00" in head[:BINARY_SNIFF_BYTES]


# Files on disk travel to workers as plain tuples: pickling a tuple of three values costs a
# fraction of pickling a dataclass, and there are hundreds of thousands of them in a big tree.
DiskFile = tuple[str, str, int]
BatchItem = tuple[File | DiskFile, tuple[int, ...]]


def pack(file: File) -> File | DiskFile:
    """The cheapest picklable form of a file: a tuple for files on disk."""
    if file.data is None and not file.origin:
        return (file.path, file.abspath, file.size)
    return file


def run_file_batch(batch: Sequence[BatchItem]) -> BatchResult:
    """Read each file once and hand it to every FILE-scope analyzer that wants it."""
    state = current_state()
    out = BatchResult()
    for item, wanted_by in batch:
        file = item if isinstance(item, File) else File(path=item[0], abspath=item[1], size=item[2])
        try:
            data = file.read_unless_binary(BINARY_SNIFF_BYTES)
        except AnalysisError as exc:
            out.errors.append(ScanError(file.path, str(exc)))
            continue
        if data is None:
            out.skipped.append(SkippedFile(file.path, SkipReason.BINARY))
            continue
        loaded = (
            File(path=file.path, abspath=file.abspath, size=len(data), data=data)
            if file.data is None
            else file
        )
        out.files += 1
        out.nbytes += len(data)
        for index in wanted_by:
            _analyze(state.analyzers[index], state.contexts[index], [loaded], out)
    return out


def run_group(analyzer_index: int, files: Sequence[File], label: str) -> BatchResult:
    """Hand a group of files to one DIRECTORY- or PROJECT-scope analyzer."""
    state = current_state()
    out = BatchResult()
    _analyze(state.analyzers[analyzer_index], state.contexts[analyzer_index], files, out, label)
    return out


def _analyze(
    analyzer: Analyzer,
    ctx: AnalysisContext,
    files: Sequence[File],
    out: BatchResult,
    label: str | None = None,
) -> None:
    where = label if label is not None else files[0].path
    try:
        for item in analyzer.analyze(files, ctx):
            if isinstance(item, ScanError):
                out.errors.append(item)
            elif isinstance(item, ScanNote):
                out.notes.append(item)
            else:
                out.findings.append(item)
    except ScanAbortedError:
        raise
    except AnalysisError as exc:
        out.errors.append(ScanError(where, str(exc), analyzer.id))
    except RecursionError:
        out.errors.append(ScanError(where, "too deeply nested to analyse", analyzer.id))
    except Exception as exc:  # the per-file boundary: one crash must not end the scan
        message = f"internal error in {analyzer.id}: {type(exc).__name__}: {exc}"
        out.errors.append(ScanError(where, message, analyzer.id))
