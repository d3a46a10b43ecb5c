"""The hub as a secret server: KV v2 secrets and versions, path policies, shipped audit logs.

Values are stored sealed (envelope encryption, see ``shieldwall.secretstore.crypto``): a per-version
AES-256-GCM data key wrapped by the hub's master key, which comes from the hub settings and is
never written to the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shieldwall.hub.db.base import Base
from shieldwall.hub.db.types import utcnow


class KvSecret(Base):
    """One path of a KV v2 mount, with its metadata (Vault's ``/metadata/<path>``)."""

    __tablename__ = "kv_secrets"
    __table_args__ = (UniqueConstraint("mount", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mount: Mapped[str] = mapped_column(String(100))
    path: Mapped[str] = mapped_column(String(500))
    current_version: Mapped[int] = mapped_column(default=0)
    max_versions: Mapped[int] = mapped_column(default=0)  # 0: the mount's default
    cas_required: Mapped[bool] = mapped_column(default=False)
    custom_metadata: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class KvVersion(Base):
    """One version of a secret: the sealed JSON data map and its soft-delete state."""

    __tablename__ = "kv_versions"
    __table_args__ = (UniqueConstraint("secret_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_id: Mapped[int] = mapped_column(ForeignKey("kv_secrets.id", ondelete="CASCADE"))
    version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    destroyed: Mapped[bool] = mapped_column(default=False)
    wrapped_key: Mapped[str] = mapped_column(Text, default="")
    key_nonce: Mapped[str] = mapped_column(String(32), default="")
    nonce: Mapped[str] = mapped_column(String(32), default="")
    ciphertext: Mapped[str] = mapped_column(Text, default="")


class KvPolicy(Base):
    """A named path policy: rules ``{"path": "secret/data/app/*", "capabilities": [...]}``."""

    __tablename__ = "kv_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    rules: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class KvTokenPolicy(Base):
    """A policy attached to a hub API token: the token's only rights on the KV API."""

    __tablename__ = "kv_token_policies"

    token_id: Mapped[int] = mapped_column(
        ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True
    )
    policy_id: Mapped[int] = mapped_column(
        ForeignKey("kv_policies.id", ondelete="CASCADE"), primary_key=True
    )


class KvAuthRole(Base):
    """A Kubernetes auth role: which service accounts may log in, and the policies they get."""

    __tablename__ = "kv_auth_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    bound_service_account_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    bound_service_account_namespaces: Mapped[list[str]] = mapped_column(JSON, default=list)
    policies: Mapped[list[str]] = mapped_column(JSON, default=list)
    ttl_seconds: Mapped[int] = mapped_column(default=3600)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class KvDbRole(Base):
    """A role of the database secrets engine: PostgreSQL logins made on request, with a lease."""

    __tablename__ = "kv_db_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    member_of: Mapped[list[str]] = mapped_column(JSON, default=list)
    ttl_seconds: Mapped[int] = mapped_column(default=3600)
    max_ttl_seconds: Mapped[int] = mapped_column(default=86400)


class KvLease(Base):
    """A lease on dynamic credentials (Vault's ``lease_id``), until revoked or expired."""

    __tablename__ = "kv_leases"

    id: Mapped[int] = mapped_column(primary_key=True)
    lease_id: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(100))
    username: Mapped[str] = mapped_column(String(100))
    owner: Mapped[str] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class SecretAuditSource(Base):
    """The checkpoint of one shipped embedded-store audit log: its last entry's seq and hash."""

    __tablename__ = "secret_audit_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(300), default="")
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
