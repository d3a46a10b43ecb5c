"""Opening backends with auditing, and resolving a mapping into environment values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from shieldwall.secretstore.audit import AuditLog, Operation, default_identity
from shieldwall.secretstore.audited import AuditedBackend
from shieldwall.secretstore.embedded import EmbeddedStore
from shieldwall.secretstore.environment import EnvironmentBackend
from shieldwall.secretstore.errors import SecretConfigError
from shieldwall.secretstore.mapping import AwsSettings, BackendKind, SecretsMapping, VaultSettings
from shieldwall.secretstore.model import SecretBackend
from shieldwall.secretstore.policy import PathPolicy, PolicyBackend
from shieldwall.secretstore.settings import StoreSettings

if TYPE_CHECKING:
    from shieldwall.secretstore.vault import VaultBackend


@dataclass
class SecretsService:
    """Opens each backend at most once (the store's KDF is deliberately slow) and audits it.

    ``passphrase`` is a callable so an interactive prompt happens only when the store is needed.
    """

    settings: StoreSettings
    passphrase: Callable[[], str]
    environ: Mapping[str, str]
    vault: VaultSettings = field(default_factory=VaultSettings)
    aws: AwsSettings = field(default_factory=AwsSettings)
    _store: EmbeddedStore | None = None
    _vault_backend: VaultBackend | None = None

    @property
    def audit(self) -> AuditLog:
        """The audit log every backend opened here writes to."""
        return AuditLog(self.settings.audit)

    def store(self) -> EmbeddedStore:
        """The embedded store, unaudited (callers wrap it)."""
        if self._store is None:
            identity = self.settings.age_identity
            if EmbeddedStore.sealed_with(self.settings.store) == "kms":
                self._store = EmbeddedStore.open(
                    self.settings.store, kms_endpoint=self.settings.kms_endpoint
                )
            elif identity is not None:
                try:
                    text = identity.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise SecretConfigError(f"cannot read the age identity {identity}") from exc
                self._store = EmbeddedStore.open(self.settings.store, age_identity=text)
            else:
                self._store = EmbeddedStore.open(self.settings.store, self.passphrase())
        return self._store

    def backend(self, kind: BackendKind, operation: Operation = Operation.READ) -> SecretBackend:
        """The audited backend of ``kind``; reads are logged as ``operation``."""
        inner: SecretBackend
        match kind:
            case BackendKind.STORE:
                inner = self.store()
            case BackendKind.ENV:
                inner = EnvironmentBackend(dict(self.environ))
            case BackendKind.VAULT:
                inner = self._vault()
            case BackendKind.AWS:
                from shieldwall.secretstore.aws import AwsSecretsManagerBackend

                inner = AwsSecretsManagerBackend(self.aws.region, self.aws.endpoint_url)
        policy = PathPolicy.load(self.settings.policy)
        guarded = PolicyBackend(inner, policy, self.audit.identity or default_identity(), operation)
        return AuditedBackend(guarded, self.audit, operation)

    def vault_backend(self) -> VaultBackend:
        """The (unaudited) Vault backend, for its database engine leases."""
        return self._vault()

    def _vault(self) -> VaultBackend:
        """The Vault backend, logged in once per service with a token or a Kubernetes JWT."""
        # hvac and boto3 take a second to import: only when their backend is used.
        from shieldwall.secretstore.vault import VaultBackend

        if self._vault_backend is not None:
            return self._vault_backend
        settings = self.vault
        if settings.auth == "kubernetes":
            if not settings.role:
                raise SecretConfigError("[vault] auth = 'kubernetes' needs a role")
            try:
                jwt = Path(settings.jwt_path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SecretConfigError(
                    f"cannot read the service account token {settings.jwt_path}"
                ) from exc
            backend = VaultBackend.with_kubernetes(
                settings.url, settings.role, jwt, settings.mount, settings.auth_mount
            )
        else:
            token = self.environ.get(settings.token_env)
            if not token:
                raise SecretConfigError(f"the vault backend needs a token in ${settings.token_env}")
            backend = VaultBackend(settings.url, token, settings.mount)
        self._vault_backend = backend
        return backend

    def resolve(self, mapping: SecretsMapping) -> dict[str, str]:
        """The value of every variable of ``mapping``, each read audited as an injection."""
        self.vault, self.aws = mapping.vault, mapping.aws
        return {
            name: self.backend(ref.backend, Operation.INJECT).read(ref.path, ref.version).value
            for name, ref in mapping.variables.items()
        }
