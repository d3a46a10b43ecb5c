"""The contracts of the extensible families: analyzers, reporters, collectors and importers.

An analyzer must be pure: no state kept on ``self`` between calls, so that one instance can be
pickled into every worker of a process pool and give the same answer in any order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from shieldwall.core.file import File
from shieldwall.core.finding import Finding
from shieldwall.core.redaction import DEFAULT_SALT
from shieldwall.core.result import ScanError, ScanNote, ScanResult
from shieldwall.core.rule import Rule

if TYPE_CHECKING:
    from pydantic import BaseModel


class AnalyzerScope(StrEnum):
    """Which files an analyzer needs to see together."""

    FILE = "file"  # each file alone
    DIRECTORY = "directory"  # the wanted files of one directory together (Terraform modules)
    PROJECT = "project"  # every wanted file of the target together (call graphs)


@dataclass(frozen=True, slots=True)
class AnalysisContext:
    """What an analyzer gets besides its files: the scan root and its own config slice."""

    root: str
    config: BaseModel | None = None
    secret_salt: str = DEFAULT_SALT
    cache_dir: str = ""
    offline: bool = True


AnalyzerOutput = Finding | ScanError | ScanNote


@runtime_checkable
class Analyzer(Protocol):
    """A static scanner for one practice (secrets, sast, deps, iac, license, ...)."""

    id: ClassVar[str]
    version: ClassVar[str]
    description: ClassVar[str]
    scope: ClassVar[AnalyzerScope]
    config_model: ClassVar[type[BaseModel] | None]

    def rules(self) -> Sequence[Rule]:
        """Every rule this analyzer can report."""
        ...

    def wants(self, path: str) -> bool:
        """Whether a file at this relative path is for this analyzer; must be cheap."""
        ...

    def analyze(self, files: Sequence[File], ctx: AnalysisContext) -> Iterator[AnalyzerOutput]:
        """Findings for the files (one file for FILE scope, a group otherwise).

        A problem with one file is yielded as a :class:`ScanError` (or raised as an
        ``AnalysisError`` by FILE-scope analyzers) and the rest goes on.
        """
        ...


class FileAnalyzer:
    """Base for analyzers that look at one file at a time: implement :meth:`analyze_file`."""

    scope: ClassVar[AnalyzerScope] = AnalyzerScope.FILE
    config_model: ClassVar[type[BaseModel] | None] = None

    def analyze(self, files: Sequence[File], ctx: AnalysisContext) -> Iterator[AnalyzerOutput]:
        """Analyse each file in turn."""
        for file in files:
            yield from self.analyze_file(file, ctx)

    def analyze_file(self, file: File, ctx: AnalysisContext) -> Iterator[Finding]:
        """Findings for one file."""
        raise NotImplementedError


class Reporter(Protocol):
    """Writes a ScanResult in one format to a stream."""

    format: ClassVar[str]
    binary: ClassVar[bool]
    description: ClassVar[str]

    def write(self, result: ScanResult, stream: IO[Any], *, color: bool = False) -> None:
        """Write the report."""
        ...


class Importer(Protocol):
    """Turns another tool's report into findings (used by the hub)."""

    format: ClassVar[str]

    def detect(self, head: bytes) -> bool:
        """Whether the first bytes of a document look like this format."""
        ...

    def parse(self, data: bytes) -> Iterator[Finding]:
        """Findings from the document."""
        ...
