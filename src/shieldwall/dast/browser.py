"""Headless-browser crawl mode: Debian's (or any system) Chromium driven over Playwright.

Single-page apps build their links and API calls at run time; a browser runs that code. Every
request the browser makes is intercepted and sent by :class:`DastClient` instead (then handed
back to the page), so the scope, the request budget, the deadline and the rate limit hold for
the browser exactly as for the plain crawler, and every response gets the passive checks.

What a visit yields: links in the rendered DOM (``a[href]``, router links included), forms of the
rendered page, the URLs the page navigated to (``history.pushState`` routes), and the requests
its scripts made (``fetch``/XHR, with their query, form or JSON parameters) — also after clicking
each button or ``onclick`` element that is not part of a form (forms are attacked, never
submitted by the browser).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from shieldwall.core.errors import ScanAbortedError, UsageError
from shieldwall.dast.client import DastClient, OutOfScopeError, RequestFailedError, ScanCutShort
from shieldwall.dast.forms import form_endpoint, strip_query, url_endpoint
from shieldwall.dast.html import parse_page
from shieldwall.dast.model import Endpoint, Exchange, Param, ParamIn

if TYPE_CHECKING:  # playwright is an optional dependency (the ``browser`` extra)
    from playwright.async_api import Browser, BrowserContext, Page, Playwright, Request, Route

# Headers Chromium computes itself; passing httpx's (decoded body) values would corrupt it.
_HOP_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding", "connection"})
_FORWARDED = ("content-type", "accept", "x-requested-with")
_MAX_CLICKS = 15
_SETTLE_MS = 1500
_CLICK_PAUSE = 0.2  # lets a click's handlers start their requests
_CLICKABLE = """() => {
  const selector = 'button, [onclick], [role=button], a[href^="javascript:"]';
  const found = [...document.querySelectorAll(selector)].filter(e => !e.closest('form'));
  found.forEach((e, i) => e.setAttribute('data-sw-click', String(i)));
  return found.length;
}"""
_HREFS = "els => els.map(e => e.href).filter(h => h && !h.startsWith('javascript:'))"


def find_chromium(given: str | None = None) -> str:
    """The Chromium binary to drive (the given path, else ``chromium`` on PATH)."""
    found = given or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise UsageError("--browser needs a Chromium binary: apt-get install chromium")
    return found


@dataclass(slots=True)
class Visit:
    """What one page revealed in the browser."""

    urls: list[str] = field(default_factory=list)
    endpoints: list[Endpoint] = field(default_factory=list)
    failure: str = ""  # why the browser could not finish the page (it crashed, say)


class BrowserCrawler:
    """One headless Chromium for one scan; use as ``async with``."""

    def __init__(
        self,
        client: DastClient,
        on_exchange: Callable[[Exchange], None],
        *,
        executable: str | None = None,
        click: bool = True,
    ) -> None:
        self._client = client
        self._on_exchange = on_exchange
        self._executable = executable
        self._click = click
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._visit: Visit | None = None
        self.cut_short: ScanCutShort | None = None
        self.blocked: list[str] = []
        self._inflight = 0

    async def __aenter__(self) -> BrowserCrawler:
        try:
            from playwright.async_api import async_playwright
        except ImportError as exc:
            raise UsageError(
                "--browser needs playwright: pip install 'shieldwall[browser]'"
            ) from exc
        from playwright.async_api import Error as PlaywrightError

        executable = find_chromium(self._executable)
        self._playwright = await async_playwright().start()
        try:
            self._browser = await self._playwright.chromium.launch(
                executable_path=executable, headless=True, args=["--no-sandbox"]
            )
            self._context = await self._browser.new_context(
                service_workers="block", user_agent=self._client.default_headers.get("user-agent")
            )
            await self._context.route("**/*", self._route)
        except PlaywrightError as exc:
            await self._playwright.stop()
            raise ScanAbortedError(f"cannot start Chromium ({executable}): {exc}") from exc
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        from playwright.async_api import Error as PlaywrightError

        if self._browser is not None:
            with contextlib.suppress(PlaywrightError):  # it may have crashed already
                await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()

    async def visit(self, url: str) -> Visit:
        """Load ``url``, let its scripts run, click what can be clicked; what was revealed.

        A browser failure (a crashed renderer, a closed browser) loses this page only: it is
        returned as the visit's ``failure`` and the plain crawl goes on.
        """
        from playwright.async_api import Error as PlaywrightError

        assert self._context is not None  # noqa: S101 - used inside ``async with``
        visit = self._visit = Visit()
        try:
            page = await self._context.new_page()
            try:
                await self._load(page, url)
                visit.urls += await self._dom_links(page, url)
                if self._click:
                    await self._click_all(page, visit)
            finally:
                await page.close()
        except PlaywrightError as exc:
            visit.failure = f"browser: {exc}".splitlines()[0]
        finally:
            self._visit = None
        if self.cut_short is not None:
            raise self.cut_short
        return visit

    async def _load(self, page: Page, url: str) -> None:
        from playwright.async_api import Error as PlaywrightError

        timeout = max(1000.0, min(self._client.limits.timeout, self._client.time_left()) * 1000)
        try:
            await page.goto(url, wait_until="load", timeout=timeout)
            await page.wait_for_load_state("networkidle", timeout=_SETTLE_MS)
        except PlaywrightError:
            pass  # a slow or broken page: keep whatever it rendered

    async def _dom_links(self, page: Page, url: str) -> list[str]:
        from playwright.async_api import Error as PlaywrightError

        assert self._visit is not None  # noqa: S101 - set by visit()
        try:
            links: list[str] = await page.eval_on_selector_all("a[href]", _HREFS)
            html = await page.content()
        except PlaywrightError:
            return []
        for form in parse_page(html).forms:
            self._visit.endpoints.append(form_endpoint(form, page.url or url))
        return [*links, page.url]

    async def _click_all(self, page: Page, visit: Visit) -> None:
        from playwright.async_api import Error as PlaywrightError

        start = page.url
        try:
            count = int(await page.evaluate(_CLICKABLE))
        except PlaywrightError:
            return
        for index in range(min(count, _MAX_CLICKS)):
            if self.cut_short is not None:
                return
            try:
                if page.url != start:  # the last click navigated (pushState or a real load)
                    visit.urls.append(page.url)
                    await self._load(page, start)
                    await page.evaluate(_CLICKABLE)
                await page.click(f'[data-sw-click="{index}"]', timeout=1000, no_wait_after=True)
            except PlaywrightError:
                continue
            await self._settle()
        visit.urls.append(page.url)

    async def _settle(self) -> None:
        """Wait until the requests a click started are answered (bounded).

        ``networkidle`` cannot be awaited twice: once a page reached it, waiting returns at
        once, so the scan counts its own in-flight requests instead.
        """
        waited = 0.0
        await asyncio.sleep(_CLICK_PAUSE)
        while self._inflight and waited < _SETTLE_MS / 1000:
            await asyncio.sleep(0.05)
            waited += 0.05

    async def _route(self, route: Route, request: Request) -> None:
        """Send the browser's request through the scan's client, and answer the page with it."""
        url = request.url
        if not url.startswith(("http://", "https://")):
            await route.continue_()
            return
        if not self._client.scope.allows(url) or self.cut_short is not None:
            self.blocked.append(url)
            await route.abort("blockedbyclient")
            return
        self._inflight += 1
        try:
            await self._answer(route, request)
        finally:
            self._inflight -= 1

    async def _answer(self, route: Route, request: Request) -> None:
        from playwright.async_api import Error as PlaywrightError

        headers = {k: v for k, v in request.headers.items() if k.lower() in _FORWARDED}
        try:
            exchange = await self._client.send(
                request.method, request.url, content=request.post_data, headers=headers or None
            )
        except ScanCutShort as exc:
            self.cut_short = exc
            await route.abort("blockedbyclient")
            return
        except (RequestFailedError, OutOfScopeError):
            await route.abort("failed")
            return
        self._record(request, exchange)
        # The page may have gone away meanwhile (closed or navigated): the exchange still counts.
        with contextlib.suppress(PlaywrightError):
            await route.fulfill(
                status=exchange.status,
                headers={k: v for k, v in exchange.headers if k.lower() not in _HOP_HEADERS},
                body=exchange.body,
            )

    def _record(self, request: Request, exchange: Exchange) -> None:
        self._on_exchange(exchange)
        visit = self._visit
        if visit is None:
            return
        if request.resource_type in ("xhr", "fetch"):
            endpoint = request_endpoint(
                request.method, request.url, request.post_data, request.headers
            )
            if endpoint is not None:
                visit.endpoints.append(endpoint)
            if request.method == "GET":
                visit.urls.append(request.url)
        elif request.is_navigation_request() or request.resource_type == "script":
            visit.urls.append(request.url)


def request_endpoint(
    method: str, url: str, body: str | None, headers: dict[str, str]
) -> Endpoint | None:
    """The endpoint a script's request stands for: its query, form or flat JSON parameters."""
    method = method.upper()
    if method == "GET" or not body:
        endpoint = url_endpoint(url)
        return endpoint if endpoint is None or method == "GET" else _with_method(endpoint, method)
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    query = url_endpoint(url)
    params = list(query.params) if query else []
    if "xml" in content_type or body.lstrip().startswith("<?xml"):
        params.append(Param("", body, ParamIn.XML))  # the whole document: the XXE check's
    elif "json" in content_type or body.lstrip().startswith("{"):
        params += _json_params(body)
    elif "x-www-form-urlencoded" in content_type:
        params += [Param(k, v, ParamIn.FORM) for k, v in parse_qsl(body, keep_blank_values=True)]
    if not params:
        return None
    return Endpoint(method, strip_query(url), tuple(params))


def _with_method(endpoint: Endpoint, method: str) -> Endpoint:
    return Endpoint(method, endpoint.url, endpoint.params, endpoint.origin)


def _json_params(body: str) -> list[Param]:
    try:
        data: Any = json.loads(body)
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    # Flat scalar members only: nested objects would need a path syntax the checks lack.
    return [
        Param(str(k), str(v), ParamIn.JSON)
        for k, v in data.items()
        if isinstance(v, str | int | float) and not isinstance(v, bool)
    ]
