"""Hub web benchmark (issue 8): dashboard and findings pages with 1,000,000 findings in PostgreSQL.

A fresh database (``SHIELDWALL_BENCH_POSTGRES_URL``, else ``SHIELDWALL_TEST_POSTGRES_URL``) is
filled with synthetic findings over 10 projects (the SQL of ``benchmarks/hub.py``), the hub is
served by uvicorn on 127.0.0.1, a user logs in through the login form, and a small HTTP load
generator requests each page. Target: p95 under 300 ms per page. The database is dropped at exit.

    .venv/bin/python benchmarks/hub_web.py [--total 1000000] [--requests 100] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# benchmarks/secrets.py would shadow the standard library's ``secrets``: import from the root.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]

import httpx  # noqa: E402
from benchmarks.hub import FILL_SQL, serve  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from shieldwall.hub.auth.service import create_user  # noqa: E402
from shieldwall.hub.db.engine import make_engine, make_session_factory, transaction  # noqa: E402
from shieldwall.hub.db.migrate import upgrade  # noqa: E402
from shieldwall.hub.enums import Role  # noqa: E402
from shieldwall.hub.metrics.counters import rebuild  # noqa: E402
from shieldwall.hub.projects.service import create_project  # noqa: E402

PASSWORD = "benchmark password"
PAGES = {
    "dashboard": "/",
    "findings (all projects, newest)": "/findings",
    "findings (one project, open, high+critical, by severity)": (
        "/findings?project=fill-3&status=open&severity=high&severity=critical&sort=severity"
    ),
    "findings (page 50)": "/findings?status=open&page=50",
    "findings (text search)": "/findings?project=fill-3&q=file_1234.py",
    "project page": "/projects/fill-3",
    "finding page (tickets, forge links)": "/findings/1",
    "settings: notifications (channels, rules, delivery log)": "/settings/notifications",
    "settings: integrations": "/settings/integrations",
}


def login(base: str) -> httpx.Cookies:
    """Log in through the form, as a browser does."""
    with httpx.Client(base_url=base, timeout=60) as http:
        form = http.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]*)"', form.text)
        assert token is not None
        response = http.post(
            "/login",
            data={"username": "bench", "password": PASSWORD, "csrf_token": token.group(1)},
        )
        if response.status_code != 303:
            raise SystemExit(f"login failed: {response.status_code}")
        return http.cookies


def load(
    base: str, cookies: httpx.Cookies, path: str, requests: int, concurrency: int
) -> dict[str, float]:
    """``requests`` GETs over ``concurrency`` clients; latency percentiles in ms."""
    latencies: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=base, cookies=cookies, timeout=120) as http:
            for _ in range(requests // concurrency):
                start = time.perf_counter()
                response = http.get(path)
                elapsed = (time.perf_counter() - start) * 1000
                response.raise_for_status()
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[max(int(len(latencies) * 0.95) - 1, 0)], 1),
        "requests": len(latencies),
    }


def main() -> None:
    """Fill, serve, measure, drop."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=8792)
    args = parser.parse_args()
    server_url = os.environ.get("SHIELDWALL_BENCH_POSTGRES_URL") or os.environ.get(
        "SHIELDWALL_TEST_POSTGRES_URL"
    )
    if not server_url:
        raise SystemExit("set SHIELDWALL_BENCH_POSTGRES_URL (a PostgreSQL server URL)")
    name = f"sw_hub_web_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    process = None
    try:
        engine = make_engine(url)
        upgrade(engine)
        with transaction(make_session_factory(engine)) as session:
            create_user(session, "bench", PASSWORD, Role.ADMIN, "bench")
            for p in range(10):
                create_project(session, f"fill-{p}", "", "bench")
        start = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text(FILL_SQL), {"per_project": args.total // 10})
            rebuild(conn)  # the fill bypasses the counters an import maintains
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE findings"))
        results: dict[str, object] = {
            "findings": args.total,
            "fill_seconds": round(time.perf_counter() - start, 1),
        }
        process = serve(url, args.port)
        base = f"http://127.0.0.1:{args.port}"
        cookies = login(base)
        latency = {}
        for label, path in PAGES.items():
            load(base, cookies, path, 4, 2)  # warm up
            latency[label] = load(base, cookies, path, args.requests, args.concurrency)
            print(label, latency[label], flush=True)
        results["latency"] = latency
        print(json.dumps(results, indent=2))
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
