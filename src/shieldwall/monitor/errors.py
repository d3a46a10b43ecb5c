"""Errors of the monitoring pipeline, placed in the core error tree."""

from __future__ import annotations

from shieldwall.core.errors import AnalysisError, ConfigError, ShieldwallError


class LogParseError(AnalysisError):
    """One log line or file could not be parsed; the replay goes on without it."""


class RuleLoadError(ConfigError):
    """A detection rule file is invalid or uses a feature the engine lacks."""


class SinkError(ShieldwallError):
    """An alert sink could not deliver after its retries; the alerts stay queued."""
