"""The error tree of shieldwall.

::

    ShieldwallError                  base of everything we raise on purpose
    ├── ConfigError                  a config file or option is wrong (exit 2)
    ├── UsageError                   a command was called wrongly: missing path (exit 2)
    ├── RuleDefinitionError          a rule's metadata is invalid (a bug or a bad custom rule)
    ├── RegistryError                duplicate or broken plugin
    ├── BaselineError                a baseline file cannot be read (exit 2)
    ├── GitError                     a git command failed (bad ref, not a repository)
    ├── AnalysisError                one file could not be analysed: a ScanError, the scan goes on
    │   └── FileReadError            the file vanished, is unreadable or not text
    ├── ScanAbortedError             the result would be untrustworthy (exit 3)
    └── ReportError                  a report could not be written (exit 3)

Adapters translate foreign exceptions with ``raise X(...) from exc``.
"""

from __future__ import annotations


class ShieldwallError(Exception):
    """Base class of every error shieldwall raises on purpose."""


class ConfigError(ShieldwallError):
    """A configuration file, environment variable or option is invalid."""


class UsageError(ShieldwallError):
    """A command was called with arguments that cannot work."""


class RuleDefinitionError(ShieldwallError):
    """A rule's metadata is invalid."""


class RegistryError(ShieldwallError):
    """A plugin could not be registered (duplicate id, failed import)."""


class BaselineError(ShieldwallError):
    """A baseline file is missing, corrupt or of an unknown version."""


class GitError(ShieldwallError):
    """A git command failed."""


class AnalysisError(ShieldwallError):
    """One file could not be analysed; the scan goes on without it."""


class FileReadError(AnalysisError):
    """A file could not be read: it vanished, is unreadable, or is not text."""


class ScanAbortedError(ShieldwallError):
    """The scan cannot produce a trustworthy result."""


class ReportError(ShieldwallError):
    """A report could not be written."""
