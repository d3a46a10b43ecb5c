"""Rotation: random values, and a PostgreSQL role's password on the server at 127.0.0.1."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from shieldwall.secretstore import (
    AuditedBackend,
    AuditLog,
    BackendUnavailableError,
    EmbeddedStore,
    PostgresRotator,
    RandomRotator,
    SecretStoreError,
)
from shieldwall.secretstore.rotation import ALPHABET, random_value

PG_ENV = "SHIELDWALL_TEST_POSTGRES_URL"


def test_random_value() -> None:
    values = {random_value() for _ in range(50)}
    assert len(values) == 50
    assert all(len(v) == 32 and set(v) <= set(ALPHABET) for v in values)
    with pytest.raises(SecretStoreError):
        random_value(8)


def test_random_rotator_keeps_old_versions(store: EmbeddedStore, audit: AuditLog) -> None:
    store.write("api/key", "original-value")
    backend = AuditedBackend(store, audit)
    version = RandomRotator(40).rotate(backend, "api/key")
    assert version == 2
    assert store.read("api/key", 1).value == "original-value"
    assert len(store.read("api/key").value) == 40


def _conninfo(url: str) -> str:
    """libpq accepts postgresql:// URLs; strip SQLAlchemy's driver suffix."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def pg_admin() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set")
    return _conninfo(url)


@pytest.fixture
def pg_role(pg_admin: str) -> Iterator[str]:
    role = f"sw_rot_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(role), sql.Literal("initial-password-123")
            )
        )
    yield role
    with psycopg.connect(pg_admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def _password_hash(admin: str, role: str) -> str | None:
    with psycopg.connect(admin) as conn:
        row = conn.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,)
        ).fetchone()
    return None if row is None else row[0]


def _scram_matches(verifier: str, password: str) -> bool:
    """RFC 5802/7677: StoredKey = SHA-256(HMAC(PBKDF2(password, salt, i), "Client Key"))."""
    scheme, _, rest = verifier.partition("$")
    assert scheme == "SCRAM-SHA-256", "the server stores SCRAM verifiers (password_encryption)"
    params, _, keys = rest.partition("$")
    iterations, salt = params.split(":")
    stored_key = base64.b64decode(keys.split(":")[0])
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return hmac.compare_digest(hashlib.sha256(client_key).digest(), stored_key)


@pytest.mark.postgres
def test_postgres_rotation(store: EmbeddedStore, pg_admin: str, pg_role: str) -> None:
    store.write("db/app", "initial-password-123")
    before = _password_hash(pg_admin, pg_role)
    version = PostgresRotator(pg_admin, pg_role).rotate(store, "db/app")
    assert version == 2
    new = store.read("db/app").value
    assert new != "initial-password-123" and store.read("db/app", 1).value == "initial-password-123"
    after = _password_hash(pg_admin, pg_role)
    assert after != before and after is not None and new not in after
    # pg_hba may trust local logins, so check the server's SCRAM verifier against the new value.
    assert _scram_matches(after, new)
    assert not _scram_matches(after, "initial-password-123")


@pytest.mark.postgres
def test_postgres_rotation_failure_stores_nothing(store: EmbeddedStore, pg_admin: str) -> None:
    store.write("db/app", "initial-password-123")
    rotator = PostgresRotator(pg_admin, f"absent_{uuid.uuid4().hex[:8]}")
    with pytest.raises(SecretStoreError, match="refused") as info:
        rotator.rotate(store, "db/app")
    assert store.metadata("db/app").current_version == 1
    assert "PASSWORD '" not in str(info.value)


@pytest.mark.postgres
def test_postgres_store_failure_rolls_back(
    store: EmbeddedStore, pg_admin: str, pg_role: str
) -> None:
    before = _password_hash(pg_admin, pg_role)
    store.path.write_bytes(b"corrupted")  # storing the new value will fail
    with pytest.raises(SecretStoreError):
        PostgresRotator(pg_admin, pg_role).rotate(store, "db/app")
    assert _password_hash(pg_admin, pg_role) == before


def test_postgres_unreachable(store: EmbeddedStore) -> None:
    rotator = PostgresRotator("postgresql://nobody@127.0.0.1:1/x", "r", connect_timeout=2)
    with pytest.raises(BackendUnavailableError, match="cannot connect"):
        rotator.rotate(store, "db/app")
    assert "nobody" not in repr(rotator)
