"""The core model: findings, rules, locations, results, contracts and the registry."""

from __future__ import annotations

from shieldwall.core.errors import (
    AnalysisError,
    BaselineError,
    ConfigError,
    FileReadError,
    GitError,
    RegistryError,
    ReportError,
    RuleDefinitionError,
    ScanAbortedError,
    ShieldwallError,
    UsageError,
)
from shieldwall.core.file import File
from shieldwall.core.finding import Finding, Fix, Suppression, SuppressionKind, TraceStep
from shieldwall.core.ids import AnalyzerId, Fingerprint, Purl, RuleId
from shieldwall.core.location import (
    ImageLocation,
    Location,
    PackageLocation,
    SourceLocation,
    UrlLocation,
)
from shieldwall.core.protocols import (
    AnalysisContext,
    Analyzer,
    AnalyzerOutput,
    AnalyzerScope,
    FileAnalyzer,
    Importer,
    Reporter,
)
from shieldwall.core.result import (
    ScanError,
    ScanNote,
    ScanResult,
    ScanStats,
    SkippedFile,
    SkipReason,
)
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence, Severity

__all__ = [
    "AnalysisContext",
    "AnalysisError",
    "Analyzer",
    "AnalyzerId",
    "AnalyzerOutput",
    "AnalyzerScope",
    "BaselineError",
    "Confidence",
    "ConfigError",
    "File",
    "FileAnalyzer",
    "FileReadError",
    "Finding",
    "Fingerprint",
    "Fix",
    "GitError",
    "ImageLocation",
    "Importer",
    "Location",
    "PackageLocation",
    "Purl",
    "RegistryError",
    "ReportError",
    "Reporter",
    "Rule",
    "RuleDefinitionError",
    "RuleId",
    "ScanAbortedError",
    "ScanError",
    "ScanNote",
    "ScanResult",
    "ScanStats",
    "Severity",
    "ShieldwallError",
    "SkipReason",
    "SkippedFile",
    "SourceLocation",
    "Suppression",
    "SuppressionKind",
    "TraceStep",
    "UrlLocation",
    "UsageError",
]
