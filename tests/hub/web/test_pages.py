"""Dashboard, findings list, finding page, projects: content, filters, triage, comments, rights."""

from __future__ import annotations

import re

from sqlalchemy import select

from shieldwall.hub.db.models import Finding
from shieldwall.hub.enums import Role
from tests.hub.conftest import World, data
from tests.hub.web.conftest import browser, csrf_of, upload


def _finding_ids(world: World, **where: str) -> list[int]:
    with world.sessions() as session:
        query = select(Finding.id).order_by(Finding.id)
        for key, value in where.items():
            query = query.where(getattr(Finding, key) == value)
        return list(session.scalars(query))


def _status(world: World, finding_id: int) -> str:
    with world.sessions() as session:
        finding = session.get(Finding, finding_id)
        assert finding is not None
        return finding.status


def test_empty_states(world: World) -> None:
    client = browser(world, Role.VIEWER)
    home = client.get("/")
    assert home.status_code == 200
    assert "No open findings." in home.text and "No history yet" in home.text
    assert "No findings match." in client.get("/findings").text
    assert "No scans yet." in client.get("/projects/shop").text
    outsider = browser(world, None)
    assert "No projects yet" in outsider.get("/").text
    assert "No projects yet, or none you are a member of." in outsider.get("/projects").text


def test_dashboard_shows_counts_and_svg_charts(world: World) -> None:
    upload(world, data("bandit.json"))
    client = browser(world, Role.VIEWER)
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith(
        "default-src 'none'; style-src 'self'"
    )
    assert page.text.count("<svg") == 4  # severity, scanner, open trend, opened vs fixed
    assert re.search(r'<span class="big">6</span> open findings', page.text)
    assert re.search(r'<span class="big">6</span> new since last week', page.text)
    assert '<a href="/projects/shop">shop</a></td><td>6</td>' in page.text
    assert len(re.findall(r'href="/findings\?rule=B\d+"', page.text)) == 5
    assert "<script" not in page.text
    css = client.get("/static/hub.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]


def test_findings_filters_sort_and_pagination(world: World) -> None:
    upload(world, data("bandit.json"))
    client = browser(world, Role.VIEWER)
    high = client.get("/findings?severity=high&project=shop")
    assert 'Findings <span class="muted">(1)</span>' in high.text and "B602" in high.text
    medium = client.get("/findings?severity=medium&severity=bogus&page=x&min_age_days=-3")
    assert "(2)</span>" in medium.text
    paged = client.get("/findings?severity=medium&sort=severity&page_size=1")
    assert "Page 1 of 2" in paged.text
    assert (
        'href="/findings?severity=medium&amp;sort=severity&amp;page_size=1&amp;page=2"'
        in paged.text
    )
    second = client.get("/findings?severity=medium&sort=severity&page_size=1&page=2")
    assert "Page 2 of 2" in second.text and 'rel="prev"' in second.text
    text = client.get("/findings?q=B602")
    assert "(1)</span>" in text.text
    none = client.get("/findings?q=%25")
    assert "No findings match these filters." in none.text


def test_bulk_triage_needs_csrf_and_the_right_role(world: World) -> None:
    upload(world, data("bandit.json"))
    ids = _finding_ids(world, severity="medium")
    viewer = browser(world, Role.VIEWER)
    viewer_csrf = csrf_of(viewer.get("/findings").text)
    denied = viewer.post(
        "/triage",
        data={"csrf_token": viewer_csrf, "action": "false_positive", "reason": "r", "ids": ids},
    )
    assert denied.status_code in (403, 404) and "<h1>" in denied.text, denied.text
    security = browser(world, Role.SECURITY)
    page = security.get("/findings")
    forged = security.post(
        "/triage",
        data={"csrf_token": "forged", "action": "false_positive", "reason": "r", "ids": ids},
    )
    assert forged.status_code == 403 and "CSRF" in forged.text
    assert {_status(world, i) for i in ids} == {"open"}
    done = security.post(
        "/triage",
        data={
            "csrf_token": csrf_of(page.text),
            "action": "accept_risk",
            "reason": "behind the VPN",
            "expires": "2099-12-31",
            "ids": ids,
            "next": "/findings?severity=medium",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/findings?severity=medium"
    assert {_status(world, i) for i in ids} == {"accepted"}
    history = security.get(f"/findings/{ids[0]}").text
    assert "behind the VPN" in history and "web-security" in history
    bad_date = security.post(
        "/triage",
        data={"csrf_token": csrf_of(page.text), "action": "reopen", "ids": ids, "expires": "soon"},
    )
    assert bad_date.status_code == 422
    assert {_status(world, i) for i in ids} == {"accepted"}


def test_comment_and_finding_page(world: World) -> None:
    upload(world, data("bandit.json"))
    (finding_id,) = _finding_ids(world, severity="high")
    developer = browser(world, Role.DEVELOPER)
    page = developer.get(f"/findings/{finding_id}")
    assert page.status_code == 200 and "B602" in page.text and "CWE-78" in page.text
    assert "No comments yet." in page.text
    forged = developer.post(
        f"/findings/{finding_id}/comments", data={"body": "hi", "csrf_token": ""}
    )
    assert forged.status_code == 403
    posted = developer.post(
        f"/findings/{finding_id}/comments",
        data={"body": "@security please look", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    again = developer.get(f"/findings/{finding_id}").text
    assert "@security please look" in again and "<strong>web-developer</strong>" in again


def test_a_user_without_rights_gets_a_404_page(world: World) -> None:
    upload(world, data("bandit.json"))
    (finding_id,) = _finding_ids(world, severity="high")
    outsider = browser(world, None)
    for path in (f"/findings/{finding_id}", "/projects/shop", "/findings?project=shop"):
        response = outsider.get(path)
        assert response.status_code == 404, path
        assert "Not found" in response.text and "B602" not in response.text
    assert "B602" not in outsider.get("/findings").text
    assert outsider.get("/findings/notanumber").status_code == 422


def test_upload_through_the_browser(world: World) -> None:
    developer = browser(world, Role.DEVELOPER)
    page = developer.get("/projects/shop")
    response = developer.post(
        "/projects/shop/scans",
        data={"csrf_token": csrf_of(page.text), "branch": "main"},
        files={"report": ("bandit.json", data("bandit.json"), "application/json")},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/projects/shop"
    project = developer.get("/projects/shop").text
    assert "<td>bandit" in project and "<td>6</td><td>6</td>" in project
    forged = developer.post(
        "/projects/shop/scans",
        data={"csrf_token": "x", "branch": "dev"},
        files={"report": ("bandit.json", data("bandit.json"), "application/json")},
    )
    assert forged.status_code == 403
    viewer = browser(world, Role.VIEWER)
    denied = viewer.post(
        "/projects/shop/scans",
        data={"csrf_token": csrf_of(viewer.get("/projects/shop").text), "branch": "dev"},
        files={"report": ("bandit.json", data("bandit.json"), "application/json")},
    )
    assert denied.status_code in (403, 404)
