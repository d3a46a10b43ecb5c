"""The login page: form CSRF, failures, redirects, logout."""

from __future__ import annotations

from fastapi.testclient import TestClient

from shieldwall.hub.enums import Role
from tests.hub.conftest import World
from tests.hub.web.conftest import browser, csrf_of


def test_pages_redirect_to_login_keeping_the_target(world: World) -> None:
    client = TestClient(world.client.app)
    response = client.get("/findings?severity=high", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Ffindings%3Fseverity%3Dhigh"
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and 'value="/findings?severity=high"' in page.text
    assert "script-src" not in page.headers["content-security-policy"]


def test_wrong_password_and_missing_csrf_are_refused(world: World) -> None:
    browser(world, Role.VIEWER)  # creates the user with a password
    client = TestClient(world.client.app)
    token = csrf_of(client.get("/login").text)
    wrong = client.post(
        "/login", data={"username": "web-viewer", "password": "nope", "csrf_token": token}
    )
    assert wrong.status_code == 401 and "invalid username or password" in wrong.text
    assert "sw_session" not in client.cookies
    forged = TestClient(world.client.app).post(
        "/login",
        data={"username": "web-viewer", "password": "correct horse battery", "csrf_token": "x"},
    )
    assert forged.status_code == 403 and "sw_session" not in forged.cookies


def test_next_never_leaves_the_site(world: World) -> None:
    browser(world, Role.VIEWER)
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:1"):
        client = TestClient(world.client.app)
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login",
            data={
                "username": "web-viewer",
                "password": "correct horse battery",
                "csrf_token": token,
                "next": target,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303 and response.headers["location"] == "/", target


def test_logout_needs_the_csrf_token_and_ends_the_session(world: World) -> None:
    client = browser(world, Role.VIEWER)
    home = client.get("/")
    assert home.status_code == 200 and "web-viewer" in home.text
    refused = client.post("/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200
    done = client.post("/logout", data={"csrf_token": csrf_of(home.text)}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/login"
    client.cookies.clear()
    assert client.get("/", follow_redirects=False).status_code == 303


def test_api_errors_stay_json(world: World) -> None:
    response = world.client.get("/api/v1/findings/999999", headers=world.auth("viewer"))
    assert response.status_code == 404 and response.json() == {"detail": "not found"}
    unauthenticated = world.client.get("/api/v1/findings")
    assert unauthenticated.status_code == 401 and unauthenticated.json()["detail"]
