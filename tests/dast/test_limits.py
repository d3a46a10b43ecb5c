"""Scope, budget and time limits, and servers that misbehave: the scan always ends with a report."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from shieldwall.core.errors import UsageError
from shieldwall.dast import Limits
from shieldwall.dast.client import DastClient, OutOfScopeError
from shieldwall.dast.scope import Scope
from tests.dast.conftest import finding_keys, scan
from tests.servers.vulnapp.hostile import running_hostile
from tests.servers.vulnapp.legacy import running_legacy


def test_scope_hosts_prefixes_and_exclusions() -> None:
    scope = Scope.for_target(
        "http://app.test:8080/shop/",
        prefixes=("/shop/",),
        excludes=("/shop/admin*", r"re:delete=\d+"),
    )
    assert scope.allows("http://app.test:8080/shop/items?id=1")
    assert not scope.allows("http://app.test:8081/shop/items")  # another port
    assert not scope.allows("https://app.test:8080/shop/items")  # another scheme
    assert not scope.allows("http://evil.test/shop/")
    assert not scope.allows("http://app.test:8080/blog/")  # outside the prefix
    assert not scope.allows("http://app.test:8080/shop/admin/users")  # glob
    assert not scope.allows("http://app.test:8080/shop/items?delete=3")  # regex
    assert not scope.allows("http://app.test:8080/shop/logout")  # never a logout link
    assert not scope.allows("http://app.test:8080/shop/Sign-Out")


def test_bad_targets_and_patterns_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        Scope.for_target("ftp://app.test/")
    with pytest.raises(UsageError):
        Scope.for_target("http://app.test/", excludes=("re:(",))


def test_the_client_refuses_out_of_scope_requests() -> None:
    async def attempt() -> None:
        async with httpx.AsyncClient() as http:
            client = DastClient(http, Scope.for_target("http://127.0.0.1:9/"), Limits())
            await client.send("GET", "http://127.0.0.2:9/")

    with pytest.raises(OutOfScopeError):
        asyncio.run(attempt())


def test_request_budget_is_never_exceeded_and_a_report_comes_back(
    vulnapp: tuple[str, list[str]],
) -> None:
    url, hits = vulnapp
    start = len(hits)
    outcome = scan(url + "/", limits=Limits(rps=0, max_requests=40))
    assert outcome.requests == 40
    assert len(hits) - start == 40
    assert any("budget of 40" in w for w in outcome.result.warnings)
    assert outcome.result.findings  # passive findings from the pages it did see


def test_time_limit_ends_the_scan(vulnapp: tuple[str, list[str]]) -> None:
    url, _ = vulnapp
    started = time.monotonic()
    outcome = scan(url + "/", limits=Limits(rps=5, max_seconds=1.5))
    assert time.monotonic() - started < 8
    assert any("time limit" in w for w in outcome.result.warnings)


def test_rate_limit_is_respected(vulnapp: tuple[str, list[str]]) -> None:
    url, _ = vulnapp
    started = time.monotonic()
    outcome = scan(url + "/", limits=Limits(rps=20, max_requests=15))
    assert outcome.requests == 15
    assert time.monotonic() - started >= 14 / 20 - 0.05


def test_hostile_server_is_bounded_and_reported() -> None:
    with running_hostile() as url:
        started = time.monotonic()
        outcome = scan(
            url + "/",
            # Long enough for a loaded machine to serve the honest pages, far below the hang.
            limits=Limits(rps=0, max_seconds=30, timeout=2.0, max_body=200_000),
        )
    assert time.monotonic() - started < 15
    failed = {error.path.rsplit("/", 1)[-1] for error in outcome.result.errors}
    assert {"hang", "reset"} <= failed  # timeout and connection reset, each a per-URL error
    assert outcome.pages >= 6  # the loop, huge, binary, broken and rate-limited pages
    messages = " ".join(error.message for error in outcome.result.errors)
    assert "Timeout" in messages
    # the link after the broken markup and the page behind a 429 were still reached
    assert outcome.requests < 60


def test_openapi_operations_outside_the_scope_are_skipped(
    vulnapp: tuple[str, list[str]],
    tmp_path,
    recorder,  # type: ignore[no-untyped-def]
) -> None:
    url, _ = vulnapp
    document = tmp_path / "openapi.json"
    operation = {"get": {"parameters": [{"name": "q", "in": "query", "schema": {}}]}}
    spec = {
        "openapi": "3.0.0",
        "servers": [{"url": recorder.url + "/v1"}],
        "paths": {"/things": operation},
    }
    document.write_text(json.dumps(spec))
    before = list(recorder.hits)
    outcome = scan(url + "/nothing-here", openapi=str(document), path_prefixes=("/nothing",))
    assert recorder.hits == before
    assert any("outside the scope" in error.message for error in outcome.result.errors)


def test_malformed_urls_are_never_in_scope() -> None:
    scope = Scope.for_target("http://app.test/")
    assert not scope.allows("http://[::1/")
    assert not scope.allows("http://app.test:99999999/")


def test_crlf_injection_on_a_server_that_writes_headers_as_given() -> None:
    with running_legacy() as url:
        outcome = scan(url + "/")
    assert finding_keys(outcome) == {("SW-DAST-108", "GET", "/lang", "l")}
