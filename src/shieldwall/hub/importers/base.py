"""The importer contract of the hub and the helpers every format shares.

An importer turns one foreign document into an :class:`ImportedReport`: the tool that produced it
and core :class:`~shieldwall.core.finding.Finding` objects, built with ``Finding.create`` so that
secrets are redacted and fingerprints computed exactly as for our own scanners. Each importer also
satisfies the core ``Importer`` protocol (``format``, ``detect``, ``parse``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from shieldwall.core.finding import Finding
from shieldwall.core.ids import RuleId
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence, Severity
from shieldwall.hub.errors import ImportFormatError

# How much of a document ``detect`` looks at: enough for the top-level keys of every format.
DETECT_BYTES = 65536
_CWE_IN_TEXT = re.compile(r"cwe[-_/ ]?(\d+)", re.IGNORECASE)
_MAX_ID = 255


@dataclass(frozen=True, slots=True)
class ImportedReport:
    """One parsed document: the tool that produced it, its version, and its findings."""

    tool: str
    findings: tuple[Finding, ...]
    tool_version: str = ""
    # The scanners (``Finding.scanner`` values) this document is a complete result for; a
    # complete import closes their findings that it no longer contains. Defaults to ``(tool,)``.
    scanners: tuple[str, ...] = ()

    @property
    def covered(self) -> tuple[str, ...]:
        """The scanners the document is complete for."""
        return self.scanners or (self.tool,)


class ReportImporter(Protocol):
    """A foreign format the hub can import."""

    format: ClassVar[str]
    description: ClassVar[str]

    def detect(self, head: bytes) -> bool:
        """Whether the first bytes of a document look like this format."""
        ...

    def parse(self, data: bytes) -> Iterator[Finding]:
        """Findings from the document (the core ``Importer`` contract)."""
        ...

    def parse_report(self, data: bytes) -> ImportedReport:
        """The tool name and findings of the document."""
        ...


class ImporterBase:
    """Shared ``parse`` for importers that implement ``parse_report``."""

    format: ClassVar[str] = ""

    def parse_report(self, data: bytes) -> ImportedReport:
        """Implemented by each format."""
        raise NotImplementedError

    def parse(self, data: bytes) -> Iterator[Finding]:
        """Findings from the document."""
        yield from self.parse_report(data).findings


M = TypeVar("M", bound=BaseModel)


def load_json(data: bytes, fmt: str) -> Any:
    """Parse JSON bytes, turning every failure into an :class:`ImportFormatError`."""
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{fmt}: the document is not valid UTF-8 ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{fmt}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    except RecursionError as exc:
        raise ImportFormatError(f"{fmt}: the document is nested too deeply") from exc


def validate(model: type[M], value: Any, fmt: str) -> M:
    """Validate a parsed document against the format's model, naming the first bad field."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        raise ImportFormatError(f"{fmt}: {where}: {first['msg']}") from exc


def validate_json(model: type[M], data: bytes, fmt: str) -> M:
    """Parse and validate in one pass (pydantic's JSON parser), with the same clear errors."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{fmt}: the document is not valid UTF-8 ({exc.reason})") from exc
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "json_invalid":
            message = str(first.get("ctx", {}).get("error", first["msg"]))
            if "recursion" in message.lower():
                raise ImportFormatError(f"{fmt}: the document is nested too deeply") from exc
            if "utf-8" in message.lower() or "unicode" in message.lower():
                raise ImportFormatError(f"{fmt}: the document is not valid UTF-8") from exc
            raise ImportFormatError(f"{fmt}: invalid JSON: {message}") from exc
        where = ".".join(str(p) for p in first["loc"]) or "document"
        raise ImportFormatError(f"{fmt}: {where}: {first['msg']}") from exc


def head_has(head: bytes, *needles: bytes) -> bool:
    """Whether every needle occurs in the document head."""
    return all(n in head for n in needles)


def cwe_ids(values: Iterable[object]) -> tuple[str, ...]:
    """``CWE-n`` ids from numbers, ``"CWE-89: ..."`` strings or ``external/cwe/cwe-89`` tags."""
    found: list[str] = []
    for value in values:
        if isinstance(value, int):
            found.append(f"CWE-{value}")
            continue
        match = _CWE_IN_TEXT.search(str(value))
        if match:
            found.append(f"CWE-{int(match.group(1))}")
        elif str(value).strip().isdigit():
            found.append(f"CWE-{int(str(value).strip())}")
    return tuple(dict.fromkeys(found))


def foreign_rule(
    *,
    rule_id: str,
    title: str,
    severity: Severity,
    scanner: str,
    description: str = "",
    remediation: str = "",
    confidence: Confidence = Confidence.MEDIUM,
    cwe: Iterable[object] = (),
    references: Iterable[str] = (),
    tags: Iterable[str] = (),
) -> Rule:
    """A rule of another tool.

    ``Rule.create`` enforces our own id scheme (``SW-XXX-001``); foreign ids (``B602``,
    ``python.lang.security.audit...``, ``CVE-2024-1``) are kept verbatim, so the rule is built
    directly with only the checks that apply to any tool.
    """
    clean_id = rule_id.strip()[:_MAX_ID] or "unknown"
    return Rule(
        id=RuleId(clean_id),
        title=(title.strip() or clean_id)[:1000],
        severity=severity,
        scanner=scanner,
        description=description.strip(),
        remediation=remediation.strip(),
        confidence=confidence,
        cwe=cwe_ids(cwe),
        references=tuple(r for r in references if r),
        tags=tuple(tags),
    )


_SEVERITY_WORDS = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "error": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "moderate": Severity.MEDIUM,
    "warning": Severity.MEDIUM,
    "low": Severity.LOW,
    "note": Severity.LOW,
    "info": Severity.INFO,
    "informational": Severity.INFO,
    "none": Severity.INFO,
    "unknown": Severity.MEDIUM,
    "negligible": Severity.INFO,
}

_CONFIDENCE_WORDS = {
    "high": Confidence.HIGH,
    "medium": Confidence.MEDIUM,
    "low": Confidence.LOW,
}


def severity_from_word(word: str | None, default: Severity = Severity.MEDIUM) -> Severity:
    """A severity from a tool's label (``HIGH``, ``error``, ``moderate``...)."""
    if not word:
        return default
    return _SEVERITY_WORDS.get(word.strip().lower(), default)


def confidence_from_word(word: str | None, default: Confidence = Confidence.MEDIUM) -> Confidence:
    """A confidence from a tool's label."""
    if not word:
        return default
    return _CONFIDENCE_WORDS.get(word.strip().lower(), default)


def severity_from_score(score: object, default: Severity = Severity.MEDIUM) -> Severity:
    """A severity from a numeric CVSS-like score given as a number or a string."""
    try:
        return Severity.from_cvss_score(float(str(score)))
    except ValueError:
        return default
