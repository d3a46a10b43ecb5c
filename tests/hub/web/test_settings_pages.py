"""Settings pages through the real login form: admins only where it matters, CSRF on every
POST, secrets never shown back, tokens shown once, SLA saved and applied, channels and trackers
stored sealed, and the finding page's tickets, repository links and @mention notifications."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shieldwall.hub.db.models import (
    ApiToken,
    Finding,
    IssueLink,
    IssueTracker,
    NotificationChannel,
    NotificationRuleRow,
    Scan,
    Team,
    User,
)
from shieldwall.hub.enums import Role
from tests.hub.conftest import World, data
from tests.hub.web.conftest import (
    XSS,
    Mailbox,
    Receiver,
    bandit_subset,
    browser,
    csrf_of,
    upload,
    wait_jobs,
)
from tests.servers.trackers import TOKEN, serve_trackers

ADMIN_PAGES = (
    "/settings/users",
    "/settings/teams",
    "/settings/sla",
    "/settings/notifications",
    "/settings/integrations",
)


def admin(world: World) -> TestClient:
    """A browser logged in as a global admin."""
    client = browser(world, None, name="boss")
    with world.sessions() as session:
        user = session.scalars(select(User).where(User.username == "boss")).one()
        user.global_role = Role.ADMIN.value
        session.commit()
    return client


def post(client: TestClient, path: str, form: dict[str, object], page: str = "/settings") -> int:
    """Submit a form with the session's CSRF token; returns the status."""
    token = csrf_of(client.get(page).text)
    response = client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
    return response.status_code


