"""The headless-browser crawl mode (``--browser``): Playwright driving the system's Chromium.

Skips, saying why, when the ``playwright`` package or a ``chromium`` binary is missing (``.ci/run``
installs Debian's chromium).
"""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from shieldwall.dast import Limits
from shieldwall.dast.browser import request_endpoint
from shieldwall.dast.model import ParamIn
from tests.dast.conftest import finding_keys, scan
from tests.servers.vulnapp.expected import BROWSER

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(
    importlib.util.find_spec("playwright") is None or CHROMIUM is None,
    reason="needs the playwright package and a chromium binary (apt-get install chromium)",
)
SPA = ("/spa/",)


@needs_browser
@pytest.mark.slow  # a headless Chromium crawl
def test_the_browser_reaches_what_only_javascript_builds(vulnapp: tuple[str, list[str]]) -> None:
    url, hits = vulnapp
    start = len(hits)
    outcome = scan(url + "/spa/", path_prefixes=SPA, browser=True)
    assert finding_keys(outcome) == BROWSER
    sent = hits[start:]
    assert "GET /spa/route/settings" in sent  # a history.pushState route
    assert "POST /spa/api/lookup-safe" in sent  # called by a click; its safe twin not reported
    assert all(hit.split()[1].startswith("/spa/") for hit in sent)  # the browser kept the scope
    assert outcome.refused == ()


def test_without_the_browser_those_stay_hidden(vulnapp: tuple[str, list[str]]) -> None:
    url, hits = vulnapp
    start = len(hits)
    outcome = scan(url + "/spa/", path_prefixes=SPA)
    assert finding_keys(outcome) & BROWSER == set()
    assert not [hit for hit in hits[start:] if "/spa/api/" in hit or "/spa/view/" in hit]


@needs_browser
@pytest.mark.slow  # a headless Chromium crawl
def test_browser_requests_obey_exclusions_and_the_budget(vulnapp: tuple[str, list[str]]) -> None:
    url, hits = vulnapp
    start = len(hits)
    outcome = scan(url + "/spa/", path_prefixes=SPA, browser=True, excludes=("/spa/api/lookup*",))
    assert not [hit for hit in hits[start:] if "/spa/api/lookup" in hit]
    assert ("SW-DAST-103", "POST", "/spa/api/lookup", "item") not in finding_keys(outcome)
    start = len(hits)
    limits = Limits(rps=0, max_seconds=60, timeout=5, max_requests=4)
    cut = scan(url + "/spa/", path_prefixes=SPA, browser=True, limits=limits)
    assert cut.requests == 4 and len(hits) - start == 4
    assert any("budget" in warning for warning in cut.result.warnings)


@needs_browser
@pytest.mark.slow  # a headless Chromium crawl
def test_passive_browser_crawl_only_loads_pages(vulnapp: tuple[str, list[str]]) -> None:
    url, hits = vulnapp
    start = len(hits)
    outcome = scan(url + "/spa/", path_prefixes=SPA, browser=True, passive_only=True)
    sent = hits[start:]
    assert finding_keys(outcome) == set()
    assert {hit.split()[0] for hit in sent} == {"GET"}  # no clicks: the POSTs never happen
    assert "GET /spa/api/greet?name=guest" in sent  # what the page itself fetches on load


def test_script_requests_become_endpoints() -> None:
    json_post = request_endpoint(
        "POST",
        "http://h/api/x?v=1",
        '{"item": "a", "n": 2, "deep": {}}',
        {"content-type": "application/json"},
    )
    assert json_post is not None and json_post.url == "http://h/api/x"
    assert [(p.name, p.value, p.where) for p in json_post.params] == [
        ("v", "1", ParamIn.QUERY),
        ("item", "a", ParamIn.JSON),
        ("n", "2", ParamIn.JSON),
    ]
    form = request_endpoint(
        "POST", "http://h/f", "a=1&b=2", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert form is not None and [p.where for p in form.params] == [ParamIn.FORM, ParamIn.FORM]
    xml = request_endpoint("POST", "http://h/x", "<a>1</a>", {"content-type": "application/xml"})
    assert xml is not None and [(p.name, p.where) for p in xml.params] == [("", ParamIn.XML)]
    get = request_endpoint("GET", "http://h/s?q=1", None, {})
    assert get is not None and get.method == "GET" and get.params[0].name == "q"
    assert request_endpoint("GET", "http://h/s", None, {}) is None
    assert (
        request_endpoint("POST", "http://h/s", "[1]", {"content-type": "application/json"}) is None
    )


def test_a_missing_chromium_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from shieldwall.core.errors import UsageError
    from shieldwall.dast import browser

    monkeypatch.setattr(browser.shutil, "which", lambda _: None)
    with pytest.raises(UsageError, match="apt-get install chromium"):
        browser.find_chromium()
    assert browser.find_chromium("/opt/chromium") == "/opt/chromium"


@needs_browser
def test_a_crashed_browser_loses_the_page_not_the_scan(vulnapp: tuple[str, list[str]]) -> None:
    import asyncio

    import httpx

    from shieldwall.dast.browser import BrowserCrawler
    from shieldwall.dast.client import DastClient
    from shieldwall.dast.scope import Scope

    url, _ = vulnapp

    async def crash_then_visit() -> str:
        async with httpx.AsyncClient() as http:
            client = DastClient(http, Scope.for_target(url + "/"), Limits(rps=0, timeout=5))
            async with BrowserCrawler(client, lambda _: None) as browser:
                await browser._browser.close()  # type: ignore[union-attr]
                visit = await browser.visit(url + "/spa/")
        return visit.failure

    assert asyncio.run(crash_then_visit()).startswith("browser: ")
