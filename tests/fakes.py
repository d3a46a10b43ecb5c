"""Small real analyzers for testing the engine, policy and CLI without the production scanners.

They are module-level classes so that pool workers can unpickle them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from shieldwall.core import (
    AnalysisContext,
    AnalysisError,
    AnalyzerOutput,
    AnalyzerScope,
    File,
    FileAnalyzer,
    Finding,
    Rule,
    ScanError,
    Severity,
    SourceLocation,
)

MARKER = re.compile(r"DANGER\((\w+)\)")
MARKER_RULE = Rule.create(
    id="SW-TST-001",
    title="Danger marker",
    severity=Severity.HIGH,
    scanner="marker",
    description="A line contains DANGER(x).",
    remediation="Remove the marker.",
    cwe=["CWE-20"],
)
LOW_RULE = Rule.create(
    id="SW-TST-002", title="Caution marker", severity=Severity.LOW, scanner="marker", cwe=[]
)


class MarkerConfig(BaseModel):
    """Config slice of the marker analyzer."""

    model_config = ConfigDict(extra="forbid")
    crash_on: str = "CRASH-NOW"


class MarkerAnalyzer(FileAnalyzer):
    """Reports ``DANGER(x)`` (high) and ``CAUTION`` (low) markers in text files."""

    id: ClassVar[str] = "marker"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "test analyzer"
    config_model: ClassVar[type[BaseModel] | None] = MarkerConfig

    def rules(self) -> Sequence[Rule]:
        return (MARKER_RULE, LOW_RULE)

    def wants(self, path: str) -> bool:
        return not path.endswith(".skip")

    def analyze_file(self, file: File, ctx: AnalysisContext) -> Iterator[Finding]:
        assert isinstance(ctx.config, MarkerConfig)
        text = file.read_text()
        if ctx.config.crash_on in text:
            raise ValueError("boom")
        if "BADBYTES" in text:
            file.read_text_strict()
        for number, line in enumerate(text.splitlines(), start=1):
            for match in MARKER.finditer(line):
                yield Finding.create(
                    rule=MARKER_RULE,
                    message=f"danger {match.group(1)}",
                    location=SourceLocation(
                        file.path, number, start_column=match.start() + 1, snippet=line.strip()
                    ),
                    identity=match.group(0),
                )
            if "CAUTION" in line:
                yield Finding.create(
                    rule=LOW_RULE,
                    message="caution",
                    location=SourceLocation(file.path, number, snippet=line.strip()),
                )


class CountingProjectAnalyzer:
    """A PROJECT-scope analyzer: one info finding per project saying how many .cfg files it saw."""

    id: ClassVar[str] = "project-count"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "test"
    scope: ClassVar[AnalyzerScope] = AnalyzerScope.PROJECT
    config_model: ClassVar[type[BaseModel] | None] = None
    rule = Rule.create(id="SW-TST-010", title="cfg count", severity="info", scanner="project-count")

    def rules(self) -> Sequence[Rule]:
        return (self.rule,)

    def wants(self, path: str) -> bool:
        return path.endswith(".cfg")

    def analyze(self, files: Sequence[File], ctx: AnalysisContext) -> Iterator[AnalyzerOutput]:
        good = 0
        for file in files:
            if b"broken" in file.read_bytes():
                yield ScanError(file.path, "broken cfg", self.id)
                continue
            good += 1
        first = sorted(f.path for f in files)[0]
        yield Finding.create(
            rule=self.rule,
            message=f"{good} cfg files",
            location=SourceLocation(first, 1),
        )


class DirectoryAnalyzer(CountingProjectAnalyzer):
    """The same, per directory."""

    id: ClassVar[str] = "dir-count"
    scope: ClassVar[AnalyzerScope] = AnalyzerScope.DIRECTORY
    rule = Rule.create(id="SW-TST-011", title="cfg per dir", severity="info", scanner="dir-count")


class NoopAnalyzer(FileAnalyzer):
    """Wants every file and finds nothing (the walk benchmark's analyzer)."""

    id: ClassVar[str] = "noop"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "does nothing"

    def rules(self) -> Sequence[Rule]:
        return ()

    def wants(self, path: str) -> bool:
        return True

    def analyze_file(self, file: File, ctx: AnalysisContext) -> Iterator[Finding]:
        return iter(())


def raise_analysis_error(path: str) -> None:
    raise AnalysisError(f"{path}: unparseable")
