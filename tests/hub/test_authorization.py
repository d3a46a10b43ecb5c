"""Authorisation matrix: every endpoint × every role, plus cross-project access by id."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from shieldwall.hub.enums import TokenScope
from tests.hub.conftest import World, build_world, data


@dataclass
class Ids:
    finding: int
    scan: int
    job: int
    other_finding: int
    other_scan: int


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, Ids]]:
    path = tmp_path_factory.mktemp("authz") / "hub.sqlite3"
    for world in build_world(f"sqlite:///{path}", migrate_on_start=True):
        up = world.client.post(
            "/api/v1/projects/shop/scans",
            content=data("bandit.json"),
            headers=world.auth("global-admin"),
        ).json()
        # A branch whose state the matrix deletes (idempotently), away from main's findings.
        world.client.post(
            "/api/v1/projects/shop/scans?branch=gone",
            content=data("semgrep.json"),
            headers=world.auth("global-admin"),
        )
        other = world.client.post(
            "/api/v1/projects/other/scans",
            content=data("semgrep.json"),
            headers=world.auth("global-admin"),
        ).json()
        shop_findings = world.client.get(
            "/api/v1/findings?project=shop&branch=main", headers=world.auth("global-admin")
        ).json()["items"]
        other_findings = world.client.get(
            "/api/v1/findings?project=other", headers=world.auth("global-admin")
        ).json()["items"]
        yield (
            world,
            Ids(
                shop_findings[0]["id"],
                up["scan_id"],
                up["job_id"],
                other_findings[0]["id"],
                other["scan_id"],
            ),
        )


ROLES = ["viewer", "developer", "security", "admin", "outsider"]


def endpoints(ids: Ids) -> list[tuple[str, str, dict[str, object] | bytes | None, str]]:
    """(method, path, body, least role that may call it; 'global' for global admins)."""
    return [
        ("GET", "/api/v1/projects/shop", None, "viewer"),
        ("GET", "/api/v1/projects/shop/scans", None, "viewer"),
        ("GET", "/api/v1/findings?project=shop", None, "viewer"),
        ("GET", f"/api/v1/findings/{ids.finding}", None, "viewer"),
        ("GET", f"/api/v1/scans/{ids.scan}", None, "viewer"),
        ("GET", f"/api/v1/jobs/{ids.job}", None, "viewer"),
        ("GET", "/api/v1/metrics?project=shop", None, "viewer"),
        ("POST", "/api/v1/projects/shop/scans", data("bandit.json"), "developer"),
        ("POST", f"/api/v1/findings/{ids.finding}/comments", {"body": "looking"}, "developer"),
        ("POST", f"/api/v1/findings/{ids.finding}/triage", {"action": "confirm"}, "security"),
        ("POST", "/api/v1/triage", {"action": "confirm", "finding_ids": [ids.finding]}, "security"),
        ("PUT", "/api/v1/projects/shop/members", {"username": "viewer", "role": "viewer"}, "admin"),
        ("DELETE", "/api/v1/projects/shop/branches/gone", None, "admin"),
        ("POST", "/api/v1/projects", {"name": "new-one"}, "global"),
        ("POST", "/api/v1/users", {"username": "someone", "role": "viewer"}, "global"),
        ("GET", "/api/v1/audit", None, "global"),
        ("GET", "/api/v1/audit/verify", None, "global"),
    ]


RANK = {"viewer": 0, "developer": 1, "security": 2, "admin": 3}


def expected_status(role: str, least: str, method: str) -> set[int]:
    if least == "global":
        return {403}
    if role == "outsider":
        return {404}
    if RANK[role] >= RANK[least]:
        return {200, 201, 204}
    return {403}


def call(world: World, method: str, path: str, body: object, headers: dict[str, str]) -> int:
    if isinstance(body, bytes):
        return world.client.request(method, path, content=body, headers=headers).status_code
    return world.client.request(method, path, json=body, headers=headers).status_code


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(setup: tuple[World, Ids], role: str) -> None:
    world, ids = setup
    failures = []
    for method, path, body, least in endpoints(ids):
        got = call(world, method, path, body, world.auth(role))
        if got not in expected_status(role, least, method):
            failures.append((method, path, got))
    assert failures == []


def test_global_admin_may_do_everything(setup: tuple[World, Ids]) -> None:
    world, ids = setup
    for method, path, body, _ in endpoints(ids):
        if path == "/api/v1/projects":
            body = {"name": "made-by-root"}
        if path == "/api/v1/users":
            body = {"username": "made-by-root"}
        got = call(world, method, path, body, world.auth("global-admin"))
        assert got in {200, 201, 204}, (method, path, got)


def test_every_endpoint_needs_authentication(setup: tuple[World, Ids]) -> None:
    world, ids = setup
    for method, path, body, _ in endpoints(ids):
        assert call(world, method, path, body, {}) == 401, (method, path)
        bad = {"Authorization": "Bearer swt_not-a-real-token"}
        assert call(world, method, path, body, bad) == 401, (method, path)


def test_no_access_to_another_projects_objects_by_id(setup: tuple[World, Ids]) -> None:
    world, ids = setup
    admin_of_shop = world.auth("admin")
    for path in (f"/api/v1/findings/{ids.other_finding}", f"/api/v1/scans/{ids.other_scan}"):
        assert world.client.get(path, headers=admin_of_shop).status_code == 404
    triage = world.client.post(
        "/api/v1/triage",
        headers=admin_of_shop,
        json={"action": "confirm", "finding_ids": [ids.finding, ids.other_finding]},
    )
    assert triage.status_code == 404
    listed = world.client.get("/api/v1/findings", headers=admin_of_shop).json()
    assert {f["project_id"] for f in listed["items"]} == {listed["items"][0]["project_id"]}
    missing = world.client.get("/api/v1/findings/999999", headers=admin_of_shop)
    assert missing.status_code == 404  # the same answer as for another project's finding


def test_token_scope_and_project_narrow_the_role(setup: tuple[World, Ids]) -> None:
    world, ids = setup
    read_only = {"Authorization": f"Bearer {world.token('admin', TokenScope.READ)}"}
    assert world.client.get("/api/v1/findings?project=shop", headers=read_only).status_code == 200
    upload = world.client.post(
        "/api/v1/projects/shop/scans", content=data("bandit.json"), headers=read_only
    )
    assert upload.status_code == 403
    uploader = {"Authorization": f"Bearer {world.token('admin', TokenScope.UPLOAD, 'shop')}"}
    triage = world.client.post(
        f"/api/v1/findings/{ids.finding}/triage", json={"action": "confirm"}, headers=uploader
    )
    assert triage.status_code == 403
    other_only = {"Authorization": f"Bearer {world.token('root', TokenScope.ADMIN, 'other')}"}
    assert world.client.get("/api/v1/projects/shop", headers=other_only).status_code == 404
    assert world.client.get("/api/v1/projects/other", headers=other_only).status_code == 200
    assert world.client.get("/api/v1/audit", headers=other_only).status_code == 403
