"""Shipping the embedded store's audit log to the hub: no entry lost, none sent twice.

The hub keeps the checkpoint (the last entry it holds, by sequence number and hash) for each log,
identified by the hash of the log's first entry. Shipping asks for the checkpoint, then sends
the entries after it in batches; every answer carries the new checkpoint. A crash between send
and answer is harmless: the hub skips entries it already holds. The log is verified before
anything is sent, so a tampered log is reported and never shipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from shieldwall.secretstore.audit import AuditLog
from shieldwall.secretstore.errors import (
    AccessDeniedError,
    BackendUnavailableError,
    SecretStoreError,
    TamperedError,
)

BATCH = 1000
SOURCES = "/api/v1/secrets/audit/sources"
SHIP = "/api/v1/secrets/audit/ship"


@dataclass(frozen=True, slots=True)
class ShipResult:
    """What a shipping run did: entries sent and accepted, and the hub's checkpoint after it."""

    source: str
    sent: int
    accepted: int
    last_seq: int


def _batches(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check(response: httpx.Response) -> dict[str, Any]:
    if response.status_code in (401, 403):
        raise AccessDeniedError("the hub refused the token (it needs the upload or admin scope)")
    if response.status_code == 409:
        raise TamperedError(
            "the hub holds a different history for this audit log: "
            + str(response.json().get("detail", ""))
        )
    if response.status_code >= 400:
        raise SecretStoreError(f"the hub refused the audit log (HTTP {response.status_code})")
    body: dict[str, Any] = response.json()
    return body


def ship_audit(
    log: AuditLog,
    hub_url: str,
    token: str,
    *,
    label: str = "",
    http: httpx.Client | None = None,
    batch: int = BATCH,
) -> ShipResult:
    """Send the entries of ``log`` the hub does not hold yet; returns what happened."""
    entries = log.raw_entries()  # raises TamperedError on a broken chain
    if not entries:
        return ShipResult("", 0, 0, 0)
    source = str(entries[0]["hash"])
    client = http or httpx.Client(timeout=60.0)
    headers = {"Authorization": f"Bearer {token}"}
    base = hub_url.rstrip("/")
    try:
        answer = client.get(f"{base}{SOURCES}/{source}", headers=headers)
        last_seq = 0 if answer.status_code == 404 else int(_check(answer)["last_seq"])
        pending = [e for e in entries if int(e["seq"]) > last_seq]
        sent = accepted = 0
        for chunk in _batches(pending, batch):
            body = {"source": source, "label": label, "entries": chunk}
            result = _check(client.post(f"{base}{SHIP}", json=body, headers=headers))
            sent += len(chunk)
            accepted += int(result["accepted"])
            last_seq = int(result["last_seq"])
    except httpx.HTTPError as exc:
        raise BackendUnavailableError(f"cannot reach the hub: {type(exc).__name__}") from exc
    finally:
        if http is None:
            client.close()
    return ShipResult(source, sent, accepted, last_seq)
