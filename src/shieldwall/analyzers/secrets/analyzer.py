"""The secrets analyzer: provider rules, generic detection, findings that never hold the value."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel

from shieldwall.analyzers.secrets.chunks import CHUNK, iter_chunks
from shieldwall.analyzers.secrets.config import SecretsConfig
from shieldwall.analyzers.secrets.detector import Candidate, Detector
from shieldwall.analyzers.secrets.filters import is_expected_secret_path
from shieldwall.analyzers.secrets.generic import GenericSettings, is_config_file
from shieldwall.analyzers.secrets.leaks import (
    LEAKED_STORED_SECRET_RULE,
    leak_candidates,
    load_leak_fingerprints,
    merge,
    name_leaks,
)
from shieldwall.analyzers.secrets.ruleset import (
    SCANNER_ID,
    SecretRule,
    builtin_rules,
    load_extra_rules,
)
from shieldwall.core.errors import AnalysisError, ConfigError, RuleDefinitionError
from shieldwall.core.file import File
from shieldwall.core.finding import Finding
from shieldwall.core.fingerprint import compute_fingerprint
from shieldwall.core.location import SourceLocation
from shieldwall.core.protocols import AnalysisContext, AnalyzerOutput, AnalyzerScope
from shieldwall.core.redaction import redact, redact_in
from shieldwall.core.result import ScanNote
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence

if TYPE_CHECKING:
    from shieldwall.secretstore.fingerprints import LeakFingerprints

GENERIC_SECRET_RULE = Rule.create(
    id="SW-SEC-001",
    title="Generic high-entropy secret",
    severity="high",
    scanner=SCANNER_ID,
    confidence="medium",
    cwe=["CWE-798"],
    tags=["secret", "generic"],
    description="A high-entropy value is assigned to a name that says it holds a secret.",
    remediation="Move the value to the environment or a secret store; if it is real, rotate it.",
)
GENERIC_PASSWORD_RULE = Rule.create(
    id="SW-SEC-002",
    title="Hardcoded password",
    severity="high",
    scanner=SCANNER_ID,
    confidence="medium",
    cwe=["CWE-259", "CWE-798"],
    tags=["secret", "generic"],
    description="A literal password is assigned to a password-named variable or setting.",
    remediation="Read the password from the environment or a secret store, and change it.",
)
SNIPPET_CHARS = 240
ORIGIN_KEYS = ("commit", "author", "date", "staged")
_MINIFIED_LINE = 1000
_LINE_BREAKS = re.compile(r"\\[rn]|[\r\n]+")
_BINARY_SNIFF = 8192


def build_detector(config: SecretsConfig) -> Detector:
    """The detector for a config (cached per process: compiling 200 patterns takes ~50 ms).

    The cache key includes the extra rules file's size and modification time, so an edited
    file is read again by a long-running process (the hub).
    """
    stamp: tuple[int, int] | None = None
    if config.extra_rules:
        try:
            stat = Path(config.extra_rules).stat()
        except OSError as exc:
            raise ConfigError(
                f"[analyzers.secrets] extra_rules: cannot read {config.extra_rules}: {exc}"
            ) from exc
        stamp = (stat.st_mtime_ns, stat.st_size)
    return _build_detector(config, stamp)


@lru_cache(maxsize=8)
def _build_detector(config: SecretsConfig, stamp: tuple[int, int] | None) -> Detector:
    del stamp  # only part of the cache key
    rules: list[SecretRule] = list(builtin_rules())
    if config.extra_rules:
        taken = {r.rule.id for r in rules} | {r.name for r in rules}
        for extra in load_extra_rules(config.extra_rules):
            if extra.rule.id in taken or extra.name in taken:
                raise RuleDefinitionError(f"extra rule {extra.rule.id} clashes with a built-in")
            rules.append(extra)
    disabled = set(config.disabled_rules)
    generic_rules = (GENERIC_SECRET_RULE, GENERIC_PASSWORD_RULE)
    generic_on = config.generic and not {r.id for r in generic_rules} <= disabled
    return Detector(
        [r for r in rules if r.rule.id not in disabled],
        generic_rules if generic_on else None,
        GenericSettings(
            entropy_threshold=config.entropy_threshold,
            min_length=config.min_generic_length,
            password_min_length=config.password_min_length,
        ),
    )


class SecretsAnalyzer:
    """Finds credentials in any text file; reports a redacted preview and a salted hash only."""

    id: ClassVar[str] = SCANNER_ID
    version: ClassVar[str] = "1.0.0"
    description: ClassVar[str] = "Hardcoded secrets: 200 provider formats plus generic detection."
    scope: ClassVar[AnalyzerScope] = AnalyzerScope.FILE
    config_model: ClassVar[type[BaseModel] | None] = SecretsConfig

    def rules(self) -> Sequence[Rule]:
        """The two generic rules, every built-in provider rule, and SW-SEC-900 (leaked stored
        secrets, reported only when ``leak_fingerprints`` is set, but listed and documented
        like any rule)."""
        return (
            GENERIC_SECRET_RULE,
            GENERIC_PASSWORD_RULE,
            *(r.rule for r in builtin_rules()),
            LEAKED_STORED_SECRET_RULE,
        )

    def wants(self, path: str) -> bool:
        """Every file: secrets hide in any text format (the walker already drops binaries)."""
        return not path.endswith((".min.js.map", ".woff", ".woff2"))

    def analyze(self, files: Sequence[File], ctx: AnalysisContext) -> Iterator[AnalyzerOutput]:
        """Findings for each file; a file that cannot be read raises ``AnalysisError``."""
        config = ctx.config if isinstance(ctx.config, SecretsConfig) else SecretsConfig()
        detector = build_detector(config)
        leaks = load_leak_fingerprints(config.leak_fingerprints)
        for file in files:
            yield from self.analyze_file(file, ctx, detector, leaks)

    def analyze_file(
        self,
        file: File,
        ctx: AnalysisContext,
        detector: Detector,
        leaks: LeakFingerprints | None = None,
    ) -> Iterator[Finding | ScanNote]:
        """Findings for one file, chunk by chunk (and a note when it is minified)."""
        config_file = is_config_file(file.name)
        lowered_confidence = is_expected_secret_path(file.path)
        line_base = 1
        for chunk in iter_chunks(file):
            if chunk.offset == 0 and b"\x00" in chunk.data[:_BINARY_SNIFF]:
                raise AnalysisError(f"{file.path}: binary content (NUL bytes), not scanned")
            text = chunk.data.decode("latin-1")
            limit = len(text) if chunk.last else CHUNK
            minified = _minified(text)
            if minified and chunk.offset == 0:
                yield ScanNote(file.path, MINIFIED_NOTE, ANALYZER_NAME)
            candidates = [
                c
                for c in detector.scan(text, config_file=config_file, minified=minified)
                if c.start < limit
            ]
            found = None if leaks is None else leak_candidates(leaks, chunk.data, limit)
            if not found:
                yield from _findings(file, text, candidates, line_base, ctx, lowered_confidence)
            else:
                # Exact copies of stored secrets replace other findings on the same bytes.
                merged = merge(candidates, found)
                findings = _findings(file, text, merged, line_base, ctx, lowered_confidence)
                yield from name_leaks(findings, [match for _, match in found])
            if not chunk.last:
                line_base += text.count("\n", 0, limit)


MINIFIED_NOTE = "minified content: generic secret rules skipped (provider rules still ran)"
ANALYZER_NAME = "secrets"


def _minified(text: str) -> bool:
    """Long average lines: generated code where name-based detection only adds noise."""
    return len(text) > 4096 and len(text) / (text.count("\n") + 1) > _MINIFIED_LINE


def _findings(
    file: File,
    text: str,
    candidates: list[Candidate],
    line_base: int,
    ctx: AnalysisContext,
    lowered_confidence: bool,
) -> Iterator[Finding]:
    if not candidates:
        return
    secrets_by_line: dict[int, list[str]] = {}
    placed = []
    line, cursor = line_base, 0
    for cand in candidates:
        line += text.count("\n", cursor, cand.start)
        cursor = cand.start
        value = cand.secret.encode("latin-1").decode("utf-8", "replace")
        placed.append((cand, line, value))
        secrets_by_line.setdefault(line, []).append(value)
    for cand, line, value in placed:
        yield _finding(
            file, text, cand, line, value, secrets_by_line[line], ctx, lowered_confidence
        )


def _finding(
    file: File,
    text: str,
    cand: Candidate,
    line: int,
    value: str,
    same_line: list[str],
    ctx: AnalysisContext,
    lowered_confidence: bool,
) -> Finding:
    line_start = text.rfind("\n", 0, cand.start) + 1
    line_end = text.find("\n", cand.start)
    line_end = len(text) if line_end == -1 else line_end
    start_column = len(_utf8(text[line_start : cand.start])) + 1
    last_break = cand.secret.rfind("\n")
    end_line = line + cand.secret.count("\n")
    if last_break == -1:
        end_column = start_column + len(value) - 1
    else:
        end_column = len(_utf8(cand.secret[last_break + 1 :]))
    snippet = _snippet(_utf8(text[line_start:line_end]).strip(), same_line, value)
    confidence = cand.rule.confidence
    if lowered_confidence:
        confidence = Confidence.MEDIUM if confidence is Confidence.HIGH else Confidence.LOW
    properties: dict[str, object] = {k: file.origin[k] for k in ORIGIN_KEYS if k in file.origin}
    if cand.name:
        properties["variable"] = cand.name
    where = f" in `{cand.name}`" if cand.name and value not in cand.name else ""
    finding = Finding.create(
        rule=cand.rule,
        message=f"{cand.rule.title}{where} ({redact(value)})",
        location=SourceLocation(
            path=file.path,
            start_line=line,
            end_line=end_line,
            start_column=start_column,
            end_column=end_column,
            snippet=snippet,
        ),
        confidence=confidence,
        secret=value,
        secret_salt=ctx.secret_salt,
        properties=properties,
    )
    if "commit" in file.origin:
        # Keep the same secret in different commits apart until scan.history collapses them.
        fingerprint = compute_fingerprint(
            cand.rule.id, file.path, str(finding.properties["secret_hash"]), file.origin["commit"]
        )
        finding = dataclasses.replace(finding, fingerprint=fingerprint)
    return finding


def _utf8(latin1: str) -> str:
    return latin1.encode("latin-1").decode("utf-8", "replace")


def _snippet(line: str, secrets: list[str], value: str) -> str:
    """The line with every secret on it redacted, cut around the value when it is long."""
    pieces = {piece for s in secrets for piece in _LINE_BREAKS.split(s) if piece}
    # A multi-line value (a PEM body) shows one of its lines here: redact line by line.
    for secret in sorted(pieces, key=len, reverse=True):
        line = redact_in(line, secret)
    if len(line) <= SNIPPET_CHARS:
        return line
    at = max(0, line.find(redact(value)) - SNIPPET_CHARS // 3)
    return line[at : at + SNIPPET_CHARS]
