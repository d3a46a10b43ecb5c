"""SARIF read as a stream: one result in memory at a time, never the whole document.

Large uploads are spooled to a file; this reader walks it with ijson's C parser, building and
validating each result on its own, so memory holds the findings but not the raw document nor
its full parse tree. Runs are read in two passes over the file: their tools and properties
first (small), then their results.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import ijson  # type: ignore[import-untyped]
from pydantic import ValidationError

from shieldwall.core.finding import Finding
from shieldwall.hub.errors import ImportFormatError
from shieldwall.hub.importers.base import ImportedReport
from shieldwall.hub.importers.sarif import _Result, _Run, _run_findings, tool_name

_RESULT = "runs.item.results.item"


def _events(handle: IO[bytes]) -> Iterator[tuple[str, str, Any]]:
    handle.seek(0)
    try:
        yield from ijson.parse(handle, use_float=True)
    except ijson.JSONError as exc:
        raise ImportFormatError(f"sarif: invalid JSON: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ImportFormatError("sarif: the document is not valid UTF-8") from exc


def _header(handle: IO[bytes]) -> tuple[str | None, list[_Run]]:
    """The version and each run without its results."""
    version: str | None = None
    runs: list[dict[str, Any]] = []
    builder: ijson.ObjectBuilder | None = None
    for prefix, event, value in _events(handle):
        if prefix == "version" and event == "string":
            version = value
        elif prefix == "runs.item" and event == "start_map":
            runs.append({})
        elif prefix in ("runs.item.tool", "runs.item.properties") and event == "start_map":
            builder = ijson.ObjectBuilder()
            builder.event(event, value)
        elif builder is not None:
            builder.event(event, value)
            if event == "end_map" and prefix in ("runs.item.tool", "runs.item.properties"):
                runs[-1][prefix.rsplit(".", 1)[1]] = builder.value
                builder = None
    try:
        return version, [_Run.model_validate(run) for run in runs]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "run"
        raise ImportFormatError(f"sarif: runs: {where}: {first['msg']}") from exc


def _results(handle: IO[bytes]) -> Iterator[tuple[int, _Result]]:
    """(run index, result) for every result, built one at a time."""
    run = -1
    builder: ijson.ObjectBuilder | None = None
    for prefix, event, value in _events(handle):
        if prefix == "runs.item" and event == "start_map":
            run += 1
        elif prefix == _RESULT and event == "start_map":
            builder = ijson.ObjectBuilder()
            builder.event(event, value)
        elif builder is not None:
            builder.event(event, value)
            if prefix == _RESULT and event == "end_map":
                try:
                    yield run, _Result.model_validate(builder.value)
                except ValidationError as exc:
                    first = exc.errors()[0]
                    where = ".".join(str(p) for p in first["loc"]) or "result"
                    raise ImportFormatError(f"sarif: result: {where}: {first['msg']}") from exc
                builder = None


def parse_sarif_file(handle: IO[bytes]) -> ImportedReport:
    """The report of a SARIF document in a file, read as a stream."""
    version, runs = _header(handle)
    if version is None:
        raise ImportFormatError("sarif: version: Field required")
    if version != "2.1.0":
        raise ImportFormatError(f"sarif: version {version!r} is not supported (2.1.0)")
    by_run: list[list[_Result]] = [[] for _ in runs]
    findings: list[Finding] = []
    pending = 0
    for index, result in _results(handle):
        by_run[index].append(result)
        pending += 1
        if pending >= 5000:  # convert in batches so parsed results do not pile up
            findings.extend(_flush(runs, by_run))
            pending = 0
    findings.extend(_flush(runs, by_run))
    tools = [tool_name(run.tool.driver) for run in runs]
    covered: list[str] = []
    for name, run in zip(tools, runs, strict=True):
        analyzers = run.properties.get("analyzers") if name == "shieldwall" else None
        covered.extend(str(a) for a in analyzers) if isinstance(
            analyzers, list
        ) else covered.append(name)
    driver = runs[0].tool.driver if runs else None
    return ImportedReport(
        tool="+".join(dict.fromkeys(tools)) or "unknown",
        findings=tuple(findings),
        tool_version=(driver.semantic_version or driver.version or "") if driver else "",
        scanners=tuple(dict.fromkeys(covered)),
    )


def _flush(runs: list[_Run], by_run: list[list[_Result]]) -> list[Finding]:
    findings: list[Finding] = []
    for run, results in zip(runs, by_run, strict=True):
        if results:
            findings.extend(_run_findings(run.model_copy(update={"results": results})))
            results.clear()
    return findings