def test_admin_pages_are_admin_only(sworld: World) -> None:
    member = browser(sworld, Role.ADMIN)  # admin of one project, not of the hub
    for path in ADMIN_PAGES:
        assert member.get(path).status_code == 403, path
    index = member.get("/settings").text
    assert "/settings/tokens" in index and "/settings/users" not in index
    assert post(member, "/settings/teams", {"name": "x"}) == 403
    assert post(member, "/settings/sla", {"critical": "1"}) == 403
    boss = admin(sworld)
    for path in ADMIN_PAGES:
        assert boss.get(path).status_code == 200, path
    anonymous = TestClient(sworld.client.app)
    response = anonymous.get("/settings/users", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_every_post_needs_the_csrf_token(sworld: World) -> None:
    boss = admin(sworld)
    for path, form in (
        ("/settings/teams", {"name": "t"}),
        ("/settings/users", {"username": "u", "password": "x" * 12}),
        ("/settings/sla", {"critical": "3"}),
        ("/settings/channels", {"name": "c", "kind": "slack", "url": "https://h.example/x"}),
        ("/settings/rules", {"channel": "c", "event": "new_findings"}),
        ("/settings/tokens", {"name": "n", "scope": "read"}),
        ("/settings/profile", {"email": "a@b.example"}),
        ("/settings/repositories", {"project": "shop", "web_url": "https://h.example/a/b"}),
        ("/issues/export", {"ids": "1", "tracker_id": "1"}),
    ):
        for token in ("", "forged"):
            response = boss.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
            assert response.status_code == 403, (path, token)
    with sworld.sessions() as session:
        assert session.scalars(select(Team)).all() == []
        assert session.scalars(select(NotificationChannel)).all() == []


def test_users_teams_and_sla(sworld: World) -> None:
    boss = admin(sworld)
    assert post(boss, "/settings/users", {"username": XSS, "password": "p" * 12, "role": ""}) == 303
    page = boss.get("/settings/users").text
    assert XSS not in page and "&lt;script&gt;" in page
    with sworld.sessions() as session:
        target = session.scalars(select(User.id).where(User.username == XSS)).one()
    assert post(boss, f"/settings/users/{target}", {"role": "viewer", "active": ""}) == 303
    with sworld.sessions() as session:
        user = session.get(User, target)
        assert user is not None and (user.global_role, user.is_active) == ("viewer", False)
    outsider = browser(sworld, None, name="newcomer")
    assert outsider.get("/projects/other").status_code == 404
    assert (
        post(
            boss,
            "/settings/members",
            {"username": "newcomer", "project": "other", "role": "viewer"},
        )
        == 303
    )
    assert outsider.get("/projects/other").status_code == 200
    assert (
        post(
            outsider,
            "/settings/members",
            {"username": "newcomer", "project": "shop", "role": "admin"},
        )
        == 403
    )
    assert post(boss, "/settings/teams", {"name": "appsec"}) == 303
    with sworld.sessions() as session:
        team = session.scalars(select(Team.id)).one()
    assert post(boss, f"/settings/teams/{team}/members", {"username": "viewer"}) == 303
    assert (
        post(boss, f"/settings/teams/{team}/projects", {"project": "other", "role": "developer"})
        == 303
    )
    text = boss.get("/settings/teams").text
    assert "viewer" in text and "developer on other" in text
    # The team role gives its member access to 'other' through the web too.
    member = browser(sworld, None, name="teammate")
    assert post(boss, f"/settings/teams/{team}/members", {"username": "teammate"}) == 303
    assert member.get("/projects/other").status_code == 200
    upload(sworld, data("bandit.json"))
    response = boss.post(
        "/settings/sla",
        data={
            "csrf_token": csrf_of(boss.get("/settings/sla").text),
            "critical": "1",
            "high": "2",
            "medium": "3",
            "low": "4",
            "info": "",
        },
    )
    assert response.status_code == 200 and "were recomputed" in response.text
    with sworld.sessions() as session:
        rows = session.execute(select(Finding.severity, Finding.first_seen, Finding.sla_due)).all()
    for severity, first, due in rows:
        assert (due - first).days == {"high": 2, "medium": 3, "low": 4}[severity]
    assert post(boss, "/settings/sla", {"critical": "-1"}) in (400, 422)
    assert post(boss, "/settings/sla", {"critical": "99999"}) == 422


def test_tokens_are_shown_once_and_revocable(sworld: World) -> None:
    dev = browser(sworld, Role.DEVELOPER)
    page = dev.get("/settings/tokens")
    created = dev.post(
        "/settings/tokens",
        data={"csrf_token": csrf_of(page.text), "name": "ci", "scope": "upload", "project": "shop"},
    )
    assert created.status_code == 200 and created.headers["cache-control"] == "no-store"
    token = re.search(r'value="(swt_[^"]+)"', created.text)
    assert token is not None
    api = sworld.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token[1]}"})
    assert api.status_code == 200
    listing = dev.get("/settings/tokens").text
    assert token[1] not in listing and "ci" in listing
    # A scope above the role is refused.
    assert (
        post(
            dev,
            "/settings/tokens",
            {"name": "x", "scope": "admin", "project": "shop"},
            "/settings/tokens",
        )
        == 403
    )
    with sworld.sessions() as session:
        token_id = session.scalars(select(ApiToken.id).where(ApiToken.name == "ci")).one()
    other = browser(sworld, Role.SECURITY)
    assert post(other, f"/settings/tokens/{token_id}/revoke", {}) == 404
    assert post(dev, f"/settings/tokens/{token_id}/revoke", {}) == 303
    api = sworld.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token[1]}"})
    assert api.status_code == 401


def test_channels_rules_and_the_delivery_log(sworld: World, receiver: Receiver) -> None:
    boss = admin(sworld)
    secret_url = receiver.url + "/hook/S3CR3T-PATH"
    assert (
        post(
            boss,
            "/settings/channels",
            {"name": "ops", "kind": "webhook", "url": secret_url, "signing_key": "K3Y-VALUE"},
        )
        == 303
    )
    assert (
        post(
            boss,
            "/settings/rules",
            {"channel": "ops", "event": "new_findings", "project": "shop", "min_severity": "low"},
        )
        == 303
    )
    assert (
        post(
            boss,
            "/settings/channels",
            {"name": "bad", "kind": "webhook", "url": "javascript:alert(1)", "signing_key": "k"},
        )
        == 422
    )
    upload(sworld, data("bandit.json"))
    wait_jobs(sworld)
    assert len(receiver.requests) == 1 and json.loads(receiver.requests[0][2])["project"] == "shop"
    page = boss.get("/settings/notifications").text
    assert "S3CR3T-PATH" not in page and "K3Y-VALUE" not in page
    assert receiver.url in page and "delivered" in page and "new findings" in page
    with sworld.sessions() as session:
        rule = session.scalars(select(NotificationRuleRow.id)).one()
        channel = session.scalars(select(NotificationChannel.id)).one()
    assert post(boss, f"/settings/channels/{channel}/test", {}) == 303
    test_body = json.loads(receiver.requests[-1][2])
    assert test_body["event"] == "test" and "boss" in test_body["summary"]
    assert post(browser(sworld, Role.ADMIN), f"/settings/channels/{channel}/test", {}) == 403
    assert post(boss, f"/settings/rules/{rule}/delete", {}) == 303
    assert post(boss, f"/settings/channels/{channel}/delete", {}) == 303
    with sworld.sessions() as session:
        assert session.scalars(select(NotificationChannel)).all() == []


