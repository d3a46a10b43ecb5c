"""The Python SAST analyzer: program model, inter-procedural taint and pattern rules."""

from __future__ import annotations

import gc
import sys
import time
import tokenize
from collections.abc import Iterator, Sequence
from io import BytesIO
from typing import ClassVar

from pydantic import BaseModel

from shieldwall.analyzers.sast.config import SastConfig
from shieldwall.analyzers.sast.engine import analyse
from shieldwall.analyzers.sast.findings import merge, pattern_findings, taint_findings
from shieldwall.analyzers.sast.parsing import parse_module
from shieldwall.analyzers.sast.patterns import ALL_CHECKS, run_checks
from shieldwall.analyzers.sast.program import ModuleInfo, build_module
from shieldwall.analyzers.sast.project import Project
from shieldwall.analyzers.sast.rules import TAINT_RULES
from shieldwall.analyzers.sast.spec import SinkKind, load_spec
from shieldwall.core.errors import AnalysisError
from shieldwall.core.file import File
from shieldwall.core.finding import Finding
from shieldwall.core.protocols import AnalysisContext, AnalyzerOutput, AnalyzerScope
from shieldwall.core.result import ScanError
from shieldwall.core.rule import Rule

_EXTENSIONS = (".py", ".pyw", ".pyi")
_RECURSION_LIMIT = 6000


class SastAnalyzer:
    """Finds injection, deserialisation, crypto and configuration flaws in Python code."""

    id: ClassVar[str] = "sast"
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = (
        "Python SAST: inter-procedural taint tracking with source-to-sink traces, plus pattern "
        "rules"
    )
    scope: ClassVar[AnalyzerScope] = AnalyzerScope.PROJECT
    config_model: ClassVar[type[BaseModel] | None] = SastConfig

    def rules(self) -> Sequence[Rule]:
        """Every rule this analyzer can report, taint rules first."""
        patterns = {check.rule.id: check.rule for check in ALL_CHECKS}
        return (*TAINT_RULES.values(), *(patterns[k] for k in sorted(patterns)))

    def wants(self, path: str) -> bool:
        """Python source files (stubs included, for their imports)."""
        return path.endswith(_EXTENSIONS)

    def analyze(self, files: Sequence[File], ctx: AnalysisContext) -> Iterator[AnalyzerOutput]:
        """Parse every module, run the taint analysis over the project, then the pattern rules."""
        # The syntax trees of the whole project stay alive until the end, and the cyclic garbage
        # collector would traverse all of them again and again while millions of nodes are
        # allocated (it tripled the parse time on Django): it is paused while parsing, and the
        # trees are then frozen out of its sight (see _analyze).
        collecting = gc.isenabled()
        gc.disable()
        # Long generated expressions ("a" + "b" + ... 500 times) nest deeper than the default
        # limit of 1000 frames; Python 3.11 runs Python-to-Python calls without C recursion, so a
        # higher limit is safe. Deeper still becomes a per-function ScanError.
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
        try:
            outputs = list(self._analyze(files, ctx, collecting))
        finally:
            sys.setrecursionlimit(limit)
            if collecting:
                gc.unfreeze()
                gc.enable()
        yield from outputs

    def _analyze(
        self, files: Sequence[File], ctx: AnalysisContext, collecting: bool
    ) -> Iterator[AnalyzerOutput]:
        config = ctx.config if isinstance(ctx.config, SastConfig) else SastConfig()
        spec = load_spec(tuple(config.extra_specs))
        ordered = sorted(files, key=lambda f: f.path)
        total = sum(f.size for f in ordered)
        whole_program = config.taint and total <= config.max_taint_bytes
        if config.taint and not whole_program:
            yield ScanError(
                path=".",  # the whole project
                message=f"{total // 1024**2} MB of Python is over max_taint_bytes "
                f"({config.max_taint_bytes // 1024**2} MB): taint analysis skipped, "
                "pattern rules only (raise the limit or scan a smaller part)",
                analyzer=self.id,
            )
        project = Project()
        patterns: list[Finding] = []
        for file in ordered:
            try:
                source = _decode(file)
                module = build_module(
                    file.path, parse_module(source, file.path, max_lines=config.max_file_lines)
                )
            except AnalysisError as exc:
                yield ScanError(path=file.path, message=str(exc), analyzer=self.id)
                continue
            if whole_program:
                project.add(module)
            else:
                # Memory stays bounded by the largest module: each tree is dropped after use.
                yield from self._patterns(module, None, patterns)
        if collecting:
            gc.freeze()
            gc.enable()
        taint: list[Finding] = []
        clean: list[tuple[str, int, SinkKind]] = []
        if whole_program:
            deadline = time.monotonic() + config.time_limit_seconds
            result = analyse(project, spec, max_visits=config.max_visits, deadline=deadline)
            for path, message in result.errors:
                yield ScanError(path=path, message=message, analyzer=self.id)
            taint = taint_findings(hit for hits in result.hits.values() for hit in hits)
            clean = sorted(result.settled_sinks())
        for module in project.modules.values():
            yield from self._patterns(module, project, patterns)
        yield from merge(taint, patterns, config.min_confidence, clean)

    def _patterns(
        self, module: ModuleInfo, project: Project | None, into: list[Finding]
    ) -> Iterator[ScanError]:
        """Run the pattern rules over one module, collecting findings into ``into``."""
        try:
            into.extend(pattern_findings(module, run_checks(module, ALL_CHECKS, project)))
        except RecursionError:
            yield ScanError(
                path=module.path, message="too deeply nested for pattern rules", analyzer=self.id
            )


def _decode(file: File) -> str:
    """Source text: UTF-8, or the encoding a PEP 263 coding cookie declares."""
    raw = file.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            encoding, _ = tokenize.detect_encoding(BytesIO(raw).readline)
        except SyntaxError:
            encoding = "utf-8"
        if encoding.replace("_", "-").lower() in ("utf-8", "utf-8-sig"):
            raise AnalysisError(
                f"{file.path}: not valid UTF-8 (byte {exc.start}) and no coding declaration"
            ) from exc
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as inner:
            raise AnalysisError(f"{file.path}: cannot decode as {encoding}") from inner
