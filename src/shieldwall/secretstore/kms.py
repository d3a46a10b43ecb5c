"""The embedded store's master key wrapped by a cloud KMS key (AWS KMS through boto3).

``init`` asks KMS for a fresh 256-bit data key (``GenerateDataKey``, ``AES_256``): its plaintext
becomes the store's master key (kept in memory only) and its KMS ciphertext is written in the
store header. ``open`` has KMS decrypt that ciphertext (``Decrypt``). Both calls bind an
encryption context naming the store format, so the blob cannot be decrypted for another purpose
without it showing in CloudTrail. Who may open the store is then an IAM decision on the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shieldwall.secretstore.crypto import KEY_BYTES, MasterKey, b64, unb64
from shieldwall.secretstore.errors import (
    AccessDeniedError,
    BackendUnavailableError,
    SecretConfigError,
    SecretStoreError,
    TamperedError,
    WrongKeyError,
)

ENCRYPTION_CONTEXT = {"shieldwall": "secret-store-master-key-v1"}


@dataclass(frozen=True, slots=True)
class AwsKms:
    """One AWS KMS key (id, ARN or ``alias/...``) in ``region``; ``endpoint_url`` for local/VPC."""

    key_id: str
    region: str = "us-east-1"
    endpoint_url: str | None = None
    timeout: int = 10

    def _client(self) -> Any:
        # boto3 takes ~0.5 s to import: only stores sealed with KMS pay for it.
        import boto3
        from botocore.config import Config

        config = Config(
            connect_timeout=self.timeout, read_timeout=self.timeout, retries={"max_attempts": 2}
        )
        return boto3.client(
            "kms", region_name=self.region, endpoint_url=self.endpoint_url, config=config
        )

    def new_master(self) -> tuple[MasterKey, str]:
        """A fresh master key and its KMS ciphertext (base64) for the store header."""
        answer = _call(
            lambda: self._client().generate_data_key(
                KeyId=self.key_id, KeySpec="AES_256", EncryptionContext=ENCRYPTION_CONTEXT
            ),
            self.key_id,
        )
        plaintext = bytes(answer["Plaintext"])
        if len(plaintext) != KEY_BYTES:
            raise SecretStoreError("KMS returned a data key of the wrong size")
        return MasterKey(plaintext), b64(bytes(answer["CiphertextBlob"]))

    def open_master(self, wrapped: str) -> MasterKey:
        """The master key, decrypted by KMS from the header's ciphertext."""
        blob = unb64(wrapped)
        answer = _call(
            lambda: self._client().decrypt(
                CiphertextBlob=blob, KeyId=self.key_id, EncryptionContext=ENCRYPTION_CONTEXT
            ),
            self.key_id,
        )
        plaintext = bytes(answer["Plaintext"])
        if len(plaintext) != KEY_BYTES:
            raise TamperedError("the secret store's KMS-wrapped master key is malformed")
        return MasterKey(plaintext)


def _call(action: Any, key_id: str) -> Any:
    """Run a KMS call, translating botocore errors (never copying their messages)."""
    from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

    try:
        return action()
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in {"NotFoundException", "ValidationException"}:
            raise SecretConfigError(f"no usable KMS key {key_id!r} ({code})") from None
        if code in {"AccessDeniedException", "UnrecognizedClientException"}:
            raise AccessDeniedError(f"KMS denied the use of key {key_id!r}") from None
        if code in {"InvalidCiphertextException", "IncorrectKeyException"}:
            raise WrongKeyError(f"KMS key {key_id!r} does not open this secret store") from None
        if code in {"DisabledException", "KMSInvalidStateException"}:
            raise BackendUnavailableError(f"KMS key {key_id!r} is disabled or pending") from None
        raise SecretStoreError(f"KMS refused the request: {code or 'error'}") from None
    except EndpointConnectionError as exc:
        raise BackendUnavailableError("cannot reach KMS") from exc
    except BotoCoreError as exc:
        raise BackendUnavailableError(f"KMS call failed: {type(exc).__name__}") from exc
