"""A subset of Vault's database secrets engine: PostgreSQL logins on request, under a lease.

``GET /v1/database/creds/<role>`` makes a login (``CREATE ROLE ... LOGIN PASSWORD ... VALID
UNTIL``, membership of the role's ``member_of``; see ``shieldwall.secretstore.dynamic``) and
answers with Vault's lease shape (``lease_id``, ``lease_duration``, ``renewable``,
``data.username``/``data.password``). ``PUT /v1/sys/leases/renew`` and ``/v1/sys/leases/revoke``
extend or end a lease (only the user the lease was issued to may). Expired leases are dropped
lazily on every engine request; PostgreSQL refuses their password from ``VALID UNTIL`` on anyway.
Every step is audited, the password only as an HMAC.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import EventSpec, record
from shieldwall.hub.db.models import KvDbRole, KvLease
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.secrets.policy import Capability, capabilities
from shieldwall.hub.secrets.service import (
    Caller,
    KvError,
    KvResponse,
    KvService,
    authenticate,
    lock_audit,
)
from shieldwall.secretstore.crypto import MasterKey
from shieldwall.secretstore.dynamic import PostgresDynamicRole
from shieldwall.secretstore.errors import SecretStoreError
from shieldwall.secretstore.rotation import random_value

MOUNT = "database"
SWEEP_LIMIT = 20


@dataclass(frozen=True, slots=True)
class DatabaseEngine:
    """The engine's admin connection and the key for the password HMACs in the audit log."""

    conninfo: str
    master: MasterKey

    def __repr__(self) -> str:
        return "DatabaseEngine(conninfo=<redacted>)"

    def role(self, row: KvDbRole) -> PostgresDynamicRole:
        """The login maker of a role row."""
        return PostgresDynamicRole(
            row.name,
            self.conninfo,
            tuple(row.member_of),
            timedelta(seconds=row.ttl_seconds),
            timedelta(seconds=row.max_ttl_seconds),
        )


def _audit(
    session: Session, actor: str, action: str, target: str, outcome: str, client: str, **more: Any
) -> None:
    lock_audit(session)
    details = {"outcome": outcome, "client": client, **more}
    record(session, EventSpec(actor, f"secret.{action}", "lease", target, details=details))


def _require(caller: Caller, path: str, needed: Capability) -> None:
    if needed not in capabilities(caller.rules, path):
        raise KvError(403, "permission denied", "denied")


def _sweep(session: Session, engine: DatabaseEngine) -> None:
    """Drop the logins of expired, unrevoked leases (a few per request)."""
    now = utcnow()
    expired = session.scalars(
        select(KvLease)
        .where(KvLease.revoked_at.is_(None), KvLease.expires_at <= now)
        .limit(SWEEP_LIMIT)
    ).all()
    for lease in expired:
        row = session.scalar(select(KvDbRole).where(KvDbRole.name == lease.role))
        if row is None:
            continue
        try:
            engine.role(row).drop(lease.username)
        except SecretStoreError:
            continue  # PostgreSQL refuses the password already; try again next time
        lease.revoked_at = now


@dataclass
class _Step:
    """Who is asking and about what, filled in as a request is checked (for its audit entry)."""

    actor: str
    target: str
    extra: dict[str, Any] = field(default_factory=dict)


def _guarded(
    session: Session,
    action: str,
    step: _Step,
    client: str,
    work: Callable[[_Step], KvResponse],
) -> KvResponse:
    """Run ``work``; audit its outcome (a refusal too, after rolling its changes back)."""
    try:
        response = work(step)
    except KvError as exc:
        session.rollback()
        _audit(session, step.actor, action, step.target, exc.outcome, client)
        return KvResponse(exc.status, {"errors": [str(exc)]})
    _audit(session, step.actor, action, step.target, "ok", client, **step.extra)
    return response


def _configured(engine: DatabaseEngine | None, route: str) -> DatabaseEngine:
    if engine is None:
        raise KvError(404, f"no handler for route '{route}' (not configured)", "failed")
    return engine


def _role_row(session: Session, name: str) -> KvDbRole:
    row = session.scalar(select(KvDbRole).where(KvDbRole.name == name))
    if row is None:
        raise KvError(400, f'unknown role: "{name[:100]}"', "failed")
    return row


