"""The KV v2 secret server: the logic behind ``/v1/<mount>/...`` (never imports FastAPI).

Requests arrive as a :class:`KvRequest` (method, kind, path, query, JSON body, the caller's
token and address) and leave as a :class:`KvResponse` with Vault's status codes and response
shapes (https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2), so hvac and other Vault
clients work unchanged. Every request, allowed or not, is written to the hub's hash-chained audit
log with the caller, path, operation, outcome, client address and an HMAC of the value.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import lock_head
from shieldwall.hub.auth.secrets import TOKEN_PREFIX, same_digest, token_digest
from shieldwall.hub.db.models import (
    ApiToken,
    KvPolicy,
    KvSecret,
    KvTokenPolicy,
    KvVersion,
    User,
)
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.secrets.policy import PolicyRule
from shieldwall.secretstore.crypto import KEY_BYTES, MasterKey, Sealed, seal, unseal
from shieldwall.secretstore.errors import TamperedError

DEFAULT_MAX_VERSIONS = 10  # Vault's default when max_versions is 0
VALUE_HMAC_PURPOSE = "shieldwall-value-hmac"
KINDS = frozenset({"data", "metadata", "delete", "undelete", "destroy"})


class KvError(Exception):
    """A request the KV API refuses, with its HTTP status; the message is safe to return."""

    def __init__(self, status: int, message: str, outcome: str = "failed") -> None:
        super().__init__(message)
        self.status = status
        self.outcome = outcome


@dataclass(frozen=True, slots=True)
class KvRequest:
    """One KV API call as the router parsed it."""

    method: str  # GET POST PUT DELETE LIST
    mount: str
    kind: str  # data metadata delete undelete destroy
    path: str
    token: str
    client: str
    query: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class KvResponse:
    """What the router sends back: a status and a JSON body (``None`` for 204)."""

    status: int
    body: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated token: its user's name, token id and KV policy rules."""

    username: str
    token_id: int
    token_name: str
    policies: tuple[str, ...]
    rules: tuple[PolicyRule, ...]
    expires_at: datetime | None


def lock_audit(session: Session) -> None:
    """Take the audit chain's head before anything in this transaction reads it."""
    lock_head(session)


def master_key(encoded: str | None) -> MasterKey | None:
    """The hub's KV master key from its base64 setting; ``None`` (sealed) if unset or invalid."""
    if not encoded:
        return None
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return MasterKey(raw) if len(raw) == KEY_BYTES else None


def authenticate(session: Session, token: str) -> Caller:
    """The caller behind a hub API token presented as ``X-Vault-Token``.

    The same checks as the hub's own token auth (unknown, revoked, expired token or inactive
    user), in one query, since every KV request pays for it.
    """
    if not token.startswith(TOKEN_PREFIX):
        raise KvError(403, "permission denied", "denied")
    found = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_digest(token))
    ).first()
    if found is None:
        raise KvError(403, "permission denied", "denied")
    row, user = found
    expired = row.expires_at is not None and row.expires_at <= utcnow()
    if (
        not same_digest(token, row.token_hash)
        or row.revoked_at is not None
        or expired
        or not user.is_active
    ):
        raise KvError(403, "permission denied", "denied")
    policies = session.scalars(
        select(KvPolicy)
        .join(KvTokenPolicy, KvTokenPolicy.policy_id == KvPolicy.id)
        .where(KvTokenPolicy.token_id == row.id)
        .order_by(KvPolicy.name)
    ).all()
    rules = tuple(PolicyRule.model_validate(r) for p in policies for r in p.rules)
    return Caller(
        user.username, row.id, row.name, tuple(p.name for p in policies), rules, row.expires_at
    )


def _time(at: datetime | None) -> str:
    # Vault's format: RFC 3339 in UTC with fractional seconds and a Z.
    return "" if at is None else at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _envelope(data: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "request_id": "",
        "lease_id": "",
        "renewable": False,
        "lease_duration": 0,
        "data": data,
        "wrap_info": None,
        "warnings": None,
        "auth": None,
    }


def _version_meta(version: KvVersion, secret: KvSecret) -> dict[str, Any]:
    return {
        "created_time": _time(version.created_at),
        "custom_metadata": secret.custom_metadata or None,
        "deletion_time": _time(version.deleted_at),
        "destroyed": version.destroyed,
        "version": version.version,
    }


