"""The secrets scanner: provider-specific rules as data, generic detection, history scanning."""

from __future__ import annotations

from shieldwall.analyzers.secrets.analyzer import SecretsAnalyzer
from shieldwall.analyzers.secrets.config import SecretsConfig

__all__ = ["SecretsAnalyzer", "SecretsConfig"]
