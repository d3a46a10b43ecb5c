"""Shipping an embedded store's audit log to a real hub: nothing lost, nothing twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from shieldwall.cli.secretstore import app as secrets_app
from shieldwall.hub.audit.service import verify
from shieldwall.hub.auth.service import create_token, create_user
from shieldwall.hub.db.engine import make_engine, make_session_factory, transaction
from shieldwall.hub.db.models import AuditEvent
from shieldwall.hub.enums import Role, TokenScope
from shieldwall.hub.settings import HubSettings
from shieldwall.secretstore import AuditLog, Operation, TamperedError
from shieldwall.secretstore.errors import AccessDeniedError
from shieldwall.secretstore.shipping import ship_audit
from tests.servers.hub_server import running_hub


@pytest.fixture
def hub(db_url: str) -> Iterator[tuple[str, dict[str, str], object]]:
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    tokens = {}
    with transaction(sessions) as session:
        user = create_user(session, "ci", None, Role.DEVELOPER, "test")
        for scope in (TokenScope.UPLOAD, TokenScope.READ):
            tokens[scope.value] = create_token(
                session,
                user=user,
                name=scope.value,
                scope=scope,
                project=None,
                expires_days=1,
                actor="test",
            ).token
    with running_hub(HubSettings(database_url=db_url, migrate_on_start=False)) as url:
        yield url, tokens, sessions
    engine.dispose()


def _shipped(sessions: object) -> list[tuple[int, str, str]]:
    with transaction(sessions) as session:  # type: ignore[arg-type]
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.startswith("secret."))
            .order_by(AuditEvent.id)
        ).all()
        assert verify(session).ok
        return [(e.details["seq"], e.action, e.object_id) for e in events]


def _log(tmp_path: Path, count: int) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl", identity="alice", client="test")
    for n in range(count):
        log.record(Operation.READ, "store", f"app/key{n}", version=1, value=f"value-{n}")
    return log


def test_ship_is_idempotent_and_incremental(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, tokens, sessions = hub
    log = _log(tmp_path, 5)
    first = ship_audit(log, url, tokens["upload"], batch=2)
    assert (first.sent, first.accepted, first.last_seq) == (5, 5, 5)
    again = ship_audit(log, url, tokens["upload"])
    assert (again.sent, again.accepted, again.last_seq) == (0, 0, 5)
    log.record(Operation.WRITE, "store", "db/password", version=2, value="new-value")
    more = ship_audit(log, url, tokens["upload"])
    assert (more.sent, more.accepted, more.last_seq) == (1, 1, 6)
    shipped = _shipped(sessions)
    assert [seq for seq, _, _ in shipped] == [1, 2, 3, 4, 5, 6]
    assert shipped[-1][1:] == ("secret.write", "store:db/password")


def test_a_resent_batch_is_not_duplicated(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, tokens, sessions = hub
    log = _log(tmp_path, 3)
    entries = log.raw_entries()
    body = {"source": entries[0]["hash"], "entries": entries}
    headers = {"Authorization": f"Bearer {tokens['upload']}"}
    for _ in range(2):  # as if the client crashed before reading the first answer
        answer = httpx.post(f"{url}/api/v1/secrets/audit/ship", json=body, headers=headers)
        assert answer.status_code == 200, answer.text
    assert answer.json()["accepted"] == 0
    assert [seq for seq, _, _ in _shipped(sessions)] == [1, 2, 3]


def test_gaps_and_edits_are_refused(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, tokens, sessions = hub
    entries = _log(tmp_path, 3).raw_entries()
    headers = {"Authorization": f"Bearer {tokens['upload']}"}
    gap = {"source": entries[0]["hash"], "entries": [entries[0], entries[2]]}
    answer = httpx.post(f"{url}/api/v1/secrets/audit/ship", json=gap, headers=headers)
    assert answer.status_code == 409
    edited = dict(entries[0], path="other/path")
    bad = {"source": entries[0]["hash"], "entries": [edited]}
    answer = httpx.post(f"{url}/api/v1/secrets/audit/ship", json=bad, headers=headers)
    assert answer.status_code == 422
    assert _shipped(sessions) == []  # nothing of a refused batch is kept


def test_tampered_log_is_never_shipped(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, tokens, sessions = hub
    log = _log(tmp_path, 3)
    lines = log.path.read_text().splitlines()
    body = json.loads(lines[1])
    body["identity"] = "mallory"
    lines[1] = json.dumps(body, sort_keys=True, separators=(",", ":"))
    log.path.write_text("\n".join(lines) + "\n")
    with pytest.raises(TamperedError):
        ship_audit(log, url, tokens["upload"])
    assert _shipped(sessions) == []


def test_read_only_token_may_not_ship(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, tokens, _ = hub
    with pytest.raises(AccessDeniedError):
        ship_audit(_log(tmp_path, 1), url, tokens["read"])


def test_cli_audit_ship(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, tokens, sessions = hub
    log = _log(tmp_path, 2)
    env = {"SHIELDWALL_HUB_URL": url, "SHIELDWALL_TOKEN": tokens["upload"]}
    result = CliRunner().invoke(
        secrets_app, ["audit", "--ship", "--audit-log", str(log.path)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "2 new entries shipped" in result.output
    assert [seq for seq, _, _ in _shipped(sessions)] == [1, 2]


def test_concurrent_shippers_send_each_entry_once(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    url, tokens, sessions = hub
    log = _log(tmp_path, 40)

    def ship(_: int) -> int:
        try:
            return ship_audit(log, url, tokens["upload"], batch=5).accepted
        except TamperedError:
            return -1  # a 409: the other shipper moved the checkpoint first; nothing is lost

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(ship, range(3)))
    ship_audit(log, url, tokens["upload"])  # whatever a refused shipper left, from the checkpoint
    assert [seq for seq, _, _ in _shipped(sessions)] == list(range(1, 41))
