"""Vault's Kubernetes auth method on the hub: a service account's JWT in, a short-lived token out.

``POST /v1/auth/kubernetes/login`` with ``{"role": ..., "jwt": ...}``: the hub asks the
Kubernetes API whether the JWT is valid (a ``TokenReview``, as Vault does), checks the service
account against the role's bound names and namespaces, and issues a hub API token that expires
after the role's TTL and carries only the role's KV policies. The JWT itself is never stored or
logged. (https://developer.hashicorp.com/vault/api-docs/auth/kubernetes#login)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import EventSpec, record
from shieldwall.hub.auth.secrets import TOKEN_PREFIX, new_token, token_digest
from shieldwall.hub.db.models import ApiToken, KvAuthRole, KvPolicy, KvTokenPolicy, User
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import TokenScope
from shieldwall.hub.secrets.service import KvError, KvResponse, lock_audit

REVIEW_PATH = "/apis/authentication.k8s.io/v1/tokenreviews"
SA_PREFIX = "system:serviceaccount:"


@dataclass(frozen=True, slots=True)
class KubernetesConfig:
    """Where TokenReviews go and with which credentials (from the hub settings)."""

    host: str
    reviewer_jwt: str | None = None
    ca_cert: str | None = None
    timeout: float = 10.0

    def __repr__(self) -> str:
        return f"KubernetesConfig(host={self.host!r}, reviewer_jwt=<redacted>)"


def review(config: KubernetesConfig, jwt: str, http: httpx.Client | None = None) -> tuple[str, str]:
    """The (namespace, service account name) the Kubernetes API says ``jwt`` belongs to."""
    body = {
        "apiVersion": "authentication.k8s.io/v1",
        "kind": "TokenReview",
        "spec": {"token": jwt},
    }
    # Without a reviewer token the JWT reviews itself (needs system:auth-delegator), as in Vault.
    headers = {"Authorization": f"Bearer {config.reviewer_jwt or jwt}"}
    client = http or httpx.Client(timeout=config.timeout, verify=config.ca_cert or True)
    try:
        answer = client.post(config.host.rstrip("/") + REVIEW_PATH, json=body, headers=headers)
    except httpx.HTTPError:
        raise KvError(500, "the Kubernetes API is unreachable") from None
    finally:
        if http is None:
            client.close()
    if answer.status_code in (401, 403):
        raise KvError(500, "the Kubernetes API refused the TokenReview (reviewer token)")
    if answer.status_code >= 400:
        raise KvError(500, f"the Kubernetes API answered {answer.status_code} to the TokenReview")
    try:
        status: dict[str, Any] = answer.json().get("status") or {}
    except ValueError:
        raise KvError(500, "the Kubernetes API sent an invalid TokenReview") from None
    username = str((status.get("user") or {}).get("username", ""))
    if not status.get("authenticated") or not username.startswith(SA_PREFIX):
        raise KvError(403, "permission denied", "denied")
    namespace, _, name = username[len(SA_PREFIX) :].partition(":")
    return namespace, name


def _bound(allowed: list[str], value: str) -> bool:
    return "*" in allowed or value in allowed


def _robot(session: Session, role: str) -> User:
    name = f"k8s-role:{role}"
    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        user = User(username=name, password_hash=None, global_role=None)
        session.add(user)
        session.flush()
    return user


def _check(
    session: Session, config: KubernetesConfig | None, body: Any, http: httpx.Client | None
) -> tuple[KvAuthRole, str, str]:
    """The role and the reviewed (namespace, service account) of a login, or a KvError."""
    role_name = body.get("role") if isinstance(body, dict) else None
    jwt = body.get("jwt") if isinstance(body, dict) else None
    if config is None:
        raise KvError(404, "no handler for route 'auth/kubernetes' (not configured)", "failed")
    if not isinstance(role_name, str) or not isinstance(jwt, str) or not role_name or not jwt:
        raise KvError(400, "missing role or jwt", "failed")
    role = session.scalar(select(KvAuthRole).where(KvAuthRole.name == role_name))
    if role is None:
        raise KvError(400, f'invalid role name "{role_name[:100]}"', "failed")
    namespace, account = review(config, jwt, http)
    bound = _bound(role.bound_service_account_namespaces, namespace) and _bound(
        role.bound_service_account_names, account
    )
    if not bound:
        raise KvError(403, "service account name not authorized", "denied")
    return role, namespace, account


def login(
    session: Session,
    config: KubernetesConfig | None,
    body: Any,
    client: str,
    http: httpx.Client | None = None,
) -> KvResponse:
    """Answer a login; every attempt is audited (never with the JWT)."""
    lock_audit(session)
    role_name = body.get("role") if isinstance(body, dict) else None
    where = f"kubernetes/{role_name if isinstance(role_name, str) else ''}"[:200]
    try:
        role, namespace, account = _check(session, config, body, http)
    except KvError as exc:
        record(
            session,
            EventSpec(
                "anonymous",
                "secret.login",
                "auth-role",
                where,
                details={"outcome": exc.outcome, "client": client, "reason": str(exc)},
            ),
        )
        return KvResponse(exc.status, {"errors": [str(exc)]})
    record(
        session,
        EventSpec(
            f"{SA_PREFIX}{namespace}:{account}",
            "secret.login",
            "auth-role",
            where,
            details={"outcome": "ok", "client": client},
        ),
    )
    return _issue(session, role, namespace, account)


def _issue(session: Session, role: KvAuthRole, namespace: str, account: str) -> KvResponse:
    user = _robot(session, role.name)
    token = new_token(TOKEN_PREFIX)
    row = ApiToken(
        user_id=user.id,
        name=f"k8s:{namespace}/{account}"[:150],
        token_hash=token_digest(token),
        scope=TokenScope.READ.value,  # no hub API rights beyond reading; KV rights by policy
        project_id=None,
        expires_at=utcnow() + timedelta(seconds=role.ttl_seconds),
    )
    session.add(row)
    session.flush()
    policies = list(session.scalars(select(KvPolicy).where(KvPolicy.name.in_(role.policies))))
    session.add_all(KvTokenPolicy(token_id=row.id, policy_id=p.id) for p in policies)
    names = sorted(p.name for p in policies)
    return KvResponse(
        200,
        {
            "request_id": "",
            "lease_id": "",
            "renewable": False,
            "lease_duration": 0,
            "data": None,
            "wrap_info": None,
            "warnings": None,
            "auth": {
                "client_token": token,
                "accessor": "",
                "policies": names,
                "token_policies": names,
                "metadata": {
                    "role": role.name,
                    "service_account_name": account,
                    "service_account_namespace": namespace,
                },
                "lease_duration": role.ttl_seconds,
                "renewable": False,
                "entity_id": "",
                "token_type": "service",
                "orphan": True,
            },
        },
    )


def put_role(
    session: Session,
    name: str,
    names: list[str],
    namespaces: list[str],
    policies: list[str],
    ttl_seconds: int,
    actor: str,
) -> KvAuthRole:
    """Create or replace a Kubernetes auth role (audited)."""
    role = session.scalar(select(KvAuthRole).where(KvAuthRole.name == name))
    if role is None:
        role = KvAuthRole(name=name)
        session.add(role)
    role.bound_service_account_names = list(names)
    role.bound_service_account_namespaces = list(namespaces)
    role.policies = list(policies)
    role.ttl_seconds = ttl_seconds
    session.flush()
    record(
        session,
        EventSpec(
            actor,
            "secret-auth-role.saved",
            "auth-role",
            f"kubernetes/{name}",
            details={
                "bound_service_account_names": names,
                "bound_service_account_namespaces": namespaces,
                "policies": policies,
                "ttl_seconds": ttl_seconds,
            },
        ),
    )
    return role
