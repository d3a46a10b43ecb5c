"""The only way the DAST scanner talks to the network: scope, budget, rate and size limits.

Every request goes through :meth:`DastClient.send`, which refuses out-of-scope URLs, counts the
request against the budget and the deadline, waits for the rate limit, never follows redirects
(a redirect is a link for the crawler, and following it could leave the scope), and reads at most
``max_body`` bytes of the response.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from shieldwall.core.errors import ShieldwallError
from shieldwall.core.frozen import FrozenDict
from shieldwall.dast.model import Exchange
from shieldwall.dast.scope import Scope

_BINARY = ("image/", "audio/", "video/", "font/", "application/zip", "application/pdf")
_MAX_RETRY_AFTER = 5.0


class ScanCutShort(ShieldwallError):
    """The request budget or the time limit is spent; the scan ends with what it has."""


class OutOfScopeError(ShieldwallError):
    """A request outside the scope was attempted and refused."""


class RequestFailedError(ShieldwallError):
    """The server did not answer properly (timeout, reset, invalid TLS, protocol error)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Hard bounds of one scan."""

    max_requests: int = 5000
    max_seconds: float = 600.0
    rps: float = 50.0
    concurrency: int = 8
    timeout: float = 10.0
    max_body: int = 1_000_000


# Called with the exchange just received; returns True when it re-established the session and
# the request should be sent again.
Relogin = Callable[[Exchange], Awaitable[bool]]


class DastClient:
    """Sends requests within scope and limits; records how many were sent."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        scope: Scope,
        limits: Limits,
        *,
        clock: Callable[[], float] = time.monotonic,
        base: str = "",
    ) -> None:
        self._http = http
        self._base = base
        self.scope = scope
        self.limits = limits
        self._clock = clock
        self._deadline = clock() + limits.max_seconds
        self._semaphore = asyncio.Semaphore(limits.concurrency)
        self._rate_lock = asyncio.Lock()
        self._next_slot = 0.0
        self.sent = 0
        self.refused: list[str] = []
        self.relogin: Relogin | None = None

    @property
    def base(self) -> str:
        """The URL the scan started from (relative URLs of config files resolve against it)."""
        return self._base

    @property
    def default_headers(self) -> httpx.Headers:
        """Headers sent with every request (auth adds its own)."""
        return self._http.headers

    @property
    def cookies(self) -> httpx.Cookies:
        """The session cookies (set by the server or by the login)."""
        return self._http.cookies

    def remaining(self) -> int:
        """Requests left in the budget."""
        return self.limits.max_requests - self.sent

    def time_left(self) -> float:
        """Seconds before the deadline."""
        return self._deadline - self._clock()

    async def send(
        self,
        method: str,
        url: str,
        *,
        data: Mapping[str, str] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        relogin: bool = True,
        content: str | None = None,
    ) -> Exchange:
        """Send one request; raise OutOfScopeError, ScanCutShort or RequestFailedError."""
        body = _Body(data, json, content)
        exchange = await self._send_once(method, url, body, headers)
        if exchange.status == 429:
            retry_after = _retry_after(exchange.header("retry-after"))
            await asyncio.sleep(min(retry_after, _MAX_RETRY_AFTER, max(self.time_left(), 0)))
            exchange = await self._send_once(method, url, body, headers)
        if relogin and self.relogin is not None and await self.relogin(exchange):
            exchange = await self._send_once(method, url, body, headers)
        return exchange

    async def _send_once(
        self, method: str, url: str, body: _Body, headers: Mapping[str, str] | None
    ) -> Exchange:
        if not self.scope.allows(url):
            self.refused.append(url)
            raise OutOfScopeError(f"refused out-of-scope request to {url}")
        if self.sent >= self.limits.max_requests:
            raise ScanCutShort(f"request budget of {self.limits.max_requests} spent")
        if self.time_left() <= 0:
            raise ScanCutShort(f"time limit of {self.limits.max_seconds:g} s reached")
        self.sent += 1  # reserved now so that concurrent senders cannot overdraw the budget
        try:
            await self._wait_for_slot()
        except ScanCutShort:
            self.sent -= 1
            raise
        async with self._semaphore:
            return await self._exchange(method, url, body, headers)

    async def _wait_for_slot(self) -> None:
        if self.limits.rps <= 0:
            return
        async with self._rate_lock:
            now = self._clock()
            wait = self._next_slot - now
            self._next_slot = max(now, self._next_slot) + 1.0 / self.limits.rps
        if wait > self.time_left():
            # The slot comes after the deadline: wait out the time left, then stop.
            await asyncio.sleep(max(self.time_left(), 0))
            raise ScanCutShort(f"time limit of {self.limits.max_seconds:g} s reached")
        if wait > 0:
            await asyncio.sleep(wait)

    async def _exchange(
        self, method: str, url: str, body: _Body, headers: Mapping[str, str] | None
    ) -> Exchange:
        try:
            return await self._exchange_once(method, url, body, headers)
        except RequestFailedError as exc:
            # A kept-alive connection the server closed just as it was reused: the request never
            # reached the application. Browsers send it again on a fresh connection; so do we.
            if not isinstance(exc.__cause__, httpx.RemoteProtocolError):
                raise
            return await self._exchange_once(method, url, body, headers)

    async def _exchange_once(
        self, method: str, url: str, body: _Body, headers: Mapping[str, str] | None
    ) -> Exchange:
        timeout = max(0.1, min(self.limits.timeout, self.time_left()))
        started = self._clock()
        try:
            request = self._http.build_request(
                method,
                url,
                data=body.data,
                json=body.json,
                content=body.content,
                headers=headers,
                timeout=timeout,
            )
            response = await self._http.send(request, stream=True, follow_redirects=False)
            try:
                raw, truncated = await _read_capped(response, self.limits.max_body, timeout)
            finally:
                await response.aclose()
        except (httpx.HTTPError, TimeoutError, UnicodeError, ValueError) as exc:
            raise RequestFailedError(f"{method} {url}: {type(exc).__name__}: {exc}") from exc
        content_type = response.headers.get("content-type", "").lower()
        return Exchange(
            method=method,
            url=url,
            request_headers=FrozenDict(dict(request.headers)),
            request_body=request.content.decode("utf-8", "replace")[:2000],
            status=response.status_code,
            headers=tuple(response.headers.multi_items()),
            body=_decode(raw, content_type, response.encoding),
            elapsed=self._clock() - started,
            truncated=truncated,
            content_type=content_type,
        )


@dataclass(frozen=True, slots=True)
class _Body:
    """What a request carries: form fields, a JSON value, or a document sent as given."""

    data: Mapping[str, str] | None = None
    json: Any = None
    content: str | None = None


async def _read_capped(response: httpx.Response, limit: int, timeout: float) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of the body, within ``timeout`` seconds for the whole body."""
    chunks: list[bytes] = []
    size = 0
    async with asyncio.timeout(timeout):
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size >= limit:
                return b"".join(chunks)[:limit], True
    return b"".join(chunks), False


def _decode(raw: bytes, content_type: str, encoding: str | None) -> str:
    """The body as text; binary bodies (media types, or NUL bytes) become empty."""
    if content_type.startswith(_BINARY) or b"\x00" in raw[:4096]:
        return ""
    try:
        return raw.decode(encoding or "utf-8", "replace")
    except LookupError:  # an unknown charset name in Content-Type
        return raw.decode("utf-8", "replace")


def _retry_after(value: str | None) -> float:
    try:
        return float(value) if value else 1.0
    except ValueError:
        return 1.0
