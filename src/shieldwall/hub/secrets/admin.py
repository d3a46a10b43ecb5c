"""Managing KV path policies and attaching them to API tokens (global admins; audited)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import EventSpec, record
from shieldwall.hub.db.models import ApiToken, KvPolicy, KvTokenPolicy
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.errors import InvalidRequestError, NotFoundError
from shieldwall.hub.secrets.policy import PolicyRule
from shieldwall.hub.secrets.service import lock_audit

_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")


def list_policies(session: Session) -> list[KvPolicy]:
    """Every policy, by name."""
    return list(session.scalars(select(KvPolicy).order_by(KvPolicy.name)))


def put_policy(session: Session, name: str, rules: Sequence[PolicyRule], actor: str) -> KvPolicy:
    """Create or replace the policy ``name``."""
    if not _NAME.fullmatch(name):
        raise InvalidRequestError("policy names are 1-100 characters of [A-Za-z0-9_.-]")
    lock_audit(session)
    stored = [rule.model_dump(mode="json") for rule in rules]
    policy = session.scalar(select(KvPolicy).where(KvPolicy.name == name))
    if policy is None:
        policy = KvPolicy(name=name, rules=stored)
        session.add(policy)
    else:
        policy.rules = stored
        policy.updated_at = utcnow()
    session.flush()
    record(
        session,
        EventSpec(actor, "secret-policy.saved", "secret-policy", name, details={"rules": stored}),
    )
    return policy


def delete_policy(session: Session, name: str, actor: str) -> None:
    """Remove a policy (and its attachments to tokens)."""
    lock_audit(session)
    policy = session.scalar(select(KvPolicy).where(KvPolicy.name == name))
    if policy is None:
        raise NotFoundError(f"no policy {name!r}")
    session.delete(policy)
    record(session, EventSpec(actor, "secret-policy.deleted", "secret-policy", name))


def set_token_policies(session: Session, token_id: int, names: Sequence[str], actor: str) -> None:
    """Make ``names`` the KV policies of the token (replacing its previous ones)."""
    lock_audit(session)
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFoundError("no such token")
    policies = list(session.scalars(select(KvPolicy).where(KvPolicy.name.in_(list(names)))))
    missing = sorted(set(names) - {p.name for p in policies})
    if missing:
        raise InvalidRequestError(f"unknown policies: {', '.join(missing)}")
    session.execute(delete(KvTokenPolicy).where(KvTokenPolicy.token_id == token_id))
    session.add_all(KvTokenPolicy(token_id=token_id, policy_id=p.id) for p in policies)
    record(
        session,
        EventSpec(
            actor,
            "secret-policy.attached",
            "token",
            str(token_id),
            details={"policies": sorted(names)},
        ),
    )
