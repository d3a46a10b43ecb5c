"""Hub benchmark (issue 7): import speed, dedupe speed, and API latency at 1M findings.

Against PostgreSQL (``SHIELDWALL_BENCH_POSTGRES_URL``, else ``SHIELDWALL_TEST_POSTGRES_URL``; a
fresh database is created and dropped):

1. upload a 50,000-finding SARIF through the HTTP API (findings/s),
2. upload the same findings again in a new document (the dedupe path, findings/s),
3. fill the database to 1,000,000 findings (10 projects) and measure the findings list and the
   dashboard metrics with a small HTTP load generator on 127.0.0.1 (p50/p95).

Targets: import >= 5,000 findings/s, re-import >= 10,000/s, list and metrics p95 < 200 ms.

    .venv/bin/python benchmarks/hub.py [--findings 50000] [--total 1000000] [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from shieldwall.hub.auth.service import create_token, create_user
from shieldwall.hub.db.engine import make_engine, make_session_factory, transaction
from shieldwall.hub.db.migrate import upgrade
from shieldwall.hub.enums import Role, TokenScope
from shieldwall.hub.metrics.counters import rebuild
from shieldwall.hub.projects.service import create_project

ROOT = Path(__file__).resolve().parent.parent


def sarif(n: int, salt: str) -> bytes:
    """A SARIF log with n distinct findings over 300 rules and 5,000 files."""
    levels = ("error", "warning", "note")
    rules = [
        {
            "id": f"bench.rule-{r}",
            "shortDescription": {"text": f"Benchmark rule {r}"},
            "properties": {"tags": ["security", f"external/cwe/cwe-{r % 900 + 20}"]},
        }
        for r in range(300)
    ]
    results = [
        {
            "ruleId": f"bench.rule-{i % 300}",
            "ruleIndex": i % 300,
            "level": levels[i % 3],
            "message": {"text": f"finding {i} of the benchmark"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f"src/module_{i % 5000}.py"},
                        "region": {"startLine": i % 400 + 1, "snippet": {"text": f"call_{i}(x)"}},
                    }
                }
            ],
            "partialFingerprints": {"primaryLocationLineHash": f"{i:08x}"},
        }
        for i in range(n)
    ]
    run = {
        "tool": {"driver": {"name": "benchtool", "rules": rules}},
        "results": results,
        "properties": {"salt": salt},
    }
    return json.dumps({"version": "2.1.0", "$schema": "sarif-2.1.0", "runs": [run]}).encode()


FILL_SQL = """
INSERT INTO findings (project_id, fingerprint, rule_id, title, scanner, severity, severity_rank,
  confidence, message, cwe, aliases, location_kind, path, line, location, properties, status,
  regression, first_seen, last_seen, fixed_at, sla_due)
SELECT p.id, md5(p.id::text || ':' || i), 'R' || (i % 300), 'Rule ' || (i % 300),
  (ARRAY['semgrep','trivy','bandit','checkov'])[1 + i % 4],
  (ARRAY['critical','high','medium','low','info'])[1 + i % 5], 4 - i % 5, 'high',
  'synthetic finding ' || i, 'CWE-' || (i % 900 + 20), '[]', 'source',
  'src/file_' || (i % 20000) || '.py', i % 500 + 1, '{"kind": "source"}', '{}',
  CASE WHEN i % 20 < 12 THEN 'fixed' WHEN i % 20 < 19 THEN 'open' ELSE 'false_positive' END,
  false, now() - make_interval(days => i % 365), now(),
  CASE WHEN i % 20 < 12 THEN now() - make_interval(days => i % 365)
       + make_interval(days => i % 45) END,
  now() - make_interval(days => i % 365) + make_interval(days => 30)
FROM generate_series(1, :per_project) AS i, projects AS p WHERE p.name LIKE 'fill-%'
"""


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SHIELDWALL_DATABASE_URL": url}
    code = "from shieldwall.cli.hub import app; app()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the hub did not start")


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a local process (the hub, or a PostgreSQL backend)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def database_cpu(engine: Any) -> dict[int, float]:
    """CPU seconds of every backend connected to the benchmark's database (PostgreSQL is local)."""
    with engine.connect() as conn:
        pids = conn.execute(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
        ).scalars()
        return {int(pid): cpu_seconds(int(pid)) for pid in pids}


