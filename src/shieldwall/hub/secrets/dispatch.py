"""Route one KV API request: authenticate, check the path policy, run it, audit it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from shieldwall.hub.audit.service import EventSpec, record
from shieldwall.hub.secrets.policy import Capability, capabilities
from shieldwall.hub.secrets.service import (
    KINDS,
    Caller,
    KvError,
    KvRequest,
    KvResponse,
    KvService,
    authenticate,
    lock_audit,
)
from shieldwall.secretstore.crypto import MasterKey
from shieldwall.secretstore.errors import SecretConfigError
from shieldwall.secretstore.model import normalise_path

SEALED = KvResponse(503, {"errors": ["Vault is sealed"]})


@dataclass(frozen=True, slots=True)
class _Plan:
    operation: str  # the audit action's suffix
    capability: Capability
    run: Callable[[KvService], tuple[KvResponse, int | None, str | None]]


def _versions(body: Any) -> list[int]:
    versions = body.get("versions") if isinstance(body, dict) else None
    if (
        not isinstance(versions, list)
        or not versions
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in versions)
    ):
        raise KvError(400, "no versions provided")
    return versions


def _bare(response: KvResponse) -> tuple[KvResponse, int | None, str | None]:
    return response, None, None


def _plan(request: KvRequest, exists: Callable[[], bool]) -> _Plan:
    """What the request does, and the capability it needs (Vault's mapping)."""
    path, body, method, kind = request.path, request.body, request.method, request.kind
    listing = method == "LIST" or (method == "GET" and request.query.get("list") == "true")
    match kind, method:
        case "data", "GET":
            raw = request.query.get("version") or "0"
            if not raw.isdigit():
                raise KvError(400, "version must be a number")
            version = int(raw) or None
            return _Plan("read", Capability.READ, lambda s: s.read(path, version))
        case "data", "POST" | "PUT":

            def write(s: KvService) -> tuple[KvResponse, int | None, str | None]:
                return s.write(path, body)

            return _Plan("write", Capability.UPDATE if exists() else Capability.CREATE, write)
        case "data", "DELETE":
            return _Plan("delete", Capability.DELETE, lambda s: _bare(s.soft_delete(path, None)))
        case "delete", "POST" | "PUT":
            versions = _versions(body)
            return _Plan(
                "delete", Capability.UPDATE, lambda s: _bare(s.soft_delete(path, versions))
            )
        case "undelete", "POST" | "PUT":
            versions = _versions(body)
            return _Plan("undelete", Capability.UPDATE, lambda s: _bare(s.undelete(path, versions)))
        case "destroy", "POST" | "PUT":
            versions = _versions(body)
            return _Plan("destroy", Capability.UPDATE, lambda s: _bare(s.destroy(path, versions)))
        case "metadata", _ if listing:
            return _Plan("list", Capability.LIST, lambda s: _bare(s.list(path)))
        case "metadata", "GET":
            return _Plan("metadata", Capability.READ, lambda s: _bare(s.metadata(path)))
        case "metadata", "POST" | "PUT":
            capability = Capability.UPDATE if exists() else Capability.CREATE
            return _Plan(
                "metadata-write", capability, lambda s: _bare(s.update_metadata(path, body))
            )
        case "metadata", "DELETE":
            return _Plan(
                "metadata-delete", Capability.DELETE, lambda s: _bare(s.delete_metadata(path))
            )
    raise KvError(405, f"unsupported operation {method} on {kind}/")


def _audit(
    session: Session,
    request: KvRequest,
    actor: str,
    operation: str,
    outcome: str,
    *,
    token: str = "",
    version: int | None = None,
    value_hmac: str | None = None,
) -> None:
    details: dict[str, Any] = {
        "outcome": outcome,
        "client": request.client,
        "method": request.method,
    }
    if token:
        details["token"] = token
    if version is not None:
        details["version"] = version
    if value_hmac is not None:
        details["value_hmac"] = value_hmac
    lock_audit(session)
    record(
        session,
        EventSpec(
            actor=actor,
            action=f"secret.{operation}",
            object_type="secret",
            object_id=f"{request.mount}/{request.path}",
            details=details,
        ),
    )


RETRIES = 5


def handle(
    session: Session, master: MasterKey | None, mount: str, request: KvRequest
) -> KvResponse:
    """Answer one KV request; every outcome (even a refusal) is audited in ``session``.

    Two writers of one path may both pick the next version number (SQLite has no row locks; on
    PostgreSQL two first writes of a new path both insert it): the unique constraints refuse the
    second, and the request is run again in a fresh transaction. A SQLite reader that must
    write its audit row after another transaction committed is retried the same way.
    """
    for attempt in range(RETRIES):
        try:
            return _handle_once(session, master, mount, request)
        except (IntegrityError, OperationalError):
            session.rollback()
            time.sleep(0.01 * 2**attempt)
    _audit(session, request, "anonymous", f"{request.kind}.{request.method.lower()}", "failed")
    return KvResponse(503, {"errors": ["the secret store is busy, retry"]})


def _handle_once(
    session: Session, master: MasterKey | None, mount: str, request: KvRequest
) -> KvResponse:
    if master is None:
        return SEALED
    if request.mount != mount or request.kind not in KINDS:
        return KvResponse(
            404, {"errors": [f"no handler for route '{request.mount}/{request.kind}'"]}
        )
    caller: Caller | None = None
    operation = f"{request.kind}.{request.method.lower()}"
    try:
        if request.path or request.kind != "metadata":
            request = _with_path(request)
        caller = authenticate(session, request.token)
        service = KvService(session, master, mount)
        plan = _plan(request, lambda: service.exists(request.path))
        operation = plan.operation
        api_path = f"{mount}/{request.kind}/{request.path}"
        # A listing is of a folder: Vault's request path ends in "/" (matched by "folder/*").
        api_path = api_path.rstrip("/") + ("/" if plan.operation == "list" else "")
        _require(plan.capability, capabilities(caller.rules, api_path))
        response, version, value_hmac = plan.run(service)
    except KvError as exc:
        session.rollback()
        _audit(
            session,
            request,
            caller.username if caller else "anonymous",
            operation,
            exc.outcome,
            token=caller.token_name if caller else "",
        )
        return KvResponse(exc.status, {"errors": [str(exc)] if str(exc) else []})
    outcome = "ok" if response.status < 400 else "not-found"
    _audit(
        session,
        request,
        caller.username,
        operation,
        outcome,
        token=caller.token_name,
        version=version,
        value_hmac=value_hmac,
    )
    return response


def _require(needed: Capability, granted: frozenset[Capability]) -> None:
    if needed not in granted:
        raise KvError(403, "permission denied", "denied")


def _with_path(request: KvRequest) -> KvRequest:
    try:
        path = normalise_path(request.path)
    except SecretConfigError:
        raise KvError(400, "invalid secret path") from None
    return KvRequest(
        request.method,
        request.mount,
        request.kind,
        path,
        request.token,
        request.client,
        request.query,
        request.body,
    )
