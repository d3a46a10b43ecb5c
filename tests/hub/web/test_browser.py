"""End to end in a real headless browser (Playwright driving Debian's chromium).

Skips, saying why, when the ``playwright`` package or a ``chromium`` binary is missing. Saves
screenshots of the main pages to ``reports/screenshots/`` (not committed).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from shieldwall.hub.app import create_app
from shieldwall.hub.auth.service import create_user
from shieldwall.hub.db.engine import transaction
from shieldwall.hub.db.models import Project
from shieldwall.hub.enums import Role
from shieldwall.hub.projects.service import create_project, set_member
from shieldwall.hub.settings import HubSettings
from tests.hub.conftest import DATA, PASSWORD

pytestmark = pytest.mark.slow
SCREENSHOTS = Path(__file__).resolve().parents[3] / "reports" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


@pytest.fixture
def hub(sqlite_url: str) -> Iterator[str]:
    """The hub on 127.0.0.1 (uvicorn in a thread) with users 'alice' (security) and 'victor'
    (viewer) on project 'shop', and a project 'secret' neither can read."""
    if sync_playwright is None:
        pytest.skip("playwright is not installed (pip install playwright)")
    if CHROMIUM is None:
        pytest.skip("no chromium binary on PATH (apt-get install chromium)")
    import uvicorn

    app = create_app(
        HubSettings(
            database_url=sqlite_url,
            migrate_on_start=False,
            secret_key="browser-test-key",  # type: ignore[arg-type]
            periodic_seconds=0,
        )
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    sessions = app.state.hub.sessions
    with transaction(sessions) as session:
        create_project(session, "shop", "", "test")
        create_project(session, "secret", "", "test")
        for name, role in (("alice", Role.SECURITY), ("victor", Role.VIEWER)):
            create_user(session, name, PASSWORD, None, "test")
            shop = session.scalars(select(Project).where(Project.name == "shop")).one()
            set_member(session, shop, name, role, "test")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _login(page: Any, base: str, user: str) -> None:
    page.goto(f"{base}/findings")
    assert "/login" in page.url
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/findings")


def test_login_upload_filter_triage_comment(hub: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert sync_playwright is not None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        _login(page, hub, "alice")
        page.screenshot(path=SCREENSHOTS / "findings-empty.png")
        assert page.get_by_text("No findings match.").is_visible()
        # Upload a report through the project page (alice is security: she may upload).
        page.goto(f"{hub}/projects/shop")
        page.set_input_files("#report", str(DATA / "bandit.json"))
        page.get_by_role("button", name="Upload").click()
        page.wait_for_url(f"{hub}/projects/shop")
        assert page.locator("table.list tbody tr").count() == 1
        page.screenshot(path=SCREENSHOTS / "project.png", full_page=True)
        # Filter to the high finding, select it, mark it a false positive.
        page.goto(f"{hub}/findings")
        page.get_by_label("high").check()
        page.get_by_role("button", name="Apply", exact=True).click()
        assert "severity=high" in page.url
        rows = page.locator("table.list tbody tr")
        assert rows.count() == 1
        page.screenshot(path=SCREENSHOTS / "findings.png", full_page=True)
        rows.first.locator("input[type=checkbox]").check()
        page.select_option("select[name=action]", "false_positive")
        page.locator(".bulk input[name=reason]").fill("constant input")
        page.get_by_role("button", name="Apply to selected").click()
        page.wait_for_load_state()
        assert "false_positive" in rows.first.inner_text()
        # Comment on it.
        rows.first.locator("a").first.click()
        page.get_by_label("Add a comment").fill("@victor <b>not bold</b>")
        page.get_by_role("button", name="Comment").click()
        assert page.locator(".comment p").inner_text() == "@victor <b>not bold</b>"
        assert page.locator(".comment b").count() == 0
        page.screenshot(path=SCREENSHOTS / "finding.png", full_page=True)
        # A forged CSRF token from the browser is refused.
        page.locator("#comments input[name=csrf_token]").evaluate("e => e.value = 'forged'")
        page.get_by_label("Add a comment").fill("should not land")
        page.get_by_role("button", name="Comment").click()
        assert page.get_by_role("heading", name="Not allowed").is_visible()
        # The dashboard reflects the triage: 5 open, not 6.
        page.goto(f"{hub}/")
        assert page.locator(".tile .big").first.inner_text() == "5"
        page.screenshot(path=SCREENSHOTS / "dashboard.png", full_page=True)
        browser.close()


def test_a_viewer_following_a_link_to_another_project_gets_404(hub: str) -> None:
    assert sync_playwright is not None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        _login(page, hub, "victor")
        response = page.goto(f"{hub}/projects/secret")
        assert response is not None and response.status == 404
        assert page.get_by_role("heading", name="Not found").is_visible()
        browser.close()


def test_api_token_is_shown_once_and_revoked(hub: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert sync_playwright is not None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        _login(page, hub, "alice")
        page.get_by_role("link", name="Settings").click()
        # alice is not a hub admin: only her own settings are offered, the rest is refused.
        assert page.get_by_role("link", name="Users and roles").count() == 0
        page.get_by_role("link", name="API tokens").click()
        page.get_by_label("Name").fill("ci upload")
        page.select_option("select[name=scope]", "upload")
        page.get_by_label("Project (empty: every project you can reach)").fill("shop")
        page.get_by_role("button", name="Create token").click()
        token = page.locator("#new-token").input_value()
        assert token.startswith("swt_")
        page.screenshot(path=SCREENSHOTS / "settings-tokens.png", full_page=True)
        # The token works against the API, and is not shown again.
        api = page.request.get(
            f"{hub}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}
        )
        assert api.status == 200
        page.goto(f"{hub}/settings/tokens")
        assert token not in page.content() and page.locator("#new-token").count() == 0
        page.get_by_role("button", name="Revoke").click()
        page.wait_for_url(f"{hub}/settings/tokens")
        assert "revoked" in page.locator("table.list").inner_text()
        api = page.request.get(
            f"{hub}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}
        )
        assert api.status == 401
        response = page.goto(f"{hub}/settings/users")
        assert response is not None and response.status == 403
        browser.close()
