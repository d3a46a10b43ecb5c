"""Where each requested report goes: pairing ``--format`` with ``-o`` and inferring formats."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from shieldwall.core.errors import ReportError, UsageError
from shieldwall.core.registry import Registry
from shieldwall.core.result import ScanResult

_BY_SUFFIX = {
    ".sarif": "sarif",
    ".json": "json",
    ".xml": "junit",
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "table",
}


@dataclass(frozen=True, slots=True)
class OutputTarget:
    """One report: its format and its file (None: standard output)."""

    format: str
    path: Path | None


def pair_outputs(formats: list[str], outputs: list[Path]) -> list[OutputTarget]:
    """``--format A -o a --format B -o b`` pairs by position; an extra ``-o`` infers its format
    from the suffix; an extra ``--format`` goes to standard output (only one may)."""
    targets = [OutputTarget(fmt, path) for fmt, path in zip(formats, outputs, strict=False)]
    for path in outputs[len(formats) :]:
        fmt = _BY_SUFFIX.get(path.suffix.lower())
        if fmt is None:
            raise UsageError(f"cannot tell the format of {path}; add --format before -o {path}")
        targets.append(OutputTarget(fmt, path))
    extra = formats[len(outputs) :]
    if len(extra) > 1:
        raise UsageError(
            f"formats {', '.join(extra)} have no -o FILE; only one report can go to stdout"
        )
    targets += [OutputTarget(fmt, None) for fmt in extra]
    return targets


def report_targets(formats: list[str], outputs: list[Path], *, quiet: bool) -> list[OutputTarget]:
    """The reports to write: the pairs of :func:`pair_outputs`, and the table on stdout when
    nothing else goes there (unless ``quiet``)."""
    targets = pair_outputs(formats, outputs)
    if not any(t.path is None for t in targets) and not quiet:
        targets.insert(0, OutputTarget("table", None))
    return targets


def write_outputs(result: ScanResult, targets: list[OutputTarget], registry: Registry) -> None:
    """Write every report; a file that cannot be written is a ReportError."""
    for target in targets:
        reporter = registry.reporter(target.format)
        if target.path is None:
            color = target.format == "table" and Console().is_terminal
            stream = sys.stdout.buffer if reporter.binary else sys.stdout
            reporter.write(result, stream, color=color)
            continue
        try:
            target.path.parent.mkdir(parents=True, exist_ok=True)
            mode = "wb" if reporter.binary else "w"
            encoding = None if reporter.binary else "utf-8"
            with target.path.open(mode, encoding=encoding) as stream:
                reporter.write(result, stream, color=False)
        except OSError as exc:
            raise ReportError(f"cannot write {target.path}: {exc.strerror or exc}") from exc
