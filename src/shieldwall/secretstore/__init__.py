"""Key and secret management: the embedded encrypted store, Vault KV v2, audit, rotation, leaks."""

from shieldwall.secretstore.api import get_secret
from shieldwall.secretstore.audit import AuditEntry, AuditLog, AuditReport, Operation, Outcome
from shieldwall.secretstore.audited import AuditedBackend
from shieldwall.secretstore.aws import AwsSecretsManagerBackend
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
from shieldwall.secretstore.vault import VaultBackend

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
