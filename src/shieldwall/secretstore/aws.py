"""AWS Secrets Manager through boto3.

AWS identifies versions by UUID and marks the current one with the ``AWSCURRENT`` stage; here
versions are numbered 1..n in creation order so that ``--version N`` means the same as with the
other backends. ``delete`` schedules deletion of the whole secret with a recovery window (AWS's
soft delete); deleting one version is not something AWS offers. botocore's messages are not
copied into ours.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

from shieldwall.secretstore.errors import (
    AccessDeniedError,
    BackendUnavailableError,
    SecretNotFoundError,
    SecretStoreError,
)
from shieldwall.secretstore.model import SecretMetadata, SecretValue, VersionInfo, normalise_path

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

RECOVERY_DAYS = 7
# botocore logs whole request parameters and response bodies at DEBUG: values included.
_BODY_LOGGERS = ("botocore.endpoint", "botocore.parsers", "botocore.hooks")


class _DropSecretBodies(logging.Filter):
    """Drops botocore debug records that carry a Secrets Manager value."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record unless its message holds a SecretString or SecretBinary."""
        message = record.getMessage()
        return "SecretString" not in message and "SecretBinary" not in message


def _guard_botocore_logs() -> None:
    """Install :class:`_DropSecretBodies` once on the loggers that print bodies."""
    for name in _BODY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _DropSecretBodies) for f in logger.filters):
            logger.addFilter(_DropSecretBodies())


T = TypeVar("T")
_NOT_FOUND = {"ResourceNotFoundException"}
_DENIED = {"AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException"}


@dataclass(frozen=True, slots=True)
class AwsSecretsManagerBackend:
    """Secrets Manager in ``region``; ``endpoint_url`` points at a local or VPC endpoint."""

    region: str
    endpoint_url: str | None = None
    timeout: int = 10
    name: str = "aws"
    _clients: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def _client(self) -> SecretsManagerClient:
        client = self._clients.get("client")
        if client is None:
            _guard_botocore_logs()
            config = Config(
                connect_timeout=self.timeout, read_timeout=self.timeout, retries={"max_attempts": 2}
            )
            client = boto3.client(
                "secretsmanager",
                region_name=self.region,
                endpoint_url=self.endpoint_url,
                config=config,
            )
            self._clients["client"] = client
        return client

    def _version_ids(self, path: str) -> list[tuple[str, datetime, bool]]:
        """(version id, created, current) in creation order."""
        client = self._client()
        answer = _call(
            lambda: client.list_secret_version_ids(SecretId=path, IncludeDeprecated=True), path
        )
        versions = [
            (
                str(v["VersionId"]),
                v.get("CreatedDate") or datetime.min.replace(tzinfo=UTC),
                "AWSCURRENT" in v.get("VersionStages", []),
            )
            for v in answer["Versions"]
        ]
        return sorted(versions, key=lambda item: item[1])

    def read(self, path: str, version: int | None = None) -> SecretValue:
        """The current value, or version ``version`` (1 = the oldest AWS still keeps)."""
        path = normalise_path(path)
        client = self._client()
        # The current value first: it is the common case, and it reports a missing secret
        # properly everywhere (moto answers a version listing of one with HTTP 500).
        current = _call(lambda: client.get_secret_value(SecretId=path), path)
        versions = self._version_ids(path)
        ids = [version_id for version_id, _, _ in versions]
        if version is None:
            number = (
                ids.index(current["VersionId"]) + 1 if current["VersionId"] in ids else len(ids)
            )
            answer = current
        else:
            if not 1 <= version <= len(ids):
                raise SecretNotFoundError(f"secret {path!r} has no version {version}")
            number, version_id = version, ids[version - 1]
            answer = _call(
                lambda: client.get_secret_value(SecretId=path, VersionId=version_id), path
            )
        if "SecretString" not in answer:
            raise SecretStoreError(f"secret {path!r} is binary; only text secrets are supported")
        return SecretValue(path, number, answer["SecretString"])

    def write(self, path: str, value: str) -> int:
        """Create the secret or add a version; returns its number."""
        path = normalise_path(path)
        client = self._client()
        try:
            _call(lambda: client.put_secret_value(SecretId=path, SecretString=value), path)
        except SecretNotFoundError:
            _call(lambda: client.create_secret(Name=path, SecretString=value), path)
        return len(self._version_ids(path))

    def list(self, prefix: str = "") -> list[str]:
        """Secret names that start with ``prefix`` (scheduled deletions excluded)."""
        client = self._client()
        names: list[str] = []
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"MaxResults": 100}
            if token:
                kwargs["NextToken"] = token
            page = _call(lambda kw=kwargs: client.list_secrets(**kw))  # type: ignore[misc]
            names.extend(
                s["Name"] for s in page["SecretList"] if s["Name"].startswith(prefix.strip("/"))
            )
            token = page.get("NextToken")
            if not token:
                return sorted(names)

    def metadata(self, path: str) -> SecretMetadata:
        """Versions in creation order; the current one is the ``AWSCURRENT`` stage."""
        path = normalise_path(path)
        client = self._client()
        described = _call(lambda: client.describe_secret(SecretId=path), path)
        versions = self._version_ids(path)
        infos = tuple(VersionInfo(n, created) for n, (_, created, _) in enumerate(versions, 1))
        current = next((n for n, v in enumerate(versions, 1) if v[2]), len(versions))
        created = described.get("CreatedDate") or datetime.min.replace(tzinfo=UTC)
        return SecretMetadata(
            path, current, infos, created, described.get("LastChangedDate") or created
        )

    def delete(self, path: str, version: int | None = None) -> None:
        """Schedule deletion of the secret (recoverable for RECOVERY_DAYS days)."""
        path = normalise_path(path)
        if version is not None:
            raise SecretStoreError("AWS Secrets Manager cannot delete a single version")
        client = self._client()
        _call(lambda: client.delete_secret(SecretId=path, RecoveryWindowInDays=RECOVERY_DAYS), path)


def _call(action: Callable[[], T], path: str = "") -> T:
    where = f" for {path!r}" if path else ""
    try:
        return action()
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in _NOT_FOUND or (code == "InvalidRequestException" and path):
            # InvalidRequestException is also what AWS answers for a secret scheduled for deletion.
            raise SecretNotFoundError(f"no secret{where} in AWS Secrets Manager") from exc
        if code in _DENIED:
            raise AccessDeniedError(f"AWS denied access{where} ({code})") from exc
        raise SecretStoreError(f"AWS Secrets Manager error{where}: {code or 'unknown'}") from exc
    except EndpointConnectionError as exc:
        raise BackendUnavailableError("cannot reach AWS Secrets Manager") from exc
    except BotoCoreError as exc:
        raise BackendUnavailableError(f"AWS Secrets Manager: {type(exc).__name__}") from exc