def test_trackers_export_and_repository_links(sworld: World) -> None:
    boss = admin(sworld)
    with serve_trackers() as trackers:
        assert (
            post(
                boss,
                "/settings/trackers",
                {
                    "name": "gh",
                    "kind": "github",
                    "base_url": trackers.base_url,
                    "remote_project": "acme/shop",
                    "token": TOKEN,
                    "close_on_fix": "on",
                },
            )
            == 303
        )
        assert (
            post(
                boss,
                "/settings/repositories",
                {
                    "project": "shop",
                    "forge": "gitlab",
                    "web_url": "https://git.example/acme/shop.git",
                },
            )
            == 303
        )
        assert TOKEN not in boss.get("/settings/integrations").text
        with sworld.sessions() as session:
            assert TOKEN not in session.scalars(select(IssueTracker.secret)).one()
        body = sworld.client.post(
            "/api/v1/projects/shop/scans?branch=main&commit=0123456789abcdef0123",
            content=data("bandit.json"),
            headers=sworld.auth("developer"),
        )
        assert body.status_code == 201, body.text
        with sworld.sessions() as session:
            ids = list(session.scalars(select(Finding.id).order_by(Finding.id)))
            tracker = session.scalars(select(IssueTracker.id)).one()
        sec = browser(sworld, Role.SECURITY)
        page = sec.get(f"/findings/{ids[0]}").text
        assert "https://git.example/acme/shop/-/blob/0123456789abcdef0123/app.py#L1" in page
        assert "https://git.example/acme/shop/-/commit/0123456789abcdef0123" in page
        assert "Create ticket" in page
        # Bulk export from the list, then once more: no duplicate tickets.
        for _ in range(2):
            response = sec.post(
                "/issues/export",
                data={
                    "csrf_token": csrf_of(page),
                    "ids": [str(i) for i in ids[:2]],
                    "tracker_id": str(tracker),
                    "next": "/findings",
                },
                follow_redirects=False,
            )
            assert response.status_code == 303
        assert len(trackers.issues[("github", "acme/shop")]) == 2
        shown = sec.get(f"/findings/{ids[0]}").text
        assert f"{trackers.base_url}/acme/shop/issues/1" in shown and "gh 1" in shown
        # A developer may not publish findings to a tracker (nor is offered to).
        dev = browser(sworld, Role.DEVELOPER)
        assert "Create ticket" not in dev.get(f"/findings/{ids[0]}").text
        response = dev.post(
            "/issues/export",
            data={
                "csrf_token": csrf_of(dev.get("/findings").text),
                "ids": str(ids[2]),
                "tracker_id": str(tracker),
            },
            follow_redirects=False,
        )
        assert response.status_code == 403
        with sworld.sessions() as session:
            assert len(session.scalars(select(IssueLink)).all()) == 2


