"""Key and secret management: the embedded encrypted store, Vault KV v2, audit, rotation, leaks.

Every name is imported on first access: the secrets scanner imports ``fingerprints`` on every
scan that checks for leaks, and must not pay for cryptography, pyrage, hvac or boto3.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shieldwall.secretstore.api import get_secret
    from shieldwall.secretstore.audit import (
        AuditEntry,
        AuditLog,
        AuditReport,
        Operation,
        Outcome,
    )
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
    from shieldwall.secretstore.model import (
        SecretBackend,
        SecretMetadata,
        SecretValue,
        VersionInfo,
    )
    from shieldwall.secretstore.policy import PathPolicy, PolicyBackend
    from shieldwall.secretstore.rotation import PostgresRotator, RandomRotator, Rotator
    from shieldwall.secretstore.vault import VaultBackend

_LAZY = {
    "get_secret": "api",
    "AuditEntry": "audit",
    "AuditLog": "audit",
    "AuditReport": "audit",
    "Operation": "audit",
    "Outcome": "audit",
    "AuditedBackend": "audited",
    "AwsSecretsManagerBackend": "aws",
    "EmbeddedStore": "embedded",
    "EnvironmentBackend": "environment",
    "AccessDeniedError": "errors",
    "BackendUnavailableError": "errors",
    "SecretConfigError": "errors",
    "SecretNotFoundError": "errors",
    "SecretStoreError": "errors",
    "TamperedError": "errors",
    "WrongKeyError": "errors",
    "LeakFingerprints": "fingerprints",
    "LeakMatch": "fingerprints",
    "build_fingerprints": "fingerprints",
    "fingerprint_values": "fingerprints",
    "Leak": "leaks",
    "Unreadable": "leaks",
    "find_leaks": "leaks",
    "SecretRef": "mapping",
    "SecretsMapping": "mapping",
    "load_mapping": "mapping",
    "SecretBackend": "model",
    "SecretMetadata": "model",
    "SecretValue": "model",
    "VersionInfo": "model",
    "PathPolicy": "policy",
    "PolicyBackend": "policy",
    "PostgresRotator": "rotation",
    "RandomRotator": "rotation",
    "Rotator": "rotation",
    "VaultBackend": "vault",
}

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


def __getattr__(name: str) -> Any:
    """Import the module of ``name`` on first access."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
