"""HTTP of the secret server: Vault's KV v2 API under ``/v1`` and its admin API under ``/api/v1``.

``kv_router`` is mounted at the root, because Vault clients build ``<address>/v1/<mount>/...``
themselves; it authenticates with ``X-Vault-Token`` (a hub API token) and never uses cookies, so
it needs no CSRF check. ``router`` (policies, audit shipping) uses the hub's usual auth.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from shieldwall.hub.deps import CurrentUser, SessionDep, StateDep
from shieldwall.hub.enums import TokenScope
from shieldwall.hub.errors import InvalidRequestError, NotFoundError, PermissionDeniedError
from shieldwall.hub.permissions import Principal, require_global_admin
from shieldwall.hub.secrets import admin, database, kubernetes, shipping
from shieldwall.hub.secrets.database import DatabaseEngine
from shieldwall.hub.secrets.dispatch import SEALED, handle
from shieldwall.hub.secrets.kubernetes import KubernetesConfig
from shieldwall.hub.secrets.schemas import (
    AuditShipIn,
    CheckpointPublic,
    DatabaseRolePut,
    KubernetesRolePut,
    PolicyPublic,
    PolicyPut,
    TokenPoliciesPut,
)
from shieldwall.hub.secrets.service import (
    KvError,
    KvRequest,
    KvResponse,
    authenticate,
    lookup_self,
    master_key,
)
from shieldwall.secretstore.audit import GENESIS
from shieldwall.secretstore.errors import SecretConfigError

kv_router = APIRouter(prefix="/v1", tags=["secrets (Vault KV v2)"])
router = APIRouter(prefix="/secrets", tags=["secrets"])
KV_METHODS = ["GET", "POST", "PUT", "DELETE", "LIST"]


def _token(request: Request) -> str:
    token = request.headers.get("x-vault-token", "")
    if not token:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        token = value.strip() if scheme.lower() == "bearer" else ""
    return token.strip()


def _send(response: KvResponse) -> Response:
    if response.body is None:
        return Response(status_code=response.status)
    return JSONResponse(response.body, status_code=response.status)


def _master(state: StateDep) -> Any:
    configured = state.settings.secrets_master_key
    return master_key(configured.get_secret_value() if configured else None)


@kv_router.get("/sys/health")
def health(state: StateDep) -> Response:
    """Vault's health check: 200 when the KV store is unsealed (a master key is set), else 503."""
    sealed = _master(state) is None
    body = {"initialized": True, "sealed": sealed, "standby": False, "version": "shieldwall"}
    return JSONResponse(body, status_code=503 if sealed else 200)


@kv_router.get("/auth/token/lookup-self")
def token_lookup_self(request: Request, session: SessionDep) -> Response:
    """The calling token's name and KV policies (``hvac.Client.is_authenticated`` uses this)."""
    try:
        return _send(lookup_self(authenticate(session, _token(request))))
    except KvError as exc:
        return _send(KvResponse(exc.status, {"errors": [str(exc)]}))


def _kubernetes(state: StateDep) -> KubernetesConfig | None:
    settings = state.settings
    if not settings.secrets_kubernetes_host:
        return None
    reviewer = settings.secrets_kubernetes_reviewer_jwt
    return KubernetesConfig(
        settings.secrets_kubernetes_host,
        reviewer.get_secret_value() if reviewer else None,
        settings.secrets_kubernetes_ca_cert,
    )


async def _raw_body(request: Request) -> bytes:
    """The request body, read on the event loop so that the handlers can be plain functions.

    The handlers use a synchronous database session: as ``async def`` they would block the event
    loop on every query (and deadlock concurrent SQLite writers); as ``def`` they run in the
    thread pool.
    """
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]