def test_mention_in_a_web_comment_sends_mail(sworld: World, smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    boss = admin(sworld)
    assert (
        post(
            boss,
            "/settings/channels",
            {
                "name": "mail",
                "kind": "email",
                "smtp_host": "127.0.0.1",
                "smtp_port": str(port),
                "sender": "hub@example.org",
                "recipients": "team@example.org",
            },
        )
        == 303
    )
    dev = browser(sworld, Role.DEVELOPER, name="dana")
    assert post(dev, "/settings/profile", {"email": "dana@example.org"}, "/settings/profile") == 303
    upload(sworld, data("bandit.json"))
    with sworld.sessions() as session:
        fid = session.scalars(select(Finding.id)).first()
        assert session.scalars(select(Scan)).first() is not None
    sec = browser(sworld, Role.SECURITY)
    page = sec.get(f"/findings/{fid}").text
    response = sec.post(
        f"/findings/{fid}/comments",
        data={"csrf_token": csrf_of(page), "body": "@dana can you take this? <b>x</b>"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    wait_jobs(sworld)
    (mail,) = box.messages
    assert mail[1] == ["dana@example.org"]
    text = mail[2].decode()
    assert "web-security mentioned you on finding" in text and "<b>x</b>" in text


@pytest.mark.parametrize("path", ["/settings/profile", "/settings/tokens", "/settings"])
def test_member_pages_render_empty_states(sworld: World, path: str) -> None:
    viewer = browser(sworld, Role.VIEWER)
    assert viewer.get(path).status_code == 200


def test_scan_diff_page_flow_chart_and_branch_filter(sworld: World) -> None:
    upload(sworld, data("bandit.json"))
    upload(sworld, bandit_subset(2))  # four fixed
    upload(sworld, bandit_subset(6))  # the four are back
    upload(sworld, data("semgrep.json"), branch="feature")
    viewer = browser(sworld, Role.VIEWER)
    with sworld.sessions() as session:
        scans = list(session.scalars(select(Scan).order_by(Scan.id)))
    first = viewer.get(f"/projects/shop/scans/{scans[0].id}").text
    assert 'New <span class="muted">(6)</span>' in first
    fixed = viewer.get(f"/projects/shop/scans/{scans[1].id}").text
    assert 'Fixed <span class="muted">(4)</span>' in fixed and fixed.count("/findings/") >= 4
    back = viewer.get(f"/projects/shop/scans/{scans[2].id}").text
    assert 'Regressed <span class="muted">(4)</span>' in back
    assert viewer.get(f"/projects/other/scans/{scans[0].id}").status_code == 404
    outsider = browser(sworld, None)
    assert outsider.get(f"/projects/shop/scans/{scans[0].id}").status_code == 404
    assert f'href="/projects/shop/scans/{scans[0].id}"' in viewer.get("/projects/shop").text
    dashboard = viewer.get("/").text
    assert "Opened vs fixed" in dashboard and "<polyline" in dashboard
    opened = re.search(r"opened</span> (\d+) in the period", dashboard)
    fixed_total = re.search(r"fixed</span> (\d+) in the period", dashboard)
    assert opened is not None and fixed_total is not None
    assert int(fixed_total[1]) == 4 and int(opened[1]) >= 10
    feature = viewer.get("/findings?branch=feature").text
    main = viewer.get("/findings?branch=main").text
    assert "semgrep" in feature.lower() and "B602" not in feature and "B602" in main


def test_names_admins_enter_are_escaped(sworld: World) -> None:
    boss = admin(sworld)
    assert post(boss, "/settings/teams", {"name": XSS}) == 303
    assert (
        post(
            boss, "/settings/channels", {"name": XSS, "kind": "slack", "url": "https://h.example/x"}
        )
        == 303
    )
    with serve_trackers() as trackers:
        assert (
            post(
                boss,
                "/settings/trackers",
                {
                    "name": XSS,
                    "kind": "jira",
                    "base_url": trackers.base_url,
                    "remote_project": XSS,
                    "token": TOKEN,
                    "issue_type": XSS[:50],
                },
            )
            == 303
        )
    assert (
        post(
            boss,
            "/settings/repositories",
            {"project": "shop", "forge": "github", "web_url": "javascript:alert(1)"},
        )
        == 422
    )
    for path in ("/settings/teams", "/settings/notifications", "/settings/integrations"):
        page = boss.get(path).text
        assert XSS not in page and "&lt;script&gt;" in page, path
