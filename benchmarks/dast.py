"""DAST benchmark: shieldwall vs wapiti (and sqlmap for SQL injection) on the test application.

Each tool scans the deliberately vulnerable app of ``tests/servers/vulnapp`` (served here on
127.0.0.1, never anything else). The app logs every request, so requests are counted the same
way for every tool. Recall and false positives are scored per vulnerability class against
``tests/servers/vulnapp/expected.py``: a finding on a route outside the expected set for that
class (a safe twin) is a false positive.

Peers live in their own venv (``--peers /tmp/dastpeers``)::

    python3 -m venv /tmp/dastpeers && /tmp/dastpeers/bin/pip install wapiti3 sqlmap
    .venv/bin/python benchmarks/dast.py --peers /tmp/dastpeers [--browser]

``--browser`` adds a row for ``shieldwall dast --browser`` (needs playwright and chromium), scored
against the planted vulnerabilities plus the single-page app's, which only a browser reaches.
Wall time and the CPU seconds of each tool's processes are reported (the app runs in this
process and is not counted).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
# The repository root goes first on sys.path, so that ``tests.servers`` imports.
sys.path[0] = str(ROOT)

from tests.servers.vulnapp.app import create_app  # noqa: E402
from tests.servers.vulnapp.expected import ACTIVE, BROWSER  # noqa: E402
from tests.servers.vulnapp.serve import running_app  # noqa: E402

CLASSES = {
    "SW-DAST-101": "xss",
    "SW-DAST-102": "xss",
    "SW-DAST-103": "sqli",
    "SW-DAST-104": "cmd",
    "SW-DAST-105": "path",
    "SW-DAST-106": "redirect",
    "SW-DAST-107": "ssti",
    "SW-DAST-015": "files",  # .git, .env, backup and editor files
    "SW-DAST-020": "graphql",
    "SW-DAST-021": "graphql",
    "SW-DAST-022": "graphql",
}
WAPITI_CLASSES = {
    "Cross Site Scripting": "xss",
    "Stored Cross Site Scripting": "xss",
    "SQL Injection": "sqli",
    "Blind SQL Injection": "sqli",
    "Command execution": "cmd",
    "Path Traversal": "path",
    "Open Redirect": "redirect",
    "Server Side Template Injection": "ssti",
    "Backup file": "files",
    "Htaccess Bypass": "files",
}
# wapiti 3.2 has no template-injection module; its ssrf module needs an external endpoint.
WAPITI_MODULES = "xss,permanentxss,sql,exec,file,redirect,backup"
SQLI_ROUTES = (
    "/sqli/item?id=1",
    "/sqli/item-safe?id=1",
    "/sqli/blind?name=apple",
    "/sqli/blind-safe?name=apple",
)

Hit = tuple[str, str]  # (class, path)


def truth(*, browser: bool = False) -> set[Hit]:
    """(class, path) of every planted active vulnerability (with the SPA's, for a browser)."""
    planted = ACTIVE | BROWSER if browser else ACTIVE
    return {(CLASSES[rule], path) for rule, _, path, _ in planted if rule in CLASSES}


def run_shieldwall(url: str, out: Path, *extra: str) -> set[Hit]:
    """shieldwall dast, as a user runs it."""
    report = out / "shieldwall.json"
    cmd = [
        str(ROOT / ".venv/bin/shieldwall"),
        "dast",
        url + "/",
        "--rps",
        "0",
        "-q",
        "--fail-on",
        "none",
        "-o",
        str(report),
        *extra,
    ]
    subprocess.run(cmd, check=True, capture_output=True)
    found = set()
    for finding in json.loads(report.read_text())["findings"]:
        rule = finding["rule"]["id"] if isinstance(finding["rule"], dict) else finding["rule"]
        if rule in CLASSES:
            found.add((CLASSES[rule], urlsplit(finding["location"]["url"]).path))
    return found


def run_wapiti(peers: Path, url: str, out: Path) -> set[Hit]:
    """wapiti with the attack modules of the compared classes and hard time bounds."""
    report = out / "wapiti.json"
    cmd = [
        str(peers / "bin/wapiti"),
        "-u",
        url + "/",
        "--scope",
        "folder",
        "-m",
        WAPITI_MODULES,
        "-f",
        "json",
        "-o",
        str(report),
        "--flush-session",
        "--max-scan-time",
        "600",
        "--max-attack-time",
        "120",
        "-x",
        url + "/logout*",
        "--no-bugreport",
    ]
    subprocess.run(cmd, capture_output=True, timeout=900, check=False)
    found = set()
    data = json.loads(report.read_text()) if report.exists() else {"vulnerabilities": {}}
    for category, items in data.get("vulnerabilities", {}).items():
        cls = next(
            (c for name, c in WAPITI_CLASSES.items() if name.lower() in category.lower()), None
        )
        for item in items if cls else ():
            found.add((cls, urlsplit(item.get("path", "")).path or item.get("path", "")))
    return found


def run_sqlmap(peers: Path, url: str, out: Path) -> set[Hit]:
    """sqlmap on each SQL route (vulnerable and safe), boolean/error/UNION techniques."""
    found = set()
    for route in SQLI_ROUTES:
        cmd = [
            str(peers / "bin/sqlmap"),
            "-u",
            url + route,
            "--batch",
            "--answers=testing=Y",
            "--technique=BEU",
            "--flush-session",
            "--output-dir",
            str(out / "sqlmap"),
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
        if "identified the following injection point" in result.stdout:
            found.add(("sqli", urlsplit(route).path))
    return found


def score(found: set[Hit], expected: set[Hit], classes: set[str]) -> dict[str, dict[str, float]]:
    """Recall and false positives per class."""
    table = {}
    for cls in sorted(classes):
        positives = {h for h in expected if h[0] == cls}
        hits = {h for h in found if h[0] == cls}
        table[cls] = {
            "recall": len(hits & positives) / len(positives) if positives else 1.0,
            "false_positives": len(hits - positives),
        }
    return table


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(hits: list[str], run, url: str) -> tuple[set[Hit], int, float, float]:  # type: ignore[no-untyped-def]
    """Run one tool: what it found, the requests the app received, wall and CPU seconds."""
    start, began, cpu = len(hits), time.monotonic(), _children_cpu()
    found = run(url)
    return found, len(hits) - start, time.monotonic() - began, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=Path, help="venv with wapiti3 and sqlmap installed")
    parser.add_argument("--only", action="append", help="run only this tool (repeatable)")
    parser.add_argument("--browser", action="store_true", help="add shieldwall --browser")
    args = parser.parse_args()
    expected = truth()
    classes = {c for c, _ in expected}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        tools = [("shieldwall", lambda url: run_shieldwall(url, out), classes)]
        if args.browser:
            browse = ("shieldwall --browser", lambda url: run_shieldwall(url, out, "--browser"))
            tools.append((*browse, classes))
        if args.peers:
            tools.append(("wapiti", lambda url: run_wapiti(args.peers, url, out), classes))
            tools.append(("sqlmap", lambda url: run_sqlmap(args.peers, url, out), {"sqli"}))
        for name, run, tool_classes in tools:
            if args.only and name not in args.only:
                continue
            app = create_app()  # a fresh app (empty guestbook) per tool
            with running_app(app) as url:
                found, requests, seconds, cpu = measure(app.hits, run, url)
            planted = truth(browser=name.endswith("--browser"))
            wanted = {h for h in planted if h[0] in tool_classes}
            table = score(found, wanted, tool_classes)
            overall = len(found & wanted) / len(wanted)
            fps = sum(int(row["false_positives"]) for row in table.values())
            rows.append((name, table, overall, fps, requests, seconds, cpu, found, wanted))
    for name, table, overall, fps, requests, seconds, cpu, found, wanted in rows:
        print(
            f"\n{name}: recall {overall:.2f}, false positives {fps}, "
            f"{requests} requests, {seconds:.1f} s wall, {cpu:.1f} CPU-s"
        )
        for cls, row in table.items():
            print(f"  {cls:9} recall {row['recall']:.2f}  false positives {row['false_positives']}")
        for cls, path in sorted(found - wanted):
            print(f"  false positive: {cls} {path}")
        for cls, path in sorted(wanted - found):
            print(f"  missed: {cls} {path}")


if __name__ == "__main__":
    main()
