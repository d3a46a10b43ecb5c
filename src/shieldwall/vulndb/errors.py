"""Errors of the advisory database family.

::

    ShieldwallError
    └── VulnDbError                  the advisory database cannot be read, built or updated
        ├── AdvisorySourceError      an import source is corrupt, unsafe or of an unknown kind
        ├── DownloadError            an HTTP download failed or failed its integrity checks
        └── IndexMissingError        no index exists yet: run ``shieldwall db update``/``import``
    InvalidVersionError (ValueError) a version string is not valid in its ecosystem's scheme
"""

from __future__ import annotations

from shieldwall.core.errors import ShieldwallError


class VulnDbError(ShieldwallError):
    """The advisory database cannot be read, built or updated."""


class AdvisorySourceError(VulnDbError):
    """An import source (zip, folder, JSON lines) is corrupt, unsafe or of an unknown kind."""


class DownloadError(VulnDbError):
    """Downloading advisories failed, or the download failed its integrity checks."""


class IndexMissingError(VulnDbError):
    """No advisory index exists in the cache directory."""


class InvalidVersionError(ValueError):
    """A version string is not valid in its ecosystem's version scheme."""
