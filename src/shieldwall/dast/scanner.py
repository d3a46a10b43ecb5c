"""One DAST scan from start to report: crawl (with passive checks), then probes and attacks.

Hard limits (requests, time) end the scan early but never lose it: whatever was found is
returned, with a warning that says why the scan was cut short.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from shieldwall import __version__
from shieldwall.core.errors import ScanAbortedError
from shieldwall.core.finding import Finding
from shieldwall.core.frozen import FrozenDict
from shieldwall.core.result import ScanError, ScanResult, ScanStats
from shieldwall.dast import rules
from shieldwall.dast.auth import Authenticator, load_auth
from shieldwall.dast.browser import BrowserCrawler
from shieldwall.dast.checks.attack import Attack, Marker, send_endpoint
from shieldwall.dast.checks.backups import BackupProber, directories
from shieldwall.dast.checks.cookies import samesite_protects, session_samesite
from shieldwall.dast.checks.graphql import graphql_findings
from shieldwall.dast.checks.injection import CHECKS, XML_CHECKS
from shieldwall.dast.checks.passive import passive_findings
from shieldwall.dast.checks.probes import probe_cors, probe_files, wants_cors_probe
from shieldwall.dast.checks.xss import stored_xss_in
from shieldwall.dast.client import DastClient, OutOfScopeError, RequestFailedError, ScanCutShort
from shieldwall.dast.crawler import Crawler, CrawlOptions, CrawlResult
from shieldwall.dast.discovery import read_seeds
from shieldwall.dast.findings import FindingSet
from shieldwall.dast.graphql import (
    GraphqlApi,
    candidate_urls,
    endpoints,
    introspect,
    load_schema_file,
)
from shieldwall.dast.html import Page, parse_page
from shieldwall.dast.listener import CallbackListener
from shieldwall.dast.model import Endpoint, Exchange, ParamIn
from shieldwall.dast.openapi import load_openapi
from shieldwall.dast.options import DastOptions
from shieldwall.dast.rules import RULES, SCANNER
from shieldwall.dast.scope import Scope

_MAX_ERRORS = 200


@dataclass(frozen=True, slots=True)
class DastOutcome:
    """The scan result and the figures of the traffic it took."""

    result: ScanResult
    requests: int
    pages: int
    endpoints: int
    refused: tuple[str, ...]


def run_dast(
    options: DastOptions, *, transport: httpx.AsyncBaseTransport | None = None
) -> DastOutcome:
    """Run one scan to completion (or to its limits) and return its result."""
    return asyncio.run(_run(options, transport))


async def _run(options: DastOptions, transport: httpx.AsyncBaseTransport | None) -> DastOutcome:
    scope = Scope.for_target(
        options.target,
        extra_hosts=options.extra_hosts,
        prefixes=options.path_prefixes,
        excludes=options.excludes,
    )
    headers = dict(options.headers)
    if options.bearer:
        headers["Authorization"] = f"Bearer {options.bearer}"
    headers.setdefault("User-Agent", f"shieldwall-dast/{__version__}")
    started = time.monotonic()
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    async with httpx.AsyncClient(
        headers=headers,
        cookies=dict(options.cookies),
        verify=options.verify_tls,
        transport=transport,
        follow_redirects=False,
    ) as http:
        client = DastClient(http, scope, options.limits, base=options.target)
        scan = _Scan(client, options)
        # A backstop above the client's own deadline: no stage can outlive the time limit.
        backstop = options.limits.max_seconds + options.limits.timeout + 5
        try:
            async with asyncio.timeout(backstop):
                await scan.run()
        except TimeoutError:
            scan.warnings.append(f"time limit of {options.limits.max_seconds:g} s reached")
    return scan.outcome(time.monotonic() - started, started_at)


class _Scan:
    """The mutable state of one running scan (never shared between scans)."""

    def __init__(self, client: DastClient, options: DastOptions) -> None:
        self.client = client
        self.options = options
        self.findings = FindingSet()
        self.warnings: list[str] = []
        self.errors: list[ScanError] = []
        self.crawl = CrawlResult()
        self.markers = Marker()
        self.listener: CallbackListener | None = None
        self.session_cookies: dict[str, str] = {}  # name -> SameSite, as the crawl saw them

    async def run(self) -> None:
        try:
            await self._login()
            await self._crawl()
            if not self.options.passive_only:
                await self._openapi()
                await self._graphql()
                await self._start_listener()
                await self._active()
        except ScanCutShort as exc:
            self.warnings.append(f"scan cut short: {exc}")
        finally:
            if self.listener is not None:
                await self.listener.close()

    async def _start_listener(self) -> None:
        listener = CallbackListener(self.options.callback_host)
        try:
            await listener.start()
        except OSError as exc:
            host = self.options.callback_host
            self.warnings.append(f"SSRF checks skipped: cannot listen on {host}: {exc}")
            return
        self.listener = listener

    async def _login(self) -> None:
        if self.options.auth_file is None:
            return
        authenticator = Authenticator(load_auth(self.options.auth_file))
        try:
            await authenticator.login(self.client)
        except (RequestFailedError, OutOfScopeError) as exc:
            raise ScanAbortedError(f"login failed: {exc}") from exc
        self.client.relogin = authenticator.relogin_hook(self.client)

    async def _crawl(self) -> None:
        seeds = list(self.options.seeds)
        if self.options.seed_file is not None:
            seeds += read_seeds(self.options.seed_file, self.options.target)
        crawl_options = CrawlOptions(
            max_depth=self.options.max_depth,
            max_pages=self.options.max_pages,
            seeds=tuple(seeds),
            submit_forms=not self.options.passive_only,
        )
        if self.options.browser:
            click = not self.options.passive_only  # clicks start what a user would, not a reader
            async with BrowserCrawler(self.client, self._passive_exchange, click=click) as browser:
                await self._crawl_with(Crawler(self.client, crawl_options, self._passive, browser))
        else:
            await self._crawl_with(Crawler(self.client, crawl_options, self._passive))
        self._failures(self.crawl.failures)
        if self.crawl.cut_short:
            raise ScanCutShort(self.crawl.cut_short)

    async def _crawl_with(self, crawler: Crawler) -> None:
        self.crawl = crawler.result  # filled as it goes: a time-out mid-crawl keeps the pages
        await crawler.crawl(self.options.target)

    def _passive(self, exchange: Exchange, page: Page | None) -> None:
        self.findings.extend(passive_findings(exchange, page, self.options.secrets))
        for name, samesite in session_samesite(exchange).items():
            # The weakest value wins: one unprotected Set-Cookie is enough for a forgery.
            if samesite not in ("lax", "strict") or name not in self.session_cookies:
                self.session_cookies[name] = samesite

    def _passive_exchange(self, exchange: Exchange) -> None:
        """The passive checks on a response the browser's scripts asked for."""
        page = parse_page(exchange.body) if exchange.is_html and exchange.body else None
        self._passive(exchange, page)

    async def _openapi(self) -> None:
        if self.options.openapi is None:
            return
        endpoints = await load_openapi(self.options.openapi, self.client, self.options.target)
        for endpoint in endpoints:
            if self.client.scope.allows(endpoint.full_url()):
                self.crawl.add_endpoint(endpoint)
            else:
                self._failures([(endpoint.url, "OpenAPI operation outside the scope: skipped")])

    async def _graphql(self) -> None:
        """Endpoints that answer introspection: their checks, and their query fields to attack."""
        # Pages, and the endpoints scripts called (a browser crawl sees POSTs to /graphql).
        crawled = [page.url for page in self.crawl.pages]
        crawled += [endpoint.url for endpoint in self.crawl.endpoints.values()]
        given = self.options.graphql
        saved = None
        if self.options.graphql_schema is not None:
            saved = load_schema_file(self.options.graphql_schema)
            given = given or "/graphql"
        for url in candidate_urls(self.options.target, crawled, given):
            try:
                api = await introspect(self.client, url)
            except (RequestFailedError, OutOfScopeError) as exc:
                self._failures([(url, str(exc))])
                continue
            if api is None and saved is not None and self.client.scope.allows(url):
                api = GraphqlApi(url, saved, None)  # introspection refused: the saved schema
            if api is None:
                continue
            self.findings.extend(await self._guard(graphql_findings(self.client, api), url))
            for endpoint in endpoints(api):
                self.crawl.add_endpoint(endpoint)

    async def _active(self) -> None:
        target = self.options.target
        pages = list(self.crawl.pages)
        folders = directories(target, pages)
        self.findings.extend(await self._guard(probe_files(self.client, folders), target))
        prober = BackupProber(self.client)
        self.findings.extend(await self._guard(prober.probe(pages), target))
        for page in list(self.crawl.pages):
            if wants_cors_probe(page):
                self.findings.extend(await self._guard(probe_cors(self.client, page), page.url))
        endpoints = list(self.crawl.endpoints.values())
        outcomes = await asyncio.gather(
            *(self._attack_endpoint(endpoint) for endpoint in endpoints), return_exceptions=True
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        await self._stored_sweep()

    async def _stored_sweep(self) -> None:
        """Fetch every HTML page again: a payload stored through one form may show on any page."""
        if not self.markers.sent:
            return
        for page in list(self.crawl.pages):
            if page.method != "GET" or not page.is_html or not 200 <= page.status < 300:
                continue
            try:
                fresh = await self.client.send("GET", page.url)
            except (RequestFailedError, OutOfScopeError) as exc:
                self._failures([(page.url, str(exc))])
                continue
            self.findings.extend(stored_xss_in(fresh, self.markers))

    async def _attack_endpoint(self, endpoint: Endpoint) -> None:
        baseline = self.crawl.baselines.get(endpoint.key)
        if baseline is None:
            try:
                baseline = await send_endpoint(self.client, endpoint)
            except (RequestFailedError, OutOfScopeError) as exc:
                self._failures([(endpoint.url, str(exc))])
                return
        for param in endpoint.params:
            if not param.attackable:
                continue
            attack = Attack(self.client, endpoint, param, baseline, self.markers, self.listener)
            for check in XML_CHECKS if param.where is ParamIn.XML else CHECKS:
                self.findings.extend(await self._guard(check(attack), endpoint.url))

    async def _guard(self, work: Awaitable[list[Finding]], url: str) -> list[Finding]:
        """Run one check; a failed request loses that check only."""
        try:
            return await work
        except (RequestFailedError, OutOfScopeError) as exc:
            self._failures([(url, str(exc))])
            return []

    def _failures(self, failures: list[tuple[str, str]]) -> None:
        for url, message in failures:
            if len(self.errors) < _MAX_ERRORS:
                self.errors.append(ScanError(path=url, message=message, analyzer=SCANNER))

    def outcome(self, seconds: float, started_at: str) -> DastOutcome:
        findings = self.findings.all()
        if samesite_protects(self.session_cookies):
            # SameSite=Lax/Strict on every session cookie: a cross-site POST carries no session.
            findings = tuple(f for f in findings if f.rule.id != rules.CSRF.id)
        # Secrets in responses are reported under the secrets analyzer's own rules.
        by_scanner = Counter([SCANNER, *(f.scanner for f in findings)])
        by_scanner[SCANNER] -= 1
        stats = ScanStats(
            files_scanned=len(self.crawl.pages),
            duration_seconds=round(seconds, 3),
            findings_by_analyzer=FrozenDict(dict(by_scanner)),
        )
        known = {rule.id: rule for rule in RULES} | {f.rule.id: f.rule for f in findings}
        result = ScanResult(
            target=self.options.target,
            findings=findings,
            errors=tuple(self.errors),
            stats=stats,
            rules=FrozenDict(known),
            analyzers=tuple(by_scanner),
            warnings=tuple(self.warnings),
            started_at=started_at,
            tool_version=__version__,
        )
        return DastOutcome(
            result=result,
            requests=self.client.sent,
            pages=len(self.crawl.pages),
            endpoints=len(self.crawl.endpoints),
            refused=tuple(self.client.refused),
        )
