"""A backend wrapper that writes every access, successful or not, to the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from shieldwall.secretstore.audit import AuditLog, Operation, Outcome
from shieldwall.secretstore.errors import AccessDeniedError, SecretNotFoundError
from shieldwall.secretstore.model import SecretBackend, SecretMetadata, SecretValue


def _outcome(exc: BaseException) -> Outcome:
    if isinstance(exc, SecretNotFoundError):
        return Outcome.NOT_FOUND
    if isinstance(exc, AccessDeniedError):
        return Outcome.DENIED
    return Outcome.FAILED


@dataclass(frozen=True, slots=True)
class AuditedBackend:
    """Delegates to ``inner`` and records each operation in ``log``."""

    inner: SecretBackend
    log: AuditLog
    read_operation: Operation = Operation.READ

    @property
    def name(self) -> str:
        """The wrapped backend's name."""
        return self.inner.name

    def read(self, path: str, version: int | None = None) -> SecretValue:
        """Read and record the read, with an HMAC of the value."""
        try:
            secret = self.inner.read(path, version)
        except Exception as exc:
            self.log.record(
                self.read_operation, self.name, path, version=version, outcome=_outcome(exc)
            )
            raise
        self.log.record(
            self.read_operation, self.name, path, version=secret.version, value=secret.value
        )
        return secret

    def write(self, path: str, value: str) -> int:
        """Write and record the write (as a rotation when rotating), with an HMAC of the value."""
        operation = Operation.ROTATE if self.read_operation is Operation.ROTATE else Operation.WRITE
        try:
            number = self.inner.write(path, value)
        except Exception as exc:
            self.log.record(operation, self.name, path, outcome=_outcome(exc))
            raise
        self.log.record(operation, self.name, path, version=number, value=value)
        return number

    def list(self, prefix: str = "") -> list[str]:
        """List and record the listing of ``prefix``."""
        try:
            paths = self.inner.list(prefix)
        except Exception as exc:
            self.log.record(Operation.LIST, self.name, prefix, outcome=_outcome(exc))
            raise
        self.log.record(Operation.LIST, self.name, prefix)
        return paths

    def metadata(self, path: str) -> SecretMetadata:
        """Metadata, recorded."""
        try:
            meta = self.inner.metadata(path)
        except Exception as exc:
            self.log.record(Operation.METADATA, self.name, path, outcome=_outcome(exc))
            raise
        self.log.record(Operation.METADATA, self.name, path, version=meta.current_version)
        return meta

    def delete(self, path: str, version: int | None = None) -> None:
        """Soft-delete, recorded."""
        try:
            self.inner.delete(path, version)
        except Exception as exc:
            self.log.record(
                Operation.DELETE, self.name, path, version=version, outcome=_outcome(exc)
            )
            raise
        self.log.record(Operation.DELETE, self.name, path, version=version)