@kv_router.post("/auth/kubernetes/login")
def kubernetes_login(
    request: Request, raw: RawBody, session: SessionDep, state: StateDep
) -> Response:
    """Vault's Kubernetes auth login: a TokenReview of the JWT, then a short-lived hub token."""
    try:
        body: Any = json.loads(raw or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _send(KvResponse(400, {"errors": ["failed to parse JSON input"]}))
    client = request.client.host if request.client else ""
    return _send(kubernetes.login(session, _kubernetes(state), body, client))


def _database(state: StateDep) -> DatabaseEngine | None:
    url, master = state.settings.secrets_database_url, _master(state)
    if url is None or master is None:
        return None
    return DatabaseEngine(url.get_secret_value(), master)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


@kv_router.get("/database/creds/{role}")
def database_creds(role: str, request: Request, session: SessionDep, state: StateDep) -> Response:
    """Vault's database engine: a new PostgreSQL login for ``role``, under a lease."""
    client = request.client.host if request.client else ""
    return _send(database.creds(session, _database(state), _token(request), role, client))


# Vault accepts PUT and POST alike; one method in the OpenAPI document (two would share an id).
@kv_router.api_route("/sys/leases/{action}", methods=["POST"])
@kv_router.api_route("/sys/leases/{action}", methods=["PUT"], include_in_schema=False)
def leases(
    action: str, request: Request, raw: RawBody, session: SessionDep, state: StateDep
) -> Response:
    """Vault's ``sys/leases/renew`` and ``sys/leases/revoke`` for database leases."""
    body = _json(raw)
    if body is None:
        return _send(KvResponse(400, {"errors": ["failed to parse JSON input"]}))
    client = request.client.host if request.client else ""
    engine, token = _database(state), _token(request)
    if action == "renew":
        return _send(database.renew(session, engine, token, body, client))
    if action == "revoke":
        return _send(database.revoke(session, engine, token, body, client))
    return _send(KvResponse(404, {"errors": [f"no handler for route 'sys/leases/{action}'"]}))


# Vault's API (documented by Vault and in docs/secretstore.md) stays out of the hub's OpenAPI
# schema: one handler for five methods, including Vault's non-standard LIST.
@kv_router.api_route("/{mount}/{kind}/{path:path}", methods=KV_METHODS, include_in_schema=False)
def kv(
    mount: str,
    kind: str,
    path: str,
    request: Request,
    raw: RawBody,
    session: SessionDep,
    state: StateDep,
) -> Response:
    """Read, write, list, delete, undelete, destroy and metadata of a KV v2 mount."""
    master = _master(state)
    if master is None:
        return _send(SEALED)
    body: Any = {}
    if raw.strip():
        try:
            body = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _send(KvResponse(400, {"errors": ["failed to parse JSON input"]}))
        if not isinstance(body, dict):
            return _send(KvResponse(400, {"errors": ["the request body must be a JSON object"]}))
    kv_request = KvRequest(
        method=request.method,
        mount=mount,
        kind=kind,
        path=path,
        token=_token(request),
        client=request.client.host if request.client else "",
        query=dict(request.query_params),
        body=body,
    )
    return _send(handle(session, master, state.settings.secrets_mount, kv_request))


# -- admin API (/api/v1/secrets/...) ---------------------------------------------------------------


@router.get("/policies")
def list_policies(session: SessionDep, me: CurrentUser) -> list[PolicyPublic]:
    """Every KV policy (global admins)."""
    require_global_admin(me)
    return [PolicyPublic(name=p.name, rules=p.rules) for p in admin.list_policies(session)]


@router.put("/policies/{name}")
def put_policy(name: str, body: PolicyPut, session: SessionDep, me: CurrentUser) -> PolicyPublic:
    """Create or replace a KV policy (global admins)."""
    require_global_admin(me)
    policy = admin.put_policy(session, name, body.rules, me.username)
    return PolicyPublic(name=policy.name, rules=policy.rules)


@router.delete("/policies/{name}", status_code=204)
def delete_policy(name: str, session: SessionDep, me: CurrentUser) -> None:
    """Delete a KV policy (global admins)."""
    require_global_admin(me)
    admin.delete_policy(session, name, me.username)


@router.put("/tokens/{token_id}/policies", status_code=204)
def set_token_policies(
    token_id: int, body: TokenPoliciesPut, session: SessionDep, me: CurrentUser
) -> None:
    """Give an API token exactly these KV policies (global admins)."""
    require_global_admin(me)
    admin.set_token_policies(session, token_id, body.policies, me.username)


@router.put("/kubernetes/roles/{name}", status_code=204)
def put_kubernetes_role(
    name: str, body: KubernetesRolePut, session: SessionDep, me: CurrentUser
) -> None:
    """Create or replace a Kubernetes auth role (global admins)."""
    require_global_admin(me)
    if not name or len(name) > 100 or not name.replace("-", "").replace("_", "").isalnum():
        raise InvalidRequestError("role names are 1-100 characters of [A-Za-z0-9_-]")
    kubernetes.put_role(
        session,
        name,
        body.bound_service_account_names,
        body.bound_service_account_namespaces,
        body.policies,
        body.ttl_seconds,
        me.username,
    )


@router.put("/database/roles/{name}", status_code=204)
def put_database_role(
    name: str, body: DatabaseRolePut, session: SessionDep, me: CurrentUser
) -> None:
    """Create or replace a role of the database secrets engine (global admins)."""
    require_global_admin(me)
    try:
        database.put_role(
            session, name, body.member_of, body.ttl_seconds, body.max_ttl_seconds, me.username
        )
    except SecretConfigError as exc:
        raise InvalidRequestError(str(exc)) from None


def _require_shipper(me: Principal) -> None:
    # Shipping appends to the hub's audit log: an upload or admin token (CI), or a browser
    # session; read-only and triage tokens may not.
    if me.scope not in (None, TokenScope.UPLOAD, TokenScope.ADMIN):
        raise PermissionDeniedError("shipping audit logs needs an upload or admin token")


@router.get("/audit/sources/{source}")
def get_checkpoint(source: str, session: SessionDep, me: CurrentUser) -> CheckpointPublic:
    """How far the hub holds the log ``source`` (404 before its first entry arrives)."""
    _require_shipper(me)
    row = shipping.checkpoint(session, source)
    if row is None:
        raise NotFoundError("the hub holds no entry of this log yet")
    return CheckpointPublic(source=source, last_seq=row.last_seq, last_hash=row.last_hash)


@router.post("/audit/ship")
def ship_audit(body: AuditShipIn, session: SessionDep, me: CurrentUser) -> CheckpointPublic:
    """Append new entries of an embedded store's audit log (duplicates skipped, chain checked)."""
    _require_shipper(me)
    if not body.entries:
        row = shipping.checkpoint(session, body.source)
        seq, last = (row.last_seq, row.last_hash) if row else (0, GENESIS)
        return CheckpointPublic(source=body.source, last_seq=seq, last_hash=last)
    row, accepted = shipping.ingest(session, body.source, body.label, body.entries, me.username)
    return CheckpointPublic(
        source=body.source, last_seq=row.last_seq, last_hash=row.last_hash, accepted=accepted
    )
