"""The hub's database secrets engine (Vault's API) with hvac, on the PostgreSQL at 127.0.0.1."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import hvac
import pytest
from hvac import exceptions as hvac_errors
from sqlalchemy import select
from typer.testing import CliRunner

from shieldwall.cli.secretstore import app as secrets_app
from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import AuditEvent, KvLease
from tests.hub.test_secrets_kv import MASTER, KvHub, _start
from tests.secretstore.test_dynamic import CHILD, _role
from tests.secretstore.test_rotation import _password_hash, _scram_matches

PG_ENV = "SHIELDWALL_TEST_POSTGRES_URL"


@pytest.fixture
def admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set")
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def db_hub(sqlite_url: str, admin_url: str) -> Iterator[KvHub]:
    hub_iter = _start(sqlite_url, MASTER, secrets_database_url=admin_url)
    hub = next(hub_iter)
    rules = [
        {"path": "database/creds/app", "capabilities": ["read"]},
        {"path": "sys/leases/renew", "capabilities": ["update"]},
        {"path": "sys/leases/revoke", "capabilities": ["update"]},
    ]
    assert hub.admin_api("PUT", "/secrets/policies/db", json={"rules": rules}).status_code == 200
    for token in (hub.app, hub.kv_admin):
        answer = hub.admin_api(
            "PUT", f"/secrets/tokens/{hub.token_id(token)}/policies", json={"policies": ["db"]}
        )
        assert answer.status_code == 204
    answer = hub.admin_api(
        "PUT",
        "/secrets/database/roles/app",
        json={"member_of": [], "ttl_seconds": 300, "max_ttl_seconds": 400},
    )
    assert answer.status_code == 204, answer.text
    try:
        yield hub
    finally:
        hub_iter.close()


@pytest.mark.postgres
def test_creds_renew_revoke_with_hvac(db_hub: KvHub, admin_url: str) -> None:
    client = hvac.Client(url=db_hub.url, token=db_hub.app)
    issued = client.secrets.database.generate_credentials("app")
    username, password = issued["data"]["username"], issued["data"]["password"]
    assert issued["renewable"] is True and issued["lease_duration"] == 300
    found = _role(admin_url, username)
    assert found is not None and found[0] is not None
    verifier = _password_hash(admin_url, username)
    assert verifier is not None and _scram_matches(verifier, password)
    renewed = client.sys.renew_lease(issued["lease_id"], increment=3600)
    assert renewed["lease_duration"] <= 400  # capped by max_ttl from creation
    # Another user may neither renew nor revoke it.
    other = hvac.Client(url=db_hub.url, token=db_hub.kv_admin)
    with pytest.raises(hvac_errors.InvalidRequest):
        other.sys.revoke_lease(issued["lease_id"])
    client.sys.revoke_lease(issued["lease_id"])
    assert _role(admin_url, username) is None
    with pytest.raises(hvac_errors.InvalidRequest):
        client.sys.renew_lease(issued["lease_id"])
    with pytest.raises(hvac_errors.Forbidden):
        hvac.Client(url=db_hub.url, token=db_hub.nobody).secrets.database.generate_credentials(
            "app"
        )
    with transaction(db_hub.sessions) as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "lease").order_by(AuditEvent.id)
        ).all()
        assert [(e.actor, e.action, e.details["outcome"]) for e in events] == [
            ("app", "secret.lease", "ok"),
            ("app", "secret.renew", "ok"),
            ("kvadmin", "secret.revoke", "not-found"),
            ("app", "secret.revoke", "ok"),
            ("app", "secret.renew", "not-found"),
            ("nobody", "secret.lease", "denied"),
        ]
        assert password not in repr([e.details for e in events])


@pytest.mark.postgres
def test_expired_leases_are_dropped(db_hub: KvHub, admin_url: str) -> None:
    db_hub.admin_api(
        "PUT", "/secrets/database/roles/app", json={"ttl_seconds": 1, "max_ttl_seconds": 1}
    )
    client = hvac.Client(url=db_hub.url, token=db_hub.app)
    first = client.secrets.database.generate_credentials("app")["data"]["username"]
    time.sleep(1.2)
    second = client.secrets.database.generate_credentials("app")["data"]["username"]
    assert _role(admin_url, first) is None  # swept by the next request
    assert _role(admin_url, second) is not None
    with transaction(db_hub.sessions) as session:
        live = session.scalars(select(KvLease).where(KvLease.revoked_at.is_(None))).all()
        assert [lease.username for lease in live] == [second]


@pytest.mark.postgres
def test_run_with_leases_from_the_hub(db_hub: KvHub, admin_url: str, tmp_path: Path) -> None:
    mapping = tmp_path / ".shieldwall-secrets.toml"
    mapping.write_text(
        f'[vault]\nurl = "{db_hub.url}"\n\n[dynamic.app]\nengine = "vault"\nrole = "app"\n'
        'user_var = "DB_USER"\npassword_var = "DB_PASSWORD"\n'
    )
    out = tmp_path / "child.txt"
    host_url = admin_url.rsplit("@", 1)[1]
    login = 'os.environ["DB_USER"] + ":" + os.environ["DB_PASSWORD"]'
    child = CHILD.replace(
        'os.environ["DATABASE_URL"]', f'"postgresql://" + {login} + "@{host_url}"'
    )
    env = {
        "SHIELDWALL_SECRETS_STORE": str(tmp_path / "secrets.json"),
        "VAULT_TOKEN": db_hub.app,
    }
    result = CliRunner().invoke(
        secrets_app,
        ["run", "--mapping", str(mapping), "--", sys.executable, "-c", child, str(out), "0"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    username, same = out.read_text().split()
    assert username.startswith("sw_app_") and same == "True"
    assert _role(admin_url, username) is None  # revoked through the hub when the child exited
    with transaction(db_hub.sessions) as session:
        lease = session.scalars(select(KvLease)).one()
        assert lease.revoked_at is not None
