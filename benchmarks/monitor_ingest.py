"""Monitor ingest benchmark: syslog over TCP into ``monitor run`` vs rsyslog, and HTTP ingest.

Messages: the Loghub OpenSSH lines of ``tests/data/monitor/logs/openssh.log`` (RFC 3164), repeated
to ``--messages``, sent with RFC 6587 octet counting over one TCP connection by a separate
process, so the sender's CPU is not counted.

- shieldwall: the daemon with a ``syslog`` TCP source and the built-in rules (receive, frame,
  parse, normalise, detect, group); measured from the first byte sent until every message was
  processed, CPU of the daemon process (listener threads included).
- rsyslog (the floor of syslog reception; Debian package ``rsyslog``): ``imtcp`` into ``omfile``
  with the raw message, no parsing or detection; CPU of the rsyslogd process.
- HTTP ingest (no peer): CloudTrail JSON lines POSTed in batches of ``--batch`` by a separate
  process; each request is answered after its events were processed (the acknowledged path).

    .venv/bin/python benchmarks/monitor_ingest.py --messages 200000
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)
LOGS = ROOT / "tests" / "data" / "monitor" / "logs"
TOKEN = "benchmark-ingest-token-0123456789"

SENDER = r"""
import socket, sys
port, path = int(sys.argv[1]), sys.argv[2]
data = open(path, "rb").read()
with socket.create_connection(("127.0.0.1", port)) as sock:
    sock.sendall(data)
"""

HTTP_SENDER = r"""
import sys, urllib.request
port, path, batch, token = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
lines = open(path, "rb").read().splitlines()
for start in range(0, len(lines), batch):
    body = b"\n".join(lines[start:start + batch])
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/ingest", data=body, method="POST",
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/x-ndjson"},
    )
    urllib.request.urlopen(request, timeout=120).read()
"""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _payload(count: int, folder: Path) -> Path:
    lines = [x.encode() for x in (LOGS / "openssh.log").read_text().splitlines() if x.strip()]
    framed = bytearray()
    for index in range(count):
        line = lines[index % len(lines)]
        framed += f"{len(line)} ".encode() + line
    path = folder / "payload.bin"
    path.write_bytes(bytes(framed))
    return path


def _drive(daemon: object, target: int, report_of: object) -> tuple[float, float]:
    """Cycle the daemon until ``target`` messages were handled; (wall, CPU) seconds."""
    from shieldwall.monitor.daemon import MonitorDaemon

    assert isinstance(daemon, MonitorDaemon)
    del report_of
    seen = 0
    wall0, cpu0 = time.perf_counter(), _cpu()
    while seen < target:
        report = daemon.cycle()
        seen += report.events + len(report.problems)
        if not report.events:
            time.sleep(0.005)
    return time.perf_counter() - wall0, _cpu() - cpu0


def shieldwall_tcp(payload: Path, count: int, folder: Path) -> tuple[float, float, int]:
    """Messages through the daemon's TCP syslog source: (wall s, CPU s, alerts)."""
    from shieldwall.monitor.config import MonitorConfig
    from shieldwall.monitor.daemon import MonitorDaemon
    from shieldwall.monitor.ruleset import load_rules
    from shieldwall.monitor.sinks import JsonLinesSink
    from shieldwall.monitor.sources import Inbox
    from shieldwall.monitor.sources.listeners import Listeners

    config = MonitorConfig.model_validate(
        {
            "sources": [{"kind": "syslog", "protocol": "tcp", "port": 0}],
            "state_dir": folder / "state",
            "year": 2026,
        }
    )
    listeners = Listeners.start(config.sources, Inbox(config.inbox_capacity), {})
    with (folder / "alerts.jsonl").open("w") as out:
        daemon = MonitorDaemon(
            config, load_rules([], builtin=True), [JsonLinesSink(out)], listeners=listeners
        )
        port = listeners.addresses()[0][1]
        sender = subprocess.Popen([sys.executable, "-c", SENDER, str(port), str(payload)])
        wall, cpu = _drive(daemon, count, None)
        sender.wait()
        listeners.stop()
    alerts = sum(1 for _ in (folder / "alerts.jsonl").open())
    return wall, cpu, alerts


