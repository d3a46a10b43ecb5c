"""Threat models in the hub: versions (deduplicated), threats with status, diffs, findings links."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from shieldwall.hub.auth.service import create_user
from shieldwall.hub.db.engine import transaction
from shieldwall.hub.enums import Role, TokenScope
from shieldwall.threatmodel.engine import analyse
from shieldwall.threatmodel.exchange import to_document
from shieldwall.threatmodel.load import parse_model
from shieldwall.threatmodel.rules import builtin_rules
from tests.hub.conftest import PASSWORD, World, data

BASE = "/api/v1/projects/shop/threatmodels"

V1 = """\
version: 1
name: shop
assets:
  - {id: pii, classification: confidential, pii: true}
actors:
  - {id: shopper, kind: anonymous}
boundaries:
  - {id: internet}
  - {id: dc}
components:
  - id: web
    kind: web_app
    exposure: internet
    authentication: password
    features: [shell_commands, login]
    boundary: dc
    code: [app.py]
flows:
  - {id: browse, from: shopper, to: web, protocol: https, data: [pii]}
"""

# v2 adds a database behind the web app and accepts one threat of v1.
V2 = (
    V1.replace(
        "  - {id: browse,",
        "  - {id: orders, from: web, to: db, protocol: postgres}\n  - {id: browse,",
    ).replace("flows:\n", "  - {id: db, kind: database, stores: [pii], boundary: dc}\nflows:\n")
    + "risks:\n  - {threat: SW-TM-002@web, status: accepted, owner: sec, expires: 2099-01-01}\n"
)


def document(source: str, name: str = "") -> bytes:
    model = parse_model(source, "threatmodel.yaml")
    doc = to_document(analyse(model, builtin_rules()), source, name=name)
    return doc.model_dump_json().encode()


def upload(world: World, body: bytes, who: str = "developer", query: str = "") -> httpx.Response:
    return world.client.post(f"{BASE}{query}", content=body, headers=world.auth(who))


def test_versions_are_stored_deduplicated_and_listed(world: World) -> None:
    first = upload(world, V1.encode(), query="?commit=abc123&branch=main")
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["model"] == "shop" and body["duplicate"] is False
    version = body["version"]
    assert version["number"] == 1 and version["author"] == "developer"
    assert version["commit"] == "abc123" and version["branch"] == "main"
    assert version["elements"] == 6 and version["threats"] > 0

    again = upload(world, V1.encode())
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["version"]["number"] == 1

    second = upload(world, document(V2))
    assert second.status_code == 201 and second.json()["version"]["number"] == 2

    models = world.client.get(BASE, headers=world.auth("viewer")).json()
    assert [(m["name"], m["latest_version"]) for m in models] == [("shop", 2)]
    versions = world.client.get(f"{BASE}/shop/versions", headers=world.auth("viewer")).json()
    assert versions["total"] == 2 and [v["number"] for v in versions["items"]] == [2, 1]
    latest = world.client.get(f"{BASE}/shop/versions/latest", headers=world.auth("viewer"))
    assert latest.json()["number"] == 2 and "kind: database" in latest.json()["source"]
    assert (
        world.client.get(f"{BASE}/shop/versions/9", headers=world.auth("viewer")).status_code == 404
    )
    assert (
        world.client.get(f"{BASE}/shop/versions/x", headers=world.auth("viewer")).status_code == 422
    )


def test_threats_carry_their_status_and_filter(world: World) -> None:
    upload(world, document(V2))
    threats = world.client.get(
        f"{BASE}/shop/versions/1/threats", headers=world.auth("viewer")
    ).json()
    by_id = {t["threat_id"]: t for t in threats}
    accepted = by_id["SW-TM-002@web"]
    assert (
        accepted["status"] == "accepted"
        and "accepted by sec until 2099-01-01" in accepted["status_note"]
    )
    assert accepted["blocking"] is False and accepted["line"] > 0
    assert by_id["SW-TM-022@web"]["status"] == "open" and "CWE-78" in by_id["SW-TM-022@web"]["cwe"]
    ranks = ["critical", "high", "medium", "low", "info"]
    assert [ranks.index(t["severity"]) for t in threats] == sorted(
        ranks.index(t["severity"]) for t in threats
    )
    only = world.client.get(
        f"{BASE}/shop/versions/1/threats?status=accepted", headers=world.auth("viewer")
    ).json()
    assert [t["threat_id"] for t in only] == ["SW-TM-002@web"]


def test_diff_between_versions(world: World) -> None:
    upload(world, document(V1))
    upload(world, document(V2))
    diff = world.client.get(f"{BASE}/shop/diff", headers=world.auth("viewer")).json()
    assert diff["base"] == 1 and diff["head"] == 2
    assert diff["added_elements"] == ["db", "orders"]
    assert diff["removed_elements"] == [] and diff["changed_elements"] == []
    assert any(t.endswith("@db") for t in diff["new_threats"])
    assert {"threat_id": "SW-TM-002@web", "before": "open", "after": "accepted"} in diff[
        "status_changes"
    ]
    backwards = world.client.get(
        f"{BASE}/shop/diff?base=2&head=1", headers=world.auth("viewer")
    ).json()
    assert backwards["removed_elements"] == ["db", "orders"] and backwards["new_threats"] == []
    assert set(backwards["resolved_threats"]) == set(diff["new_threats"])


def test_diff_of_a_single_version_says_what_to_do(world: World) -> None:
    upload(world, document(V1))
    answer = world.client.get(f"{BASE}/shop/diff", headers=world.auth("viewer"))
    assert answer.status_code == 422 and "base" in answer.json()["detail"]


def test_threats_link_to_hub_findings_both_ways(world: World) -> None:
    # bandit.json reports CWE-78 (shell) findings in ./app.py: the web component's code.
    scan = world.client.post(
        "/api/v1/projects/shop/scans", content=data("bandit.json"), headers=world.auth("developer")
    )
    assert scan.status_code == 201, scan.text
    elsewhere = V1.replace("code: [app.py]", "code: [other/**]")
    upload(world, document(V1))
    upload(world, document(elsewhere))
    threats = world.client.get(f"{BASE}/shop/versions/1/threats", headers=world.auth("viewer"))
    shell = {t["threat_id"]: t for t in threats.json()}["SW-TM-022@web"]
    assert {f["rule_id"] for f in shell["findings"]} == {"B404", "B602", "B102"}
    assert all(f["cwe"] == "CWE-78" and f["path"] == "app.py" for f in shell["findings"])
    login = {t["threat_id"]: t for t in threats.json()}["SW-TM-002@web"]
    assert login["findings"] == []  # no finding shares its CWE

    unlinked = world.client.get(f"{BASE}/shop/versions/2/threats", headers=world.auth("viewer"))
    assert all(t["findings"] == [] for t in unlinked.json())

    # The other way, from a finding: only the newest version of each model counts, and it is v2.
    finding_id = shell["findings"][0]["id"]
    none = world.client.get(f"/api/v1/findings/{finding_id}/threats", headers=world.auth("viewer"))
    assert none.status_code == 200 and none.json() == []
    upload(world, document(V1, name="shop"), query="?model=web-only")
    found = world.client.get(f"/api/v1/findings/{finding_id}/threats", headers=world.auth("viewer"))
    assert {(t["model"], t["threat_id"]) for t in found.json()} >= {("web-only", "SW-TM-022@web")}
    assert (
        world.client.get(
            f"/api/v1/findings/{finding_id}/threats", headers=world.auth("outsider")
        ).status_code
        == 404
    )


def test_permissions_and_token_scopes(world: World) -> None:
    assert upload(world, V1.encode(), who="viewer").status_code == 403
    assert upload(world, V1.encode(), who="outsider").status_code == 404
    assert world.client.get(BASE, headers=world.auth("outsider")).status_code == 404
    assert world.client.post(BASE, content=V1.encode()).status_code == 401
    read_only = world.token("developer", TokenScope.READ)
    answer = world.client.post(
        BASE, content=V1.encode(), headers={"Authorization": f"Bearer {read_only}"}
    )
    assert answer.status_code == 403
    other = world.token("developer", TokenScope.UPLOAD, project="other")
    answer = world.client.post(
        BASE, content=V1.encode(), headers={"Authorization": f"Bearer {other}"}
    )
    assert answer.status_code == 404
    scoped = world.token("developer", TokenScope.UPLOAD, project="shop")
    answer = world.client.post(
        BASE, content=V1.encode(), headers={"Authorization": f"Bearer {scoped}"}
    )
    assert answer.status_code == 201


def test_browser_session_needs_the_csrf_token(world: World) -> None:
    with transaction(world.sessions) as session:
        create_user(session, "webdev", PASSWORD, Role.DEVELOPER, "test")
    login = world.client.post(
        "/api/v1/auth/login", json={"username": "webdev", "password": PASSWORD}
    )
    csrf = login.json()["csrf_token"]
    refused = world.client.post(BASE, content=V1.encode())
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    accepted = world.client.post(BASE, content=V1.encode(), headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201, accepted.text


def test_uploads_are_audited(world: World) -> None:
    upload(world, V1.encode(), query="?commit=c0ffee")
    upload(world, V1.encode())  # a duplicate changes nothing and records nothing
    events = world.client.get("/api/v1/audit", headers=world.auth("global-admin")).json()
    uploads = [e for e in events["items"] if e["action"] == "threatmodel.version_uploaded"]
    assert len(uploads) == 1
    assert uploads[0]["actor"] == "developer"
    assert uploads[0]["details"]["model"] == "shop" and uploads[0]["details"]["commit"] == "c0ffee"
    verify = world.client.get("/api/v1/audit/verify", headers=world.auth("global-admin")).json()
    assert verify["ok"] is True


def _bad(world: World, body: bytes, query: str = "") -> dict[str, Any]:
    answer = upload(world, body, query=query)
    assert answer.status_code == 422, answer.text
    detail: dict[str, Any] = answer.json()
    return detail


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", "empty"),
        (b"version: 1\nname: x\ncomponents:\n  - {id: a, kind: nope}\n", "threatmodel.yaml:4"),
        (b"version: 1\nname: x\nflows:\n  - {id: f, from: a, to: b}\n", "is not defined"),
        (b'{"format": "other"}', "not a shieldwall threat model document"),
        (b"version: 1\nname: [unclosed\n", "threatmodel.yaml"),
    ],
)
def test_bad_uploads_are_refused_with_the_reason(world: World, body: bytes, expected: str) -> None:
    assert expected in _bad(world, body)["detail"]
    assert world.client.get(BASE, headers=world.auth("viewer")).json() == []


def test_threats_must_name_elements_of_the_model(world: World) -> None:
    doc = json.loads(document(V1))
    doc["threats"][0]["element"] = "ghost"
    assert "unknown element ghost" in _bad(world, json.dumps(doc).encode())["detail"]
    doc = json.loads(document(V1))
    doc["threats"].append(doc["threats"][0])
    assert "listed twice" in _bad(world, json.dumps(doc).encode())["detail"]
    assert world.client.get(BASE, headers=world.auth("viewer")).json() == []


def test_model_names_are_slugs(world: World) -> None:
    assert "model names" in _bad(world, V1.encode(), query="?model=../x")["detail"]


def test_concurrent_uploads_get_distinct_version_numbers(world: World) -> None:
    import threading

    from shieldwall.hub.auth.service import principal_from_token
    from shieldwall.hub.threatmodels.service import upload_version

    if world.sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the row lock matters on PostgreSQL")
    upload(world, document(V1))
    variants = [V1.replace("name: shop\n", f"name: shop\ndescription: v{i}\n") for i in (2, 3)]
    numbers: list[int] = []
    barrier = threading.Barrier(2)

    def run(source: str) -> None:
        with transaction(world.sessions) as session:
            me = principal_from_token(session, world.tokens["developer"])
            barrier.wait()
            outcome = upload_version(
                session,
                me,
                project="shop",
                data=document(source),
                name="shop",
                commit=None,
                branch=None,
            )
            numbers.append(outcome.version.number)

    threads = [threading.Thread(target=run, args=(v,)) for v in variants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == [2, 3]
    listed = world.client.get(f"{BASE}/shop/versions", headers=world.auth("viewer")).json()
    assert [v["number"] for v in listed["items"]] == [3, 2, 1]


def test_bare_yaml_upload_warns_about_custom_rule_files(world: World) -> None:
    with_rules = V1.replace("name: shop\n", "name: shop\nrules: [team-rules.yaml]\n")
    answer = upload(world, with_rules.encode())
    assert answer.status_code == 201, answer.text
    warnings = answer.json()["version"]["warnings"]
    assert any("team-rules.yaml is not in the hub" in w for w in warnings)


def test_versions_paginate(world: World) -> None:
    for i in range(3):
        upload(world, V1.replace("name: shop\n", f"name: shop\ndescription: v{i}\n").encode())
    page = world.client.get(
        f"{BASE}/shop/versions?page=2&page_size=2", headers=world.auth("viewer")
    ).json()
    assert page["total"] == 3 and [v["number"] for v in page["items"]] == [1]
