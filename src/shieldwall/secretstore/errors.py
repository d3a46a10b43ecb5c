"""The errors of the secret store. None of them ever carries a secret value.

::

    ShieldwallError
    └── SecretStoreError              base of every secret-store failure (exit 3 unless below)
        ├── SecretNotFoundError       no such path or version (deleted versions included)
        ├── WrongKeyError             the passphrase or master key does not open the store
        ├── TamperedError             the store or audit log fails its integrity check
        ├── BackendUnavailableError   a remote backend is down, sealed or refused us
        ├── AccessDeniedError         a path policy forbids the operation
        └── SecretConfigError         .shieldwall-secrets.toml or a reference is invalid (exit 2)
"""

from __future__ import annotations

from shieldwall.core.errors import ConfigError, ShieldwallError


class SecretStoreError(ShieldwallError):
    """Base class of every secret-store error; messages name paths, never values."""


class SecretNotFoundError(SecretStoreError):
    """The path or version does not exist, or has been deleted."""


class WrongKeyError(SecretStoreError):
    """The passphrase (or master key) does not decrypt the store."""


class TamperedError(SecretStoreError):
    """The store or the audit log was modified outside shieldwall; nothing is overwritten."""


class BackendUnavailableError(SecretStoreError):
    """A remote backend (Vault, OpenBao, PostgreSQL) is unreachable, sealed or failed."""


class AccessDeniedError(SecretStoreError):
    """A path policy does not allow this identity to do this operation."""


class SecretConfigError(SecretStoreError, ConfigError):
    """The secrets mapping file or a ``backend:path`` reference is invalid."""