def load(base: str, token: str, path: str, requests: int, concurrency: int) -> dict[str, float]:
    """Send ``requests`` GETs with ``concurrency`` clients; latency percentiles in ms."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = requests // concurrency

    def client() -> None:
        with httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
        ) as http:
            for _ in range(per_client):
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
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "requests": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--findings", type=int, default=50_000)
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    server_url = os.environ.get("SHIELDWALL_BENCH_POSTGRES_URL") or os.environ.get(
        "SHIELDWALL_TEST_POSTGRES_URL"
    )
    if not server_url:
        raise SystemExit("set SHIELDWALL_BENCH_POSTGRES_URL (a PostgreSQL server URL)")
    name = f"sw_hub_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    results: dict[str, object] = {"database": "postgresql", "findings": args.findings}
    process = None
    try:
        engine = make_engine(url)
        upgrade(engine)
        sessions = make_session_factory(engine)
        with transaction(sessions) as session:
            user = create_user(session, "bench", None, Role.ADMIN, "bench")
            create_project(session, "bench", "", "bench")
            for p in range(10):
                create_project(session, f"fill-{p}", "", "bench")
            token = create_token(
                session,
                user=user,
                name="bench",
                scope=TokenScope.ADMIN,
                project=None,
                expires_days=1,
                actor="bench",
            ).token
        process = serve(url, args.port)
        base = f"http://127.0.0.1:{args.port}"
        headers = {"Authorization": f"Bearer {token}"}
        first, second = sarif(args.findings, "first"), sarif(args.findings, "second")
        with httpx.Client(base_url=base, headers=headers, timeout=3600) as http:
            for label, document in (("import", first), ("reimport", second)):
                # The machine is shared: CPU seconds of the hub and of PostgreSQL say what the
                # work costs whatever else runs; wall time says what this run saw.
                hub_cpu, db_cpu = cpu_seconds(process.pid), database_cpu(engine)
                start = time.perf_counter()
                response = http.post("/api/v1/projects/bench/scans?branch=main", content=document)
                elapsed = time.perf_counter() - start
                hub_cpu = cpu_seconds(process.pid) - hub_cpu
                db_after = database_cpu(engine)
                pg_cpu = sum(db_after[p] - db_cpu.get(p, 0.0) for p in db_after)
                response.raise_for_status()
                body = response.json()
                results[label] = {
                    "seconds": round(elapsed, 2),
                    "findings_per_second": round(args.findings / elapsed),
                    "hub_cpu_seconds": round(hub_cpu, 2),
                    "postgres_cpu_seconds": round(pg_cpu, 2),
                    "findings_per_cpu_second": round(args.findings / (hub_cpu + pg_cpu)),
                    "new": body["new"],
                    "total": body["total"],
                    "mb": round(len(document) / 1e6, 1),
                    "load_average_1m": round(os.getloadavg()[0], 1),
                }
                print(label, results[label], flush=True)
        per_project = (args.total - args.findings) // 10
        start = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text(FILL_SQL), {"per_project": per_project})
            # The fill writes findings directly: recompute the counters an import maintains.
            rebuild(conn)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        with engine.connect() as conn:
            total = conn.execute(text("SELECT count(*) FROM findings")).scalar()
        results["filled"] = {"findings": total, "seconds": round(time.perf_counter() - start, 1)}
        print("filled", results["filled"], flush=True)
        queries = {
            "list project open": "/api/v1/findings?project=fill-3&status=open",
            "list project high+critical open": (
                "/api/v1/findings?project=fill-3&status=open&severity=high&severity=critical"
                "&sort=severity"
            ),
            "list all projects open": "/api/v1/findings?status=open",
            "list text search": "/api/v1/findings?project=fill-3&q=file_1234.py",
            "list text search all projects": "/api/v1/findings?q=file_1234.py",
            "list branch open": "/api/v1/findings?project=bench&branch=main&status=open",
            "metrics project": "/api/v1/metrics?project=fill-3",
            "metrics all projects": "/api/v1/metrics",
        }
        latency = {}
        for label, path in queries.items():
            load(base, token, path, 8, 2)  # warm up
            latency[label] = load(base, token, path, args.requests, args.concurrency)
            print(label, latency[label], flush=True)
        results["latency"] = latency
        results["load_average"] = [round(x, 1) for x in os.getloadavg()]
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
