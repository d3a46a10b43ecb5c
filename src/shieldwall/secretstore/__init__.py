"""Key and secret management: the embedded encrypted store, Vault KV v2, audit, rotation, leaks."""

from typing import TYPE_CHECKING, Any

from shieldwall.secretstore.api import get_secret
from shieldwall.secretstore.audit import AuditEntry, AuditLog, AuditReport, Operation, Outcome
from shieldwall.secretstore.audited import AuditedBackend
from shieldwall.secretstore.embedded import EmbeddedStore
from shieldwall.secretstore.environment import EnvironmentBackend
from shieldwall.secretstore.errors import (
    AccessDeniedError,
    BackendUnavailableError,
    SecretConfigError,
    SecretNotFoundError,
    SecretStoreError,
    TamperedError,
    WrongKeyError,
)
from shieldwall.secretstore.fingerprints import (
    LeakFingerprints,
    LeakMatch,
    build_fingerprints,
    fingerprint_values,
)
from shieldwall.secretstore.leaks import Leak, Unreadable, find_leaks
from shieldwall.secretstore.mapping import SecretRef, SecretsMapping, load_mapping
from shieldwall.secretstore.model import SecretBackend, SecretMetadata, SecretValue, VersionInfo
from shieldwall.secretstore.policy import PathPolicy, PolicyBackend
from shieldwall.secretstore.rotation import PostgresRotator, RandomRotator, Rotator

__all__ = [
    "AccessDeniedError",
    "AuditEntry",
    "AuditLog",
    "AuditReport",
    "AuditedBackend",
    "AwsSecretsManagerBackend",
    "BackendUnavailableError",
    "EmbeddedStore",
    "EnvironmentBackend",
    "Leak",
    "LeakFingerprints",
    "LeakMatch",
    "Operation",
    "Outcome",
    "PathPolicy",
    "PolicyBackend",
    "PostgresRotator",
    "RandomRotator",
    "Rotator",
    "SecretBackend",
    "SecretConfigError",
    "SecretMetadata",
    "SecretNotFoundError",
    "SecretRef",
    "SecretStoreError",
    "SecretValue",
    "SecretsMapping",
    "TamperedError",
    "Unreadable",
    "VaultBackend",
    "VersionInfo",
    "WrongKeyError",
    "build_fingerprints",
    "find_leaks",
    "fingerprint_values",
    "get_secret",
    "load_mapping",
]

if TYPE_CHECKING:
    from shieldwall.secretstore.aws import AwsSecretsManagerBackend
    from shieldwall.secretstore.vault import VaultBackend

# hvac and boto3 cost about a second to import; `get_secret` for the embedded store needs neither.
_LAZY = {
    "AwsSecretsManagerBackend": "shieldwall.secretstore.aws",
    "VaultBackend": "shieldwall.secretstore.vault",
}


def __getattr__(name: str) -> Any:
    """Import the remote backends on first access."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
