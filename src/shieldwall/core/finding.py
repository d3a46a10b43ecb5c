"""The Finding: one detected issue, frozen, fingerprinted and redacted at creation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from shieldwall.core.fingerprint import compute_fingerprint
from shieldwall.core.frozen import FrozenDict, freeze
from shieldwall.core.ids import Fingerprint
from shieldwall.core.location import (
    ImageLocation,
    Location,
    PackageLocation,
    SourceLocation,
    UrlLocation,
)
from shieldwall.core.redaction import DEFAULT_SALT, redact, redact_in, secret_hash
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence, Severity


@dataclass(frozen=True, slots=True)
class Fix:
    """How to fix a finding: versions that clear it, or a replacement text."""

    fixed_versions: tuple[str, ...] = ()
    replacement: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One step of a data flow from a source to a sink."""

    location: SourceLocation
    message: str


class SuppressionKind(StrEnum):
    """Why a finding does not count against the gate."""

    INLINE = "inline"
    BASELINE = "baseline"
    IGNORE = "ignore"
    VEX = "vex"


@dataclass(frozen=True, slots=True)
class Suppression:
    """A record that a finding was suppressed, kept so reports can show it."""

    kind: SuppressionKind
    reason: str = ""
    expires: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One detected issue. Build it with :meth:`create`, derive with ``dataclasses.replace``."""

    rule: Rule
    severity: Severity
    confidence: Confidence
    message: str
    location: Location
    scanner: str
    fingerprint: Fingerprint
    fix: Fix | None = None
    trace: tuple[TraceStep, ...] = ()
    properties: Mapping[str, Any] = field(default_factory=FrozenDict)
    suppression: Suppression | None = None

    @property
    def suppressed(self) -> bool:
        """Whether a suppression applies."""
        return self.suppression is not None

    @classmethod
    def create(
        cls,
        *,
        rule: Rule,
        message: str,
        location: Location,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        identity: str = "",
        secret: str | None = None,
        secret_salt: str = DEFAULT_SALT,
        fix: Fix | None = None,
        trace: tuple[TraceStep, ...] = (),
        properties: Mapping[str, Any] | None = None,
    ) -> Finding:
        """Build a finding, keeping its invariants.

        ``identity`` is the matched content that makes this finding this one (the matched text,
        the resource address, the package and advisory). It goes into the fingerprint with the rule
        and the path; it defaults to the snippet. ``secret``, when given, is removed from the
        message, snippet and trace, and only its preview and salted hash are kept.
        """
        props = dict(properties or {})
        if secret:
            location = _redact_location(location, secret)
            message = redact_in(message, secret)
            trace = tuple(
                TraceStep(_redact_source(step.location, secret), redact_in(step.message, secret))
                for step in trace
            )
            props["secret_preview"] = redact(secret)
            props["secret_hash"] = secret_hash(secret, secret_salt)
            identity = props["secret_hash"]
        if not identity:
            identity = _default_identity(location, message)
        fingerprint = compute_fingerprint(rule.id, location.path, identity)
        return cls(
            rule=rule,
            severity=severity or rule.severity,
            confidence=confidence or rule.confidence,
            message=message,
            location=location,
            scanner=rule.scanner,
            fingerprint=fingerprint,
            fix=fix,
            trace=trace,
            properties=freeze(props),
        )


def _default_identity(location: Location, message: str) -> str:
    match location:
        case SourceLocation():
            return location.snippet or message
        case PackageLocation():
            return f"{location.purl}|{message}"
        case ImageLocation():
            return f"{location.image}|{location.path}|{message}"
        case UrlLocation():
            return f"{location.method}|{location.parameter or ''}|{message}"


def _redact_source(location: SourceLocation, secret: str) -> SourceLocation:
    return SourceLocation(
        path=location.path,
        start_line=location.start_line,
        end_line=location.end_line,
        start_column=location.start_column,
        end_column=location.end_column,
        snippet=redact_in(location.snippet, secret),
    )


def _redact_location(location: Location, secret: str) -> Location:
    if isinstance(location, SourceLocation):
        return _redact_source(location, secret)
    return location
