"""Fixtures for the hub: a database per test (SQLite, or PostgreSQL when configured), an app,
users with each role, and tokens."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from shieldwall.hub.app import create_app
from shieldwall.hub.audit.service import GENESIS
from shieldwall.hub.auth.service import create_token, create_user
from shieldwall.hub.db.engine import make_engine, make_session_factory, transaction
from shieldwall.hub.db.migrate import upgrade
from shieldwall.hub.db.models import AuditHead, Base
from shieldwall.hub.enums import Role, TokenScope
from shieldwall.hub.projects.service import create_project, set_member
from shieldwall.hub.settings import HubSettings

DATA = Path(__file__).parent.parent / "data" / "hub"
PG_ENV = "SHIELDWALL_TEST_POSTGRES_URL"
REDIS_ENV = "SHIELDWALL_TEST_REDIS_URL"
PASSWORD = "correct horse battery"


def data(name: str) -> bytes:
    """A fixture document."""
    return (DATA / name).read_bytes()


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set")
    return url


@pytest.fixture(scope="session")
def pg_database(pg_server_url: str) -> Iterator[str]:
    """A migrated database for this test run (its own name, so parallel runs never collide)."""
    name = f"sw_hub_test_{uuid.uuid4().hex[:12]}"
    # The maintenance database always exists; the one named in the URL may not.
    admin_url = make_url(pg_server_url).set(database="postgres")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    # Durability is not under test; skipping the commit flush keeps the suite fast.
    url = (
        make_url(pg_server_url)
        .set(database=name, query={"options": "-c synchronous_commit=off"})
        .render_as_string(hide_password=False)
    )
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_url(pg_database: str) -> str:
    """The run's PostgreSQL database, emptied before each test."""
    engine = create_engine(pg_database)
    # DELETE is much cheaper than TRUNCATE on tables this small.
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != "audit_head":
                conn.execute(table.delete())
        conn.execute(AuditHead.__table__.update().values(last_hash=GENESIS))
    engine.dispose()
    return pg_database


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test instead of migrating again."""
    path = tmp_path_factory.mktemp("hub-template") / "hub.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    target = tmp_path / "hub.sqlite3"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The hub database URL: every test using it runs on SQLite and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


@dataclass
class World:
    """A hub with a project 'shop', another project 'other', and one user per role on 'shop'."""

    client: TestClient
    sessions: sessionmaker[Session]
    tokens: dict[str, str]  # role name (or 'outsider', 'global-admin') → full-rights token

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def token(self, user: str, scope: TokenScope, project: str | None = None) -> str:
        with transaction(self.sessions) as session:
            from shieldwall.hub.auth.service import user_by_name

            issued = create_token(
                session,
                user=user_by_name(session, user),
                name="t",
                scope=scope,
                project=project,
                expires_days=1,
                actor="test",
            )
        return issued.token


def build_world(db_url: str, **overrides: object) -> Iterator[World]:
    # The database is migrated already (templates); the migrate-on-start path has its own test.
    overrides.setdefault("migrate_on_start", False)
    settings = HubSettings(database_url=db_url, **overrides)  # type: ignore[arg-type]
    app = create_app(settings)
    with TestClient(app) as client:
        sessions = app.state.hub.sessions
        tokens: dict[str, str] = {}
        with transaction(sessions) as session:
            admin = create_user(session, "root", None, Role.ADMIN, "test")
            create_project(session, "shop", "", "test")
            create_project(session, "other", "", "test")
            # Only root gets a password: argon2id is slow on purpose, tokens are enough here.
            for role in Role:
                create_user(session, role.value, None, None, "test")
            create_user(session, "outsider", None, None, "test")
            for role in Role:
                from sqlalchemy import select

                from shieldwall.hub.db.models import Project

                shop = session.scalars(select(Project).where(Project.name == "shop")).one()
                set_member(session, shop, role.value, role, "test")
            tokens["global-admin"] = create_token(
                session,
                user=admin,
                name="t",
                scope=TokenScope.ADMIN,
                project=None,
                expires_days=1,
                actor="test",
            ).token
            from shieldwall.hub.auth.service import user_by_name

            for name in [*(r.value for r in Role), "outsider"]:
                tokens[name] = create_token(
                    session,
                    user=user_by_name(session, name),
                    name="t",
                    scope=TokenScope.ADMIN,
                    project=None,
                    expires_days=1,
                    actor="test",
                ).token
        yield World(client, sessions, tokens)


@pytest.fixture
def world(db_url: str) -> Iterator[World]:
    yield from build_world(db_url)


@pytest.fixture
def sqlite_world(sqlite_url: str) -> Iterator[World]:
    yield from build_world(sqlite_url)
