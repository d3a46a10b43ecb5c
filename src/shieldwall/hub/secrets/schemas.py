"""Request and response bodies of the secret server's admin API (``/api/v1/secrets/...``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.hub.secrets.policy import PolicyRule


class PolicyPut(BaseModel):
    """The rules of a policy."""

    model_config = ConfigDict(extra="forbid")
    rules: list[PolicyRule] = Field(max_length=500)


class PolicyPublic(BaseModel):
    """A policy as listed."""

    name: str
    rules: list[PolicyRule]


class TokenPoliciesPut(BaseModel):
    """The KV policies to give a token."""

    model_config = ConfigDict(extra="forbid")
    policies: list[str] = Field(max_length=100)


class AuditEntryIn(BaseModel):
    """One entry of an embedded store's audit log, exactly as the log holds it."""

    model_config = ConfigDict(extra="forbid")
    seq: int = Field(ge=1)
    time: str = Field(max_length=64)
    identity: str = Field(max_length=300)
    operation: str = Field(max_length=20)
    backend: str = Field(max_length=20)
    path: str = Field(max_length=500)
    version: int | None = None
    client: str = Field(max_length=300)
    outcome: str = Field(max_length=20)
    value_hmac: str | None = Field(default=None, max_length=64)
    prev: str = Field(min_length=64, max_length=64)
    hash: str = Field(min_length=64, max_length=64)


class AuditShipIn(BaseModel):
    """A batch of entries of one log (``source``: the hash of its first entry)."""

    model_config = ConfigDict(extra="forbid")
    source: str = Field(min_length=64, max_length=64)
    label: str = Field(default="", max_length=300)
    entries: list[AuditEntryIn] = Field(max_length=5000)


class CheckpointPublic(BaseModel):
    """How far the hub holds a log: its last entry's sequence number and hash."""

    source: str
    last_seq: int
    last_hash: str
    accepted: int = 0


class KubernetesRolePut(BaseModel):
    """A Kubernetes auth role: bound service accounts (``*`` for any) and the policies given."""

    model_config = ConfigDict(extra="forbid")
    bound_service_account_names: list[str] = Field(min_length=1, max_length=100)
    bound_service_account_namespaces: list[str] = Field(min_length=1, max_length=100)
    policies: list[str] = Field(default_factory=list, max_length=100)
    ttl_seconds: int = Field(default=3600, ge=60, le=7 * 24 * 3600)


class DatabaseRolePut(BaseModel):
    """A database engine role: roles the logins join, lease TTL and its renewal cap."""

    model_config = ConfigDict(extra="forbid")
    member_of: list[str] = Field(default_factory=list, max_length=50)
    ttl_seconds: int = Field(default=3600, ge=1, le=7 * 24 * 3600)
    max_ttl_seconds: int = Field(default=86400, ge=1, le=30 * 24 * 3600)