@dataclass
class KvService:
    """One request's worth of KV logic on a session, with the hub's master key."""

    session: Session
    master: MasterKey
    mount: str

    # -- helpers -----------------------------------------------------------------------------

    def _secret(self, path: str, *, lock: bool = False) -> KvSecret | None:
        query = select(KvSecret).where(KvSecret.mount == self.mount, KvSecret.path == path)
        if lock:
            query = query.with_for_update()
        return self.session.scalar(query)

    def _versions(self, secret: KvSecret) -> list[KvVersion]:
        return list(
            self.session.scalars(
                select(KvVersion)
                .where(KvVersion.secret_id == secret.id)
                .order_by(KvVersion.version)
            )
        )

    def exists(self, path: str) -> bool:
        """Whether ``path`` has metadata (decides between the create and update capability)."""
        return self._secret(path) is not None

    def _aad_path(self, path: str) -> str:
        return f"{self.mount}/{path}"

    def value_hmac(self, data: Mapping[str, Any]) -> str:
        """Keyed HMAC of a data map (canonical JSON), recorded in the audit log instead of it."""
        canonical = json.dumps(dict(data), sort_keys=True, separators=(",", ":"))
        key = self.master.subkey(VALUE_HMAC_PURPOSE)
        return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()

    # -- operations ---------------------------------------------------------------------------

    def read(self, path: str, version: int | None) -> tuple[KvResponse, int | None, str | None]:
        """GET data/<path>: the data map of the current (or asked) version."""
        secret = self._secret(path)
        if secret is None or secret.current_version == 0:
            raise KvError(404, "", "not-found")
        number = version or secret.current_version
        row = self.session.scalar(
            select(KvVersion).where(KvVersion.secret_id == secret.id, KvVersion.version == number)
        )
        if row is None:
            raise KvError(404, "", "not-found")
        meta = _version_meta(row, secret)
        if row.deleted_at is not None or row.destroyed:
            # Vault answers 404 with the metadata, so clients can tell "deleted" from "absent".
            return KvResponse(404, _envelope({"data": None, "metadata": meta})), number, None
        sealed = Sealed(row.wrapped_key, row.key_nonce, row.nonce, row.ciphertext)
        try:
            plain = unseal(self.master, self._aad_path(path), number, sealed)
        except TamperedError:
            raise KvError(
                500, "stored value fails its integrity check or the key is wrong"
            ) from None
        data = json.loads(plain)
        return (
            KvResponse(200, _envelope({"data": data, "metadata": meta})),
            number,
            self.value_hmac(data),
        )

    def write(self, path: str, body: Mapping[str, Any]) -> tuple[KvResponse, int, str]:
        """POST/PUT data/<path>: a new version, with Vault's check-and-set rules."""
        data = body.get("data")
        if not isinstance(data, dict):
            raise KvError(400, "no data provided")
        options = body.get("options") or {}
        if not isinstance(options, dict):
            raise KvError(400, "options must be an object")
        cas = options.get("cas")
        if cas is not None and (not isinstance(cas, int) or isinstance(cas, bool) or cas < 0):
            raise KvError(400, "cas must be a non-negative integer")
        secret = self._secret(path, lock=True) or self._create(path)
        if secret.cas_required and cas is None:
            raise KvError(400, "check-and-set parameter required for this call")
        now = utcnow()
        # The next version number comes from one atomic UPDATE (with the check-and-set in its
        # WHERE): it takes the row's write lock on PostgreSQL and the database's on SQLite, so
        # concurrent writers queue here instead of picking the same number.
        bump = (
            update(KvSecret)
            .where(KvSecret.id == secret.id)
            .values(current_version=KvSecret.current_version + 1, updated_at=now)
            .returning(KvSecret.current_version)
        )
        if cas is not None:
            bump = bump.where(KvSecret.current_version == cas)
        number = self.session.execute(bump, execution_options={"synchronize_session": False})
        bumped = number.scalar_one_or_none()
        if bumped is None:
            raise KvError(400, "check-and-set parameter did not match the current version")
        self.session.refresh(secret)
        sealed = seal(self.master, self._aad_path(path), bumped, json.dumps(data))
        row = KvVersion(
            secret_id=secret.id,
            version=bumped,
            created_at=now,
            wrapped_key=sealed.wrapped_key,
            key_nonce=sealed.key_nonce,
            nonce=sealed.nonce,
            ciphertext=sealed.ciphertext,
        )
        self.session.add(row)
        self.session.flush()
        self._trim(secret)
        return KvResponse(200, _envelope(_version_meta(row, secret))), bumped, self.value_hmac(data)

    def _create(self, path: str) -> KvSecret:
        secret = KvSecret(mount=self.mount, path=path, custom_metadata={})
        try:
            with self.session.begin_nested():
                self.session.add(secret)
        except IntegrityError:
            # A concurrent writer created it first: use (and lock) theirs.
            found = self._secret(path, lock=True)
            if found is None:
                raise KvError(409, "concurrent update, retry") from None
            return found
        return secret

    def _trim(self, secret: KvSecret) -> None:
        keep = secret.max_versions or DEFAULT_MAX_VERSIONS
        oldest = secret.current_version - keep
        if oldest > 0:
            self.session.execute(
                delete(KvVersion).where(
                    KvVersion.secret_id == secret.id, KvVersion.version <= oldest
                )
            )

    def soft_delete(self, path: str, versions: list[int] | None) -> KvResponse:
        """DELETE data/<path> (current version) or POST delete/<path> (``versions``)."""
        secret = self._secret(path, lock=True)
        if secret is None:
            if versions is None:
                return KvResponse(204)
            raise KvError(404, "", "not-found")
        wanted = [secret.current_version] if versions is None else versions
        now = utcnow()
        for row in self._versions(secret):
            if row.version in wanted and row.deleted_at is None:
                row.deleted_at = now
        secret.updated_at = now
        return KvResponse(204)

    def undelete(self, path: str, versions: list[int]) -> KvResponse:
        """POST undelete/<path>: restore soft-deleted versions (not destroyed ones)."""
        secret = self._secret(path, lock=True)
        if secret is None:
            raise KvError(404, "", "not-found")
        for row in self._versions(secret):
            if row.version in versions and not row.destroyed:
                row.deleted_at = None
        return KvResponse(204)

    def destroy(self, path: str, versions: list[int]) -> KvResponse:
        """PUT destroy/<path>: wipe the ciphertext of ``versions`` for good."""
        secret = self._secret(path, lock=True)
        if secret is None:
            raise KvError(404, "", "not-found")
        for row in self._versions(secret):
            if row.version in versions:
                row.destroyed = True
                row.wrapped_key = row.key_nonce = row.nonce = row.ciphertext = ""
        return KvResponse(204)

    def metadata(self, path: str) -> KvResponse:
        """GET metadata/<path>."""
        secret = self._secret(path)
        if secret is None:
            raise KvError(404, "", "not-found")
        versions = self._versions(secret)
        return KvResponse(
            200,
            _envelope(
                {
                    "cas_required": secret.cas_required,
                    "created_time": _time(secret.created_at),
                    "current_version": secret.current_version,
                    "custom_metadata": secret.custom_metadata or None,
                    "delete_version_after": "0s",
                    "max_versions": secret.max_versions,
                    "oldest_version": versions[0].version if versions else 0,
                    "updated_time": _time(secret.updated_at),
                    "versions": {
                        str(v.version): {
                            "created_time": _time(v.created_at),
                            "deletion_time": _time(v.deleted_at),
                            "destroyed": v.destroyed,
                        }
                        for v in versions
                    },
                }
            ),
        )

    def update_metadata(self, path: str, body: Mapping[str, Any]) -> KvResponse:
        """POST metadata/<path>: max_versions, cas_required, custom_metadata."""
        secret = self._secret(path, lock=True) or self._create(path)
        if "max_versions" in body:
            value = body["max_versions"]
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise KvError(400, "max_versions must be a non-negative integer")
            secret.max_versions = value
        if "cas_required" in body:
            if not isinstance(body["cas_required"], bool):
                raise KvError(400, "cas_required must be a boolean")
            secret.cas_required = body["cas_required"]
        if "custom_metadata" in body:
            custom = body["custom_metadata"]
            if not isinstance(custom, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in custom.items()
            ):
                raise KvError(400, "custom_metadata must map strings to strings")
            secret.custom_metadata = dict(custom)
        secret.updated_at = utcnow()
        return KvResponse(204)

    def delete_metadata(self, path: str) -> KvResponse:
        """DELETE metadata/<path>: the secret and every version, for good."""
        secret = self._secret(path, lock=True)
        if secret is not None:
            self.session.delete(secret)
        return KvResponse(204)

    def list(self, folder: str) -> KvResponse:
        """LIST metadata/<folder>: the keys directly below, folders ending in ``/``."""
        prefix = f"{folder}/" if folder else ""
        paths = self.session.scalars(
            select(KvSecret.path).where(
                KvSecret.mount == self.mount, KvSecret.path.startswith(prefix, autoescape=True)
            )
        ).all()
        keys = sorted(
            {
                rest.split("/", 1)[0] + "/" if "/" in rest else rest
                for rest in (p[len(prefix) :] for p in paths)
                if rest
            }
        )
        if not keys:
            raise KvError(404, "", "not-found")
        return KvResponse(200, _envelope({"keys": keys}))


def lookup_self(caller: Caller) -> KvResponse:
    """GET auth/token/lookup-self: the token's name, policies and remaining time (never the id)."""
    ttl = 0
    if caller.expires_at is not None:
        ttl = max(0, int((caller.expires_at - utcnow()).total_seconds()))
    return KvResponse(
        200,
        _envelope(
            {
                "display_name": f"token-{caller.token_name}",
                "meta": {"username": caller.username},
                "policies": list(caller.policies),
                "renewable": False,
                "ttl": ttl,
                "type": "service",
            }
        ),
    )
