"""Passwords, sessions, CSRF, the login rate limit, tokens at rest, security headers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from shieldwall.hub.auth.service import create_user
from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import ApiToken, AuditEvent, User, WebSession
from shieldwall.hub.db.types import utcnow
from shieldwall.hub.enums import Role
from tests.hub.conftest import PASSWORD, World, build_world


def add_user(world: World, name: str, role: Role | None = Role.SECURITY) -> None:
    with transaction(world.sessions) as session:
        create_user(session, name, PASSWORD, role, "test")


def login(world: World, name: str, password: str = PASSWORD) -> int:
    response = world.client.post(
        "/api/v1/auth/login", json={"username": name, "password": password}
    )
    return response.status_code


def test_passwords_are_argon2id_and_tokens_are_stored_hashed(sqlite_world: World) -> None:
    add_user(sqlite_world, "alice")
    with sqlite_world.sessions() as session:
        stored = session.scalars(select(User.password_hash).where(User.username == "alice")).one()
        digests = set(session.scalars(select(ApiToken.token_hash)))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    for token in sqlite_world.tokens.values():
        assert token not in digests and all(token not in d for d in digests)


def test_session_cookie_flags_and_csrf_on_changes(sqlite_world: World) -> None:
    world = sqlite_world
    add_user(world, "alice", Role.ADMIN)
    response = world.client.post(
        "/api/v1/auth/login", json={"username": "alice", "password": PASSWORD}
    )
    assert response.status_code == 200
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("sw_session="))
    assert "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie
    csrf = response.json()["csrf_token"]
    assert world.client.get("/api/v1/auth/me").json()["username"] == "alice"
    no_csrf = world.client.post("/api/v1/projects", json={"name": "csrf-test"})
    assert no_csrf.status_code == 403 and "CSRF" in no_csrf.json()["detail"]
    wrong = world.client.post(
        "/api/v1/projects", json={"name": "csrf-test"}, headers={"X-CSRF-Token": "nope"}
    )
    assert wrong.status_code == 403
    ok = world.client.post(
        "/api/v1/projects", json={"name": "csrf-test"}, headers={"X-CSRF-Token": csrf}
    )
    assert ok.status_code == 201
    out = world.client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    assert world.client.get("/api/v1/auth/me").status_code == 401


def test_login_is_rate_limited_and_audited(sqlite_url: str) -> None:
    for world in build_world(sqlite_url, login_max_failures=3):
        add_user(world, "bob")
        for _ in range(3):
            assert login(world, "bob", "wrong password!") == 401
        assert login(world, "bob") == 429  # even the right password, until the window passes
        assert login(world, "nobody-at-all", "x") == 401
        with world.sessions() as session:
            actions = session.scalars(
                select(AuditEvent.action).where(AuditEvent.actor == "bob")
            ).all()
        assert actions.count("auth.login_failed") == 3


def test_expired_and_revoked_tokens_are_refused(sqlite_world: World) -> None:
    world = sqlite_world
    headers = world.auth("viewer")
    assert world.client.get("/api/v1/auth/me", headers=headers).status_code == 200
    with transaction(world.sessions) as session:
        session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert world.client.get("/api/v1/auth/me", headers=headers).status_code == 401
    with transaction(world.sessions) as session:
        session.execute(update(ApiToken).values(expires_at=None))
    token_id = world.client.post(
        "/api/v1/tokens", json={"name": "x", "scope": "read"}, headers=world.auth("global-admin")
    ).json()["id"]
    assert world.client.delete(f"/api/v1/tokens/{token_id}", headers=headers).status_code == 404
    gone = world.client.delete(f"/api/v1/tokens/{token_id}", headers=world.auth("global-admin"))
    assert gone.status_code == 204


def test_expired_session_is_refused(sqlite_world: World) -> None:
    world = sqlite_world
    add_user(world, "carol")
    assert login(world, "carol") == 200
    with transaction(world.sessions) as session:
        session.execute(update(WebSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert world.client.get("/api/v1/auth/me").status_code == 401


def test_token_scope_cannot_exceed_the_role(sqlite_world: World) -> None:
    world = sqlite_world
    viewer = world.auth("viewer")
    denied = world.client.post(
        "/api/v1/tokens", json={"name": "x", "scope": "upload", "project": "shop"}, headers=viewer
    )
    assert denied.status_code == 403
    allowed = world.client.post(
        "/api/v1/tokens", json={"name": "x", "scope": "read", "project": "shop"}, headers=viewer
    )
    assert allowed.status_code == 201 and allowed.json()["token"].startswith("swt_")


def test_security_headers_and_openapi(sqlite_world: World) -> None:
    response = sqlite_world.client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    spec = sqlite_world.client.get("/api/v1/openapi.json").json()
    assert "/api/v1/findings" in spec["paths"] and "/api/v1/projects/{name}/scans" in spec["paths"]
