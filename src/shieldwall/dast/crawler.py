"""The crawler: breadth-first over links, forms, JavaScript URLs, robots.txt and sitemaps.

URLs that differ only in parameter values are fetched once. Every response goes to the
``on_response`` callback (the passive checks) as it arrives.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from shieldwall.dast.client import DastClient, RequestFailedError, ScanCutShort
from shieldwall.dast.discovery import robots_urls, sitemap_urls
from shieldwall.dast.forms import form_endpoint, url_endpoint
from shieldwall.dast.html import Page, parse_page
from shieldwall.dast.jsurls import urls_in_script
from shieldwall.dast.model import Endpoint, Exchange

if TYPE_CHECKING:
    from shieldwall.dast.browser import BrowserCrawler

OnResponse = Callable[[Exchange, Page | None], None]


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    """How far the crawl goes."""

    max_depth: int = 6
    max_pages: int = 500
    seeds: tuple[str, ...] = ()
    submit_forms: bool = True


@dataclass(slots=True)
class CrawlResult:
    """What the crawl found: the pages fetched, the endpoints to attack, the failures."""

    pages: list[Exchange] = field(default_factory=list)
    endpoints: dict[tuple[str, str, tuple[str, ...]], Endpoint] = field(default_factory=dict)
    baselines: dict[tuple[str, str, tuple[str, ...]], Exchange] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)
    cut_short: str = ""

    def add_endpoint(self, endpoint: Endpoint, baseline: Exchange | None = None) -> None:
        """Keep the first endpoint of each key (method, URL, parameter names)."""
        if endpoint.key not in self.endpoints:
            self.endpoints[endpoint.key] = endpoint
            if baseline is not None:
                self.baselines[endpoint.key] = baseline


def page_key(url: str) -> tuple[str, tuple[str, ...]]:
    """URLs that differ only in parameter values share a key."""
    parts = urlsplit(url)
    names = tuple(sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return (f"{parts.scheme}://{parts.netloc.lower()}{parts.path or '/'}", names)


class Crawler:
    """One crawl of one target."""

    def __init__(
        self,
        client: DastClient,
        options: CrawlOptions,
        on_response: OnResponse,
        browser: BrowserCrawler | None = None,
    ) -> None:
        self._client = client
        self._options = options
        self._on_response = on_response
        self._browser = browser
        self._browser_lock = asyncio.Lock()  # one page at a time in the browser
        self._seen: set[tuple[str, tuple[str, ...]]] = set()
        self.result = CrawlResult()

    async def crawl(self, start: str) -> CrawlResult:
        """Crawl from ``start``; stops at the depth, page, request or time limit."""
        level = self._admit([start, *self._options.seeds])
        level += self._admit(await self._well_known(start))
        depth = 0
        try:
            while level and depth <= self._options.max_depth:
                found = await self._fetch_level(level)
                level = self._admit(found)
                depth += 1
        except ScanCutShort as exc:
            self.result.cut_short = str(exc)
        return self.result

    def _admit(self, urls: list[str]) -> list[str]:
        admitted = []
        for url in urls:
            url = urldefrag(url)[0]
            key = page_key(url)
            if key in self._seen or not self._client.scope.allows(url):
                continue
            if len(self._seen) >= self._options.max_pages:
                break
            self._seen.add(key)
            admitted.append(url)
        return admitted

    async def _well_known(self, start: str) -> list[str]:
        urls: list[str] = []
        robots = await self._get(urljoin(start, "/robots.txt"))
        sitemaps = [urljoin(start, "/sitemap.xml")]
        if robots is not None and robots.status == 200:
            paths, listed = robots_urls(robots.body, robots.url)
            urls += paths
            sitemaps = list(dict.fromkeys([*listed, *sitemaps]))
        for sitemap in sitemaps[:5]:
            if not self._client.scope.allows(sitemap):
                continue
            answer = await self._get(sitemap)
            if answer is not None and answer.status == 200:
                urls += sitemap_urls(answer.body)
        return urls

    async def _get(self, url: str) -> Exchange | None:
        if not self._client.scope.allows(url):
            return None
        try:
            return await self._client.send("GET", url)
        except RequestFailedError as exc:
            self.result.failures.append((url, str(exc)))
            return None

    async def _fetch_level(self, urls: list[str]) -> list[str]:
        results = await asyncio.gather(*(self._visit(url) for url in urls), return_exceptions=True)
        found: list[str] = []
        cut: ScanCutShort | None = None
        for outcome in results:
            if isinstance(outcome, ScanCutShort):
                cut = outcome
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                found += outcome
        if cut is not None:
            raise cut
        return found

    async def _visit(self, url: str) -> list[str]:
        exchange = await self._get(url)
        if exchange is None:
            return []
        self.result.pages.append(exchange)
        endpoint = url_endpoint(url)
        if endpoint is not None:
            self.result.add_endpoint(endpoint, exchange)
        page = parse_page(exchange.body) if exchange.is_html and exchange.body else None
        self._on_response(exchange, page)
        links = self._links(exchange, page)
        if self._browser is not None and page is not None and 200 <= exchange.status < 300:
            async with self._browser_lock:
                visit = await self._browser.visit(url)
            if visit.failure:
                self.result.failures.append((url, visit.failure))
            for found in visit.endpoints:
                if self._options.submit_forms or found.method == "GET":
                    self.result.add_endpoint(found)
            links += visit.urls
        return links

    def _links(self, exchange: Exchange, page: Page | None) -> list[str]:
        base = exchange.url
        found: list[str] = []
        location = exchange.header("location")
        if 300 <= exchange.status < 400 and location:
            found.append(location.strip())
        if page is not None:
            found += page.links + page.script_sources
            for script in page.scripts:
                found += urls_in_script(script)
            for form in page.forms:
                if self._options.submit_forms:
                    self.result.add_endpoint(form_endpoint(form, base))
        elif "javascript" in exchange.content_type:
            found += urls_in_script(exchange.body)
        return [urljoin(base, link.strip()) for link in found if _followable(link)]


def _followable(link: str) -> bool:
    lowered = link.strip().lower()
    return bool(lowered) and not lowered.startswith(
        ("javascript:", "mailto:", "tel:", "data:", "#")
    )
