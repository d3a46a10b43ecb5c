"""The threat model pages: list, versions, threats with linked findings, diffs, escaping, rights."""

from __future__ import annotations

import json

from shieldwall.hub.enums import Role
from tests.hub.conftest import World, data
from tests.hub.test_threatmodels import V1, V2, document
from tests.hub.web.conftest import XSS, browser

BASE = "/api/v1/projects/shop/threatmodels"


def _upload(world: World, body: bytes, query: str = "") -> None:
    answer = world.client.post(f"{BASE}{query}", content=body, headers=world.auth("developer"))
    assert answer.status_code == 201, answer.text


def test_pages_show_versions_threats_links_and_diff(world: World) -> None:
    scan = world.client.post(
        "/api/v1/projects/shop/scans", content=data("bandit.json"), headers=world.auth("developer")
    )
    assert scan.status_code == 201
    _upload(world, document(V1), "?commit=abc123")
    _upload(world, document(V2))
    client = browser(world, Role.VIEWER)

    project = client.get("/projects/shop")
    assert 'href="/projects/shop/threatmodels"' in project.text
    listing = client.get("/projects/shop/threatmodels")
    assert listing.status_code == 200
    assert 'href="/projects/shop/threatmodels/shop"' in listing.text

    latest = client.get("/projects/shop/threatmodels/shop")
    assert latest.status_code == 200 and "version 2" in latest.text
    assert "Changes from version 1 to 2" in latest.text and "<code>db</code>" in latest.text
    assert "SW-TM-002@web</code>: open &rarr; accepted" in latest.text
    assert "SW-TM-022" in latest.text and 'href="/findings/' in latest.text  # bandit's CWE-78

    first = client.get("/projects/shop/threatmodels/shop?version=1")
    assert "version 1" in first.text and "abc123" in first.text
    assert "Changes from version" not in first.text
    compared = client.get("/projects/shop/threatmodels/shop?version=1&base=2")
    assert "Changes from version 2 to 1" in compared.text


def test_pages_escape_model_content(world: World) -> None:
    # JSON strings are YAML double-quoted scalars.
    hostile = V1.replace(
        "  - id: web\n    kind: web_app\n",
        f"  - id: web\n    name: {json.dumps(XSS)}\n    kind: web_app\n",
    )
    _upload(world, document(hostile), "?model=hostile")
    page = browser(world, Role.VIEWER).get("/projects/shop/threatmodels/hostile")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text


def test_pages_need_rights(world: World) -> None:
    _upload(world, document(V1))
    outsider = browser(world, None)
    assert outsider.get("/projects/shop/threatmodels").status_code == 404
    assert outsider.get("/projects/shop/threatmodels/shop").status_code == 404
    viewer = browser(world, Role.VIEWER, name="v2")
    assert viewer.get("/projects/shop/threatmodels/nope").status_code == 404
    assert viewer.get("/projects/shop/threatmodels/shop?version=7").status_code == 404
    anonymous = world.client.get("/projects/shop/threatmodels", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_finding_page_links_to_the_threats_it_evidences(world: World) -> None:
    scan = world.client.post(
        "/api/v1/projects/shop/scans", content=data("bandit.json"), headers=world.auth("developer")
    )
    assert scan.status_code == 201
    _upload(world, document(V1))
    client = browser(world, Role.VIEWER)
    listed = world.client.get(
        "/api/v1/findings?project=shop&rule=B602", headers=world.auth("viewer")
    ).json()
    shell = listed["items"][0]["id"]
    page = client.get(f"/findings/{shell}")
    assert f'href="/findings/{shell}/threats"' in page.text
    threats = client.get(f"/findings/{shell}/threats")
    assert threats.status_code == 200 and "SW-TM-022" in threats.text
    assert 'href="/projects/shop/threatmodels/shop?version=1"' in threats.text
    secret = world.client.get(
        "/api/v1/findings?project=shop&rule=B105", headers=world.auth("viewer")
    ).json()["items"][0]["id"]
    none = client.get(f"/findings/{secret}/threats")
    assert none.status_code == 200 and "No threat of the newest version" in none.text
    assert browser(world, None).get(f"/findings/{shell}/threats").status_code == 404
