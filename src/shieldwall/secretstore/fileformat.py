"""The on-disk format of the embedded store (JSON), validated with pydantic at the boundary."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.secretstore.errors import TamperedError

FORMAT_VERSION = 1


class KdfModel(BaseModel):
    """scrypt parameters and salt (base64)."""

    model_config = ConfigDict(extra="forbid")
    name: Literal["scrypt"] = "scrypt"
    salt: str
    n: int
    r: int
    p: int


class AgeModel(BaseModel):
    """The master key sealed to age recipients (base64 of the age file)."""

    model_config = ConfigDict(extra="forbid")
    recipients: list[str]
    wrapped_master: str


class KmsModel(BaseModel):
    """The master key wrapped by a cloud KMS key (base64 of the KMS ciphertext)."""

    model_config = ConfigDict(extra="forbid")
    provider: Literal["aws"] = "aws"
    key_id: str
    region: str
    endpoint_url: str | None = None
    wrapped_master: str


class VersionModel(BaseModel):
    """One version: timestamps, soft-delete state and the sealed value."""

    model_config = ConfigDict(extra="forbid")
    version: int
    created_at: datetime
    deleted_at: datetime | None = None
    destroyed: bool = False
    wrapped_key: str = ""
    key_nonce: str = ""
    nonce: str = ""
    ciphertext: str = ""


class SecretModel(BaseModel):
    """Every version of one path."""

    model_config = ConfigDict(extra="forbid")
    created_at: datetime
    updated_at: datetime
    versions: list[VersionModel] = Field(default_factory=list)


class StoreModel(BaseModel):
    """The whole file. ``mac`` covers everything else, keyed by the master key."""

    model_config = ConfigDict(extra="forbid")
    format: Literal["shieldwall-secrets"] = "shieldwall-secrets"
    version: Literal[1] = 1
    kdf: KdfModel | None = None  # passphrase stores
    age: AgeModel | None = None  # age-identity stores
    kms: KmsModel | None = None  # cloud-KMS stores
    check: str
    secrets: dict[str, SecretModel] = Field(default_factory=dict)
    mac: str = ""

    def signed_bytes(self) -> bytes:
        """The canonical bytes the file MAC covers (everything but ``mac``)."""
        body = self.model_dump(mode="json", exclude={"mac"})
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def parse_store(raw: bytes) -> StoreModel:
    """Parse the file; anything unparsable is reported as tampering (nothing is overwritten)."""
    try:
        return StoreModel.model_validate_json(raw)
    except ValidationError as exc:
        # The pydantic message could echo field contents; only say where it failed.
        where = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors()[:3])
        raise TamperedError(
            f"the secret store file is corrupt (at {where or 'top level'})"
        ) from None
