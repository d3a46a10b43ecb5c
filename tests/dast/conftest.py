"""Fixtures: the vulnerable app, an out-of-scope recorder, and one shared full scan."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from shieldwall.dast import DastOptions, DastOutcome, Limits, run_dast
from tests.servers.vulnapp.app import create_app
from tests.servers.vulnapp.serve import running_app

Key = tuple[str, str, str, str]


@dataclass
class Recorder:
    """An out-of-scope server: any request it receives is a scope violation."""

    url: str = ""
    hits: list[str] = field(default_factory=list)


@dataclass
class Scanned:
    """A finished scan of the vulnerable app, and what the app saw."""

    outcome: DastOutcome
    hits: list[str]
    external: Recorder

    @property
    def keys(self) -> set[Key]:
        return finding_keys(self.outcome)


def finding_keys(outcome: DastOutcome) -> set[Key]:
    """(rule, method, path, parameter) of every finding."""
    return {
        (
            f.rule.id,
            f.location.method,
            urlsplit(f.location.path).path,
            getattr(f.location, "parameter", "") or "",
        )
        for f in outcome.result.findings
    }


@pytest.fixture(scope="session")
def recorder() -> Iterator[Recorder]:
    record = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            record.hits.append(self.path)
            self.send_response(200)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    record.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield record
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def vulnapp(recorder: Recorder) -> Iterator[tuple[str, list[str]]]:
    """(base URL, hits) of a running vulnerable app that links to the recorder."""
    app = create_app(recorder.url)
    with running_app(app) as url:
        yield url, app.hits


def scan(url: str, **options: object) -> DastOutcome:
    """A scan with test-friendly limits (no rate limit, bounded time)."""
    limits = options.pop("limits", Limits(rps=0, max_seconds=60, timeout=5))
    return run_dast(DastOptions(target=url, limits=limits, **options))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def full_scan(vulnapp: tuple[str, list[str]], recorder: Recorder) -> Scanned:
    """One full active scan of the app, shared by the end-to-end assertions."""
    url, hits = vulnapp
    start = len(hits)
    outcome = scan(url + "/")
    return Scanned(outcome, hits[start:], recorder)
