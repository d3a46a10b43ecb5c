"""Overhead of the shieldwall pytest plugin: 1,000 access-matrix cells on an in-process ASGI app.

Timings, each the best of --repeat runs:
  app      the ASGI app called directly 1,000 times (scope/receive/send, no HTTP client): the
           app's own time;
  runner   the plugin's checks without pytest (clients, requests, verdicts) for the 1,000 cells;
  trivial  pytest running 1,000 empty tests: pytest's own start-up and per-test cost;
  plain    pytest running 1,000 hand-written tests that each call the app directly;
  plugin   pytest running a plan of 1,000 cells (100 endpoints x 10 roles) through the plugin.
Overhead per cell beyond the app and pytest itself = (plugin - trivial - app) / 1,000; the
target is under 2 ms. Run:
    .venv/bin/python benchmarks/qa.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
import yaml

CELLS_ENDPOINTS = 100
ROLES = 10

APP = textwrap.dedent(
    """
    async def app(scope, receive, send):
        # role-N may read /r/M when M % 10 < N: a deterministic matrix of allow and deny.
        if scope["type"] != "http":
            return
        headers = dict(scope["headers"])
        role = int(headers.get(b"x-role", b"0"))
        resource = int(scope["path"].rsplit("/", 1)[1])
        status = 200 if resource % 10 < role else 403
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok" if status == 200 else b"no"})
    """
)


def _plan() -> dict[str, object]:
    roles = {f"r{n}": {"headers": {"X-Role": str(n)}} for n in range(ROLES)}
    endpoints = []
    for m in range(CELLS_ENDPOINTS):
        allow = [f"r{n}" for n in range(ROLES) if m % 10 < n]
        deny = [f"r{n}" for n in range(ROLES) if m % 10 >= n]
        endpoints.append({"method": "GET", "path": f"/r/{m}", "allow": allow, "deny": deny})
    return {"app": "bench_app:app", "roles": roles, "endpoints": endpoints}


def _time_app(directory: Path) -> float:
    sys.path.insert(0, str(directory))
    from bench_app import app  # type: ignore[import-not-found]

    async def call(path: str, role: int) -> None:
        scope = {"type": "http", "path": path, "headers": [(b"x-role", str(role).encode())]}

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            del message

        await app(scope, receive, send)

    async def loop() -> None:
        for m in range(CELLS_ENDPOINTS):
            for n in range(ROLES):
                await call(f"/r/{m}", n)

    start = time.perf_counter()
    asyncio.run(loop())
    return time.perf_counter() - start


def _time_runner(directory: Path) -> float:
    from shieldwall.qa.matrix import SecurityPlan
    from shieldwall.qa.runner import PlanRunner

    plan = SecurityPlan.model_validate(_plan())
    runner = PlanRunner(plan, directory)
    runner.check_cell(plan.endpoints[0], "r1", allow=True)  # import the app, build clients
    start = time.perf_counter()
    for endpoint in plan.endpoints:
        for role in endpoint.allow:
            runner.check_cell(endpoint, role, allow=True)
        for role in endpoint.deny:
            runner.check_cell(endpoint, role, allow=False)
    elapsed = time.perf_counter() - start
    runner.close()
    return elapsed


def _run_pytest(directory: Path, target: str) -> float:
    ini = directory / "pytest.ini"
    args = ["-q", "-p", "no:cacheprovider", "-c", str(ini), "--rootdir", str(directory)]
    start = time.perf_counter()
    code = pytest.main([*args, "--no-header", "-o", "console_output_style=classic", target])
    elapsed = time.perf_counter() - start
    if code not in (0, 1):
        raise SystemExit(f"pytest failed to run ({code})")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "pytest.ini").write_text("[pytest]\n")
        (directory / "bench_app.py").write_text(APP)
        (directory / "shieldwall-qa.yaml").write_text(yaml.safe_dump(_plan()))
        plain = directory / "plain"
        plain.mkdir()
        (plain / "test_plain.py").write_text(
            textwrap.dedent(
                f"""
                import asyncio, pytest
                from bench_app import app

                @pytest.mark.parametrize("m", range({CELLS_ENDPOINTS}))
                @pytest.mark.parametrize("n", range({ROLES}))
                def test_cell(m, n):
                    sent = []
                    async def receive():
                        return {{"type": "http.request", "body": b"", "more_body": False}}
                    async def send(message):
                        sent.append(message)
                    scope = {{"type": "http", "path": f"/r/{{m}}",
                              "headers": [(b"x-role", str(n).encode())]}}
                    asyncio.run(app(scope, receive, send))
                    assert sent[0]["status"] == (200 if m % 10 < n else 403)
                """
            )
        )
        trivial = directory / "trivial"
        trivial.mkdir()
        (trivial / "test_trivial.py").write_text(
            "import pytest\n\n@pytest.mark.parametrize('i', range(1000))\n"
            "def test_nothing(i):\n    pass\n"
        )
        cells = CELLS_ENDPOINTS * ROLES
        runner_time = min(_time_runner(directory) for _ in range(args.repeat))
        trivial_time = min(_run_pytest(directory, str(trivial)) for _ in range(args.repeat))
        app_time = min(_time_app(directory) for _ in range(args.repeat))
        plain_time = min(_run_pytest(directory, str(plain)) for _ in range(args.repeat))
        plugin_time = min(
            _run_pytest(directory, str(directory / "shieldwall-qa.yaml"))
            for _ in range(args.repeat)
        )
    rows = [
        ("app alone", app_time),
        ("plugin checks, no pytest", runner_time),
        ("pytest, 1,000 empty tests", trivial_time),
        ("pytest, hand-written tests", plain_time),
        ("pytest, plugin plan", plugin_time),
    ]
    print(f"\ncells: {cells}")
    for label, seconds in rows:
        print(f"{label:28} {seconds * 1000:9.1f} ms  {seconds / cells * 1e3:7.3f} ms/cell")
    overhead = (plugin_time - trivial_time - app_time) / cells * 1e3
    print(f"plugin overhead beyond the app and pytest itself: {overhead:.3f} ms/cell (target < 2)")
    beyond_app = (plugin_time - app_time) / cells * 1e3
    print(f"plugin overhead beyond the app alone: {beyond_app:.3f} ms/cell")


if __name__ == "__main__":
    main()
