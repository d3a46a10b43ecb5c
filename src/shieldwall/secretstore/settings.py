"""Where the store and audit log live, and how the passphrase is found.

The one place of this package that looks at the environment; callers pass the mapping in.
``SHIELDWALL_SECRETS_STORE`` (store file), ``SHIELDWALL_SECRETS_AUDIT`` (audit log, default next to
the store), ``SHIELDWALL_SECRETS_PASSPHRASE`` (for non-interactive use; CI injects it),
``SHIELDWALL_SECRETS_AGE_IDENTITY`` (the identity file of a store sealed to age recipients),
``SHIELDWALL_SECRETS_KMS_ENDPOINT`` (overrides the KMS endpoint saved in a KMS-sealed store).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

STORE_ENV = "SHIELDWALL_SECRETS_STORE"
AUDIT_ENV = "SHIELDWALL_SECRETS_AUDIT"
PASSPHRASE_ENV = "SHIELDWALL_SECRETS_PASSPHRASE"  # noqa: S105 - a variable name, not a secret
AGE_IDENTITY_ENV = "SHIELDWALL_SECRETS_AGE_IDENTITY"  # the path of an age identity file
KMS_ENDPOINT_ENV = "SHIELDWALL_SECRETS_KMS_ENDPOINT"


def default_store_path() -> Path:
    """``secrets.json`` in the user data directory."""
    return Path(user_data_dir("shieldwall")) / "secrets.json"


@dataclass(frozen=True, slots=True)
class StoreSettings:
    """Resolved locations and, when given, the passphrase."""

    store: Path
    audit: Path
    passphrase: str | None = None
    age_identity: Path | None = None
    kms_endpoint: str | None = None

    @property
    def policy(self) -> Path:
        """The path policy file: ``<store stem>.policy.toml`` beside the store."""
        return self.store.with_name(self.store.stem + ".policy.toml")

    @property
    def leases(self) -> Path:
        """The lease file of dynamic credentials: ``<store stem>.leases.json`` beside the store."""
        return self.store.with_name(self.store.stem + ".leases.json")

    def __repr__(self) -> str:
        return f"StoreSettings(store={self.store}, audit={self.audit}, passphrase=<redacted>)"

    @classmethod
    def resolve(
        cls,
        environ: Mapping[str, str],
        *,
        store: Path | None = None,
        audit: Path | None = None,
        passphrase: str | None = None,
    ) -> StoreSettings:
        """Explicit arguments first, then the environment, then the defaults."""
        store_path = store or Path(environ.get(STORE_ENV) or default_store_path()).expanduser()
        audit_path = audit or (
            Path(environ[AUDIT_ENV]).expanduser()
            if environ.get(AUDIT_ENV)
            else store_path.with_name(store_path.stem + ".audit.jsonl")
        )
        identity = environ.get(AGE_IDENTITY_ENV)
        return cls(
            store_path,
            audit_path,
            passphrase or environ.get(PASSPHRASE_ENV) or None,
            Path(identity).expanduser() if identity else None,
            environ.get(KMS_ENDPOINT_ENV) or None,
        )
