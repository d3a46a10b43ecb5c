"""Alert pages: list and detail with the matched events escaped, and the form posts (CSRF,
permissions) that acknowledge, resolve, reopen and link."""

from __future__ import annotations

from datetime import UTC, datetime

from shieldwall.core.severity import Severity
from shieldwall.hub.enums import Role
from shieldwall.monitor.alerts import Alert
from shieldwall.monitor.event import Event, LogSource
from tests.hub.conftest import World
from tests.hub.web.conftest import XSS, browser, csrf_of


def _ingest(world: World) -> int:
    event = Event.create(
        source="access.log",
        line=7,
        raw=f'203.0.113.9 - - "GET /?q={XSS} HTTP/1.1" 200',
        logsource=LogSource.of(None, (), ("webserver",)),
        fields={"source.ip": "203.0.113.9", "url.original": f"/?q={XSS}"},
        timestamp=datetime(2026, 11, 29, 10, 0, tzinfo=UTC),
    )
    alert = Alert(
        "SW-WEB-002", f"XSS attempt {XSS}", Severity.HIGH, "access.log",
        "source.ip=203.0.113.9", event.timestamp, event.timestamp, [event], count=3,
    )  # fmt: skip
    response = world.client.post(
        "/api/v1/projects/shop/alerts",
        json={"alerts": [alert.to_json()]},
        headers=world.auth("developer"),
    )
    assert response.status_code == 201, response.text
    listed = world.client.get("/api/v1/alerts", headers=world.auth("viewer")).json()
    return int(listed["items"][0]["id"])


def test_pages_show_alerts_and_escape_log_content(sqlite_world: World) -> None:
    alert_id = _ingest(sqlite_world)
    client = browser(sqlite_world, Role.VIEWER)
    listing = client.get("/alerts")
    assert listing.status_code == 200
    assert f'href="/alerts/{alert_id}"' in listing.text
    assert "<script>" not in listing.text and "&lt;script&gt;" in listing.text
    detail = client.get(f"/alerts/{alert_id}")
    assert detail.status_code == 200
    assert "access.log:7" in detail.text and "url.original" in detail.text
    assert "<script>" not in detail.text
    assert "default-src 'none'" in detail.headers["content-security-policy"]
    assert client.get("/alerts?status=resolved").text.count('href="/alerts/') == 0
    outsider = browser(sqlite_world, None)
    assert outsider.get(f"/alerts/{alert_id}").status_code == 404
    assert f'href="/alerts/{alert_id}"' not in outsider.get("/alerts").text


def test_forms_need_csrf_and_the_triage_permission(sqlite_world: World) -> None:
    alert_id = _ingest(sqlite_world)
    security = browser(sqlite_world, Role.SECURITY)
    page = security.get(f"/alerts/{alert_id}")
    token = csrf_of(page.text)
    url = f"/alerts/{alert_id}/status"
    refused = security.post(url, data={"action": "acknowledge"}, follow_redirects=False)
    assert refused.status_code == 403
    done = security.post(
        url, data={"action": "acknowledge", "csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303
    resolved = security.post(
        url,
        data={"action": "resolve", "note": "blocked <b>", "csrf_token": token},
        follow_redirects=True,
    )
    assert "resolved by web-security: blocked &lt;b&gt;" in resolved.text
    viewer = browser(sqlite_world, Role.VIEWER)
    denied = viewer.post(
        url,
        data={"action": "reopen", "csrf_token": csrf_of(viewer.get(f"/alerts/{alert_id}").text)},
        follow_redirects=False,
    )
    assert denied.status_code == 403
    missing = security.post(
        f"/alerts/{alert_id}/findings",
        data={"finding_id": "999999", "csrf_token": token},
        follow_redirects=False,
    )
    assert missing.status_code == 404