def creds(
    session: Session, engine: DatabaseEngine | None, token: str, role_name: str, client: str
) -> KvResponse:
    """``GET /v1/database/creds/<role>``."""

    def work(step: _Step) -> KvResponse:
        ready = _configured(engine, f"{MOUNT}/creds")
        caller = authenticate(session, token)
        step.actor = caller.username
        _require(caller, f"{MOUNT}/creds/{role_name}", Capability.READ)
        _sweep(session, ready)
        row = _role_row(session, role_name)
        maker = ready.role(row)
        username = f"sw_{row.name}_{secrets.token_hex(6)}"[:63]
        password = random_value(40)
        now = utcnow()
        try:
            maker.create(username, password, now + maker.ttl)
        except SecretStoreError as exc:
            raise KvError(500, str(exc)) from None
        lease_id = f"{MOUNT}/creds/{row.name}/{secrets.token_hex(12)}"
        session.add(
            KvLease(
                lease_id=lease_id,
                role=row.name,
                username=username,
                owner=caller.username,
                created_at=now,
                expires_at=now + maker.ttl,
            )
        )
        digest = KvService(session, ready.master, MOUNT).value_hmac({"password": password})
        step.target, step.extra = lease_id, {"username": username, "value_hmac": digest}
        return KvResponse(
            200,
            {
                "request_id": "",
                "lease_id": lease_id,
                "renewable": True,
                "lease_duration": row.ttl_seconds,
                "data": {"username": username, "password": password},
                "wrap_info": None,
                "warnings": None,
                "auth": None,
            },
        )

    return _guarded(
        session, "lease", _Step("anonymous", f"{MOUNT}/creds/{role_name}"[:200]), client, work
    )


def _lease(session: Session, caller: Caller, body: Any) -> KvLease:
    lease_id = body.get("lease_id") if isinstance(body, dict) else None
    if not isinstance(lease_id, str) or not lease_id:
        raise KvError(400, "missing lease_id", "failed")
    lease = session.scalar(select(KvLease).where(KvLease.lease_id == lease_id))
    # Another user's lease is reported like a missing one: lease ids reveal nothing.
    if lease is None or lease.owner != caller.username or lease.revoked_at is not None:
        raise KvError(400, "lease not found or lease is not renewable", "not-found")
    return lease


def _lease_request(
    session: Session, engine: DatabaseEngine | None, token: str, body: Any, step: _Step
) -> tuple[DatabaseEngine, KvLease]:
    """What renew and revoke check first: the engine, the caller, the capability on the step's
    path (``sys/leases/renew`` or ``…/revoke``), and the caller's own live lease."""
    ready = _configured(engine, "sys/leases")
    caller = authenticate(session, token)
    step.actor = caller.username
    _require(caller, step.target, Capability.UPDATE)
    lease = _lease(session, caller, body)
    step.target = lease.lease_id
    return ready, lease


def renew(
    session: Session, engine: DatabaseEngine | None, token: str, body: Any, client: str
) -> KvResponse:
    """``PUT /v1/sys/leases/renew``: extend by ``increment`` seconds (or the role's TTL)."""

    def work(step: _Step) -> KvResponse:
        ready, lease = _lease_request(session, engine, token, body, step)
        now = utcnow()
        if lease.expires_at <= now:
            raise KvError(400, "lease expired", "failed")
        maker = ready.role(_role_row(session, lease.role))
        wanted = body.get("increment") if isinstance(body, dict) else None
        seconds = (
            wanted if isinstance(wanted, int) and wanted > 0 else int(maker.ttl.total_seconds())
        )
        until = min(now + timedelta(seconds=seconds), lease.created_at + maker.max_ttl)
        try:
            maker.extend(lease.username, until)
        except SecretStoreError as exc:
            raise KvError(500, str(exc)) from None
        lease.expires_at = until
        duration = max(0, int((until - now).total_seconds()))
        body_out = {"lease_id": lease.lease_id, "renewable": True, "lease_duration": duration}
        return KvResponse(200, {**body_out, "data": None})

    return _guarded(session, "renew", _Step("anonymous", "sys/leases/renew"), client, work)


def revoke(
    session: Session, engine: DatabaseEngine | None, token: str, body: Any, client: str
) -> KvResponse:
    """``PUT /v1/sys/leases/revoke``: drop the login now."""

    def work(step: _Step) -> KvResponse:
        ready, lease = _lease_request(session, engine, token, body, step)
        try:
            PostgresDynamicRole(lease.role, ready.conninfo).drop(lease.username)
        except SecretStoreError as exc:
            raise KvError(500, str(exc)) from None
        lease.revoked_at = utcnow()
        return KvResponse(204)

    return _guarded(session, "revoke", _Step("anonymous", "sys/leases/revoke"), client, work)


def put_role(
    session: Session, name: str, member_of: list[str], ttl: int, max_ttl: int, actor: str
) -> None:
    """Create or replace a database role (audited); the name must suit a PostgreSQL login."""
    PostgresDynamicRole(name, "", tuple(member_of))  # validates the name
    lock_audit(session)
    row = session.scalar(select(KvDbRole).where(KvDbRole.name == name))
    if row is None:
        row = KvDbRole(name=name)
        session.add(row)
    row.member_of, row.ttl_seconds, row.max_ttl_seconds = list(member_of), ttl, max_ttl
    details = {"member_of": member_of, "ttl_seconds": ttl, "max_ttl_seconds": max_ttl}
    record(session, EventSpec(actor, "secret-db-role.saved", "db-role", name, details=details))
