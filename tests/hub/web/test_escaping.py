"""Scanned content is attacker-controlled: every displayed field must come out escaped."""

from __future__ import annotations

from sqlalchemy import select

from shieldwall.hub.db.models import Finding
from shieldwall.hub.enums import Role
from tests.hub.conftest import World
from tests.hub.web.conftest import XSS, browser, csrf_of, result, sarif, upload

RAW = ("<script>alert(1)</script>", "<img src=x", "onerror=alert(2)>")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _hostile_report() -> bytes:
    rule = {
        "id": f"R{XSS}",
        "name": XSS,
        "shortDescription": {"text": f"title {XSS}"},
        "fullDescription": {"text": f"description {XSS}"},
        "help": {"text": f"remediation {XSS}"},
        "helpUri": "javascript:alert(3)",
        "properties": {"tags": ["security", "external/cwe/cwe-79"]},
    }
    return sarif([result(f"R{XSS}", f"message {XSS}", f"src/{XSS}.py", f"snippet {XSS}")], [rule])


def _assert_safe(html: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{raw!r} unescaped on {where}"
    assert 'href="javascript:' not in html, where


def test_every_page_escapes_scanned_content(world: World) -> None:
    upload(world, _hostile_report())
    client = browser(world, Role.SECURITY)
    with world.sessions() as session:
        finding_id = session.scalars(select(Finding.id)).one()
    pages = {
        "dashboard": "/",
        "findings": "/findings",
        "finding": f"/findings/{finding_id}",
        "project": "/projects/shop",
        "projects": "/projects",
        "filtered": "/findings?q=" + XSS.replace("<", "%3C").replace("&", "%26"),
    }
    for where, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, where
        _assert_safe(response.text, where)
    finding = client.get(f"/findings/{finding_id}").text
    for field in ("message", "snippet", "description", "remediation"):
        assert f"{field} {ESCAPED}" in finding, field
    assert f"src/{ESCAPED}&#34;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;.py" in finding
    assert ESCAPED in client.get("/findings").text  # the title and path in the list
    assert ESCAPED in client.get("/").text  # the top rules table
    # A comment is user input too.
    client.post(
        f"/findings/{finding_id}/comments",
        data={"body": XSS, "csrf_token": csrf_of(finding)},
    )
    _assert_safe(client.get(f"/findings/{finding_id}").text, "comment")
    # Triage reasons show up in the history.
    client.post(
        "/triage",
        data={
            "csrf_token": csrf_of(finding),
            "action": "false_positive",
            "reason": XSS,
            "ids": [finding_id],
        },
    )
    _assert_safe(client.get(f"/findings/{finding_id}").text, "history")


def test_reflected_parameters_are_escaped(world: World) -> None:
    client = browser(world, Role.VIEWER)
    client.cookies.clear()
    login = client.get("/login", params={"next": f"/x{XSS}"})
    _assert_safe(login.text, "login next")
    listing = browser(world, Role.DEVELOPER).get(
        "/findings", params={"project": XSS, "q": XSS, "scanner": XSS, "sort": XSS}
    )
    assert listing.status_code == 404  # no such project: nothing about it is revealed
    _assert_safe(listing.text, "404 page")
    search = browser(world, Role.SECURITY).get("/findings", params={"q": XSS, "cwe": XSS})
    assert search.status_code == 200
    _assert_safe(search.text, "filters")
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39;&gt;' in search.text


def test_long_values_and_unicode(world: World) -> None:
    long_message = "Ω≈ç√ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 " + "x" * 20000
    upload(
        world,
        sarif([result("UNI-1", long_message, "src/ünïcødé/日本語.py", "print('héllo') \u202e")]),
    )
    client = browser(world, Role.VIEWER)
    with world.sessions() as session:
        finding_id = session.scalars(select(Finding.id)).one()
    page = client.get(f"/findings/{finding_id}")
    assert page.status_code == 200
    assert "src/ünïcødé/日本語.py" in page.text and "𝔘𝔫𝔦𝔠𝔬𝔡𝔢" in page.text
    listing = client.get("/findings?q=日本語")
    assert listing.status_code == 200 and "(1)</span>" in listing.text
    # The list truncates long values rather than printing 20 kB per row.
    assert len(listing.text) < 20000
    huge_query = client.get("/findings", params={"q": "a" * 5000})
    assert huge_query.status_code == 200