def shieldwall_http(count: int, batch: int, folder: Path) -> tuple[float, float]:
    """CloudTrail records through the HTTP ingest endpoint: (wall s, CPU s)."""
    from shieldwall.monitor.config import MonitorConfig
    from shieldwall.monitor.daemon import MonitorDaemon
    from shieldwall.monitor.ruleset import load_rules
    from shieldwall.monitor.sources import Inbox
    from shieldwall.monitor.sources.listeners import Listeners

    lines = (LOGS / "cloudtrail.jsonl").read_text().splitlines()
    path = folder / "records.jsonl"
    path.write_text("\n".join(lines[i % len(lines)] for i in range(count)) + "\n")
    config = MonitorConfig.model_validate(
        {"sources": [{"kind": "http", "port": 0, "token_env": "T"}], "state_dir": folder / "s2"}
    )
    listeners = Listeners.start(config.sources, Inbox(config.inbox_capacity), {"T": TOKEN})
    daemon = MonitorDaemon(config, load_rules([], builtin=True), [], listeners=listeners)
    port = listeners.addresses()[0][1]
    args = [sys.executable, "-c", HTTP_SENDER, str(port), str(path), str(batch), TOKEN]
    sender = subprocess.Popen(args)
    wall0, cpu0 = time.perf_counter(), _cpu()
    stop = threading.Event()
    while sender.poll() is None and not stop.is_set():
        if not daemon.cycle().events:
            time.sleep(0.002)
    wall, cpu = time.perf_counter() - wall0, _cpu() - cpu0
    listeners.stop()
    if sender.returncode:
        raise SystemExit(f"the HTTP sender failed ({sender.returncode})")
    return wall, cpu


def _proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rsyslog_tcp(payload: Path, count: int, folder: Path) -> tuple[float, float] | None:
    """The same messages into rsyslog's imtcp -> omfile: (wall s, CPU s), or None if absent."""
    binary = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"
    if not Path(binary).exists():
        return None
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = folder / "rsyslog.out"
    (folder / "rs").mkdir()
    conf = folder / "rsyslog.conf"
    conf.write_text(
        f'global(workDirectory="{folder / "rs"}")\n'
        'module(load="imtcp")\n'
        f'input(type="imtcp" port="{port}" address="127.0.0.1")\n'
        'template(name="raw" type="string" string="%msg%\\n")\n'
        f'*.* action(type="omfile" file="{out}" template="raw")\n'
    )
    daemon = subprocess.Popen(
        [binary, "-n", "-f", str(conf), "-i", str(folder / "rsyslog.pid")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:  # wait until it listens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or daemon.poll() is not None:
                    raise SystemExit("rsyslogd did not start") from None
                time.sleep(0.1)
        cpu0 = _proc_cpu(daemon.pid)
        wall0 = time.perf_counter()
        sender = subprocess.Popen([sys.executable, "-c", SENDER, str(port), str(payload)])
        while True:
            lines = out.read_bytes().count(b"\n") if out.exists() else 0
            if lines >= count:
                break
            time.sleep(0.01)
        wall = time.perf_counter() - wall0
        cpu = _proc_cpu(daemon.pid) - cpu0
        sender.wait()
        return wall, cpu
    finally:
        daemon.terminate()
        daemon.wait()


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--http-records", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--no-peer", action="store_true", help="skip rsyslog")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        payload = _payload(args.messages, folder)
        wall, cpu, alerts = shieldwall_tcp(payload, args.messages, folder)
        print(f"shieldwall syslog/TCP: {args.messages} messages, {alerts} alerts")
        print(f"  wall {wall:.2f} s ({args.messages / wall:,.0f} msg/s), CPU {cpu:.2f} s "
              f"({args.messages / cpu:,.0f} msg per CPU-s)")  # fmt: skip
        peer = None if args.no_peer else rsyslog_tcp(payload, args.messages, folder)
        if peer is not None:
            p_wall, p_cpu = peer
            rate, per_cpu = args.messages / p_wall, args.messages / max(p_cpu, 1e-6)
            print(f"rsyslog imtcp->omfile: wall {p_wall:.2f} s ({rate:,.0f} msg/s), "
                  f"CPU {p_cpu:.2f} s ({per_cpu:,.0f} msg per CPU-s)")  # fmt: skip
            print(f"  shieldwall/rsyslog: wall {p_wall / wall:.3f}x, CPU {p_cpu / cpu:.3f}x "
                  "(rsyslog receives and writes; shieldwall parses and detects too)")  # fmt: skip
        h_wall, h_cpu = shieldwall_http(args.http_records, args.batch, folder)
        print(f"shieldwall HTTP ingest: {args.http_records} CloudTrail records in batches of "
              f"{args.batch}: wall {h_wall:.2f} s ({args.http_records / h_wall:,.0f} rec/s), "
              f"CPU {h_cpu:.2f} s ({args.http_records / h_cpu:,.0f} rec per CPU-s)")  # fmt: skip


if __name__ == "__main__":
    main()
