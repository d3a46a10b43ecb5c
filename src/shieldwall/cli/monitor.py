"""``shieldwall monitor``: replay logs through detection rules, and test or check rule sets."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import httpx
import redis
import typer

from shieldwall.cli.errors import ExitCode, handle_errors
from shieldwall.core.errors import UsageError
from shieldwall.monitor.alerts import Alert
from shieldwall.monitor.config import MonitorConfig, load_monitor_config
from shieldwall.monitor.daemon import MonitorDaemon
from shieldwall.monitor.errors import SinkError
from shieldwall.monitor.leaks import leak_watch
from shieldwall.monitor.parsers import LogFormat
from shieldwall.monitor.pipeline import replay
from shieldwall.monitor.ruleset import RuleSet, load_rules
from shieldwall.monitor.rulestest import test_rules
from shieldwall.monitor.scale import RedisIngest, RedisWorker
from shieldwall.monitor.sinks import AlertSink, JsonLinesSink, WebhookSink
from shieldwall.monitor.sinks.build import build_sinks
from shieldwall.monitor.sources import Inbox
from shieldwall.monitor.sources.listeners import Listeners
from shieldwall.monitor.suppress import SuppressingSink, Suppressor

app = typer.Typer(
    help="Detect attacks in logs and at runtime: run, worker, replay, rules.",
    no_args_is_help=True,
)
rules_app = typer.Typer(help="Check and test detection rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class AlertFormat(StrEnum):
    """Output formats of ``monitor replay``."""

    JSONL = "jsonl"
    TABLE = "table"


RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules", "-r", help="Folder or file of Sigma and shieldwall rules (repeatable)."
    ),
]
NoBuiltinOption = Annotated[
    bool, typer.Option("--no-builtin", help="Do not load shieldwall's built-in rules.")
]
LeakFingerprintsOption = Annotated[
    Path | None,
    typer.Option(
        "--leak-fingerprints",
        help="A `shieldwall secrets fingerprints` file: stored secrets in the logs alert as "
        "SW-MON-900 (and are redacted).",
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option("--year", help="Year of syslog timestamps, which omit it (default: this year)."),
]


def settle_collector() -> None:
    """Tune Python's cyclic garbage collector for detection, once the rules are loaded.

    The compiled rules live as long as the process: frozen, the collector no longer walks them
    on every full collection (about 5 % of a million-event replay). Detection allocates a few
    containers per event that reference counting frees; a young collection every 700
    allocations (the default) cost another ~5 %, one every 20,000 keeps memory bounded the
    same way. A library caller's process is not ours to tune, so this is called by the
    commands, not by ``replay()`` or the daemon.
    """
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(20_000, middle, oldest)


def _load(rules: list[Path] | None, no_builtin: bool, verbose: bool) -> RuleSet:
    ruleset = load_rules(rules or [], builtin=not no_builtin)
    features = Counter(u.feature for u in ruleset.unsupported)
    typer.echo(
        f"loaded {ruleset.count} rules ({len(ruleset.sigma)} Sigma, {len(ruleset.thresholds)} "
        f"threshold); {len(ruleset.unsupported)} not loaded",
        err=True,
    )
    shown = ruleset.unsupported if verbose else ruleset.unsupported[:10]
    for problem in shown:
        typer.echo(f"  unsupported: {problem}", err=True)
    if len(shown) < len(ruleset.unsupported):
        typer.echo(f"  ... {len(ruleset.unsupported) - len(shown)} more (use --verbose)", err=True)
    if verbose and features:
        for feature, count in features.most_common():
            typer.echo(f"  {count:5d}  {feature}", err=True)
    return ruleset


def _table(alerts: list[Alert], stream: TextIO) -> None:
    for alert in alerts:
        when = alert.first_seen.isoformat() if alert.first_seen else "-"
        stream.write(
            f"{alert.severity:<8} {alert.rule_id:<38} x{alert.count:<4} {when}  "
            f"{alert.entity or '-'}"
            f"  {alert.rule_title}  [{alert.source}]\n"
        )


def _webhook(url: str, secret_env: str) -> WebhookSink:
    secret = os.environ.get(secret_env)
    if not secret:
        raise UsageError(f"--webhook needs the signing secret in ${secret_env}")
    return WebhookSink(httpx.Client(timeout=10.0), url, secret.encode())


@app.command("replay")
@handle_errors
def replay_command(
    files: Annotated[
        list[Path], typer.Argument(help="Log files to read (plain, gzipped, EVTX; - for stdin).")
    ],
    rules: RulesOption = None,
    output_format: Annotated[
        AlertFormat, typer.Option("--format", "-f", help="Output format.")
    ] = AlertFormat.TABLE,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    log_format: Annotated[
        LogFormat, typer.Option("--log-format", help="Format of the files (default: sniffed).")
    ] = LogFormat.AUTO,
    group_window: Annotated[
        int, typer.Option("--group-window", help="Seconds within which alerts of one key merge.")
    ] = 300,
    max_events: Annotated[
        int, typer.Option("--max-events", help="Matched events attached per alert.", min=1)
    ] = 20,
    webhook: Annotated[
        str | None, typer.Option("--webhook", help="Also POST alerts here (HMAC-signed).")
    ] = None,
    webhook_secret_env: Annotated[
        str, typer.Option("--webhook-secret-env", help="Variable holding the webhook secret.")
    ] = "SHIELDWALL_WEBHOOK_SECRET",  # noqa: S107 (a variable name, not a secret)
    no_builtin: NoBuiltinOption = False,
    year: YearOption = None,
    leak_fingerprints: LeakFingerprintsOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every problem.")] = False,
) -> None:
    """Replay log files through the rules and print the alerts (offline: tests, forensics).

    ``-`` reads standard input (saved to a temporary file first, so that its format can be
    sniffed and an EVTX or gzip stream read like a file).
    """
    missing = [str(f) for f in files if str(f) != "-" and not f.exists()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    ruleset = _load(rules, no_builtin, verbose)
    settle_collector()
    with tempfile.TemporaryDirectory(prefix="sw-replay-") as scratch:
        names: dict[Path, str] = {}
        inputs = list(files)
        if any(str(f) == "-" for f in files):
            saved = Path(scratch) / "stdin"
            with saved.open("wb") as handle:
                shutil.copyfileobj(sys.stdin.buffer, handle)
            names[saved] = "stdin"
            inputs = [saved if str(f) == "-" else f for f in files]
        report = replay(
            inputs,
            ruleset,
            log_format=log_format,
            year=year or datetime.now(UTC).year,
            group_window=timedelta(seconds=group_window),
            max_events=max_events,
            names=names,
            leak_fingerprints=leak_fingerprints,
        )
    for error in report.errors:
        typer.echo(f"error: {error}", err=True)
    for problem in report.problems if verbose else report.problems[:5]:
        typer.echo(f"  skipped: {problem}", err=True)
    typer.echo(
        f"{report.events} events, {len(report.alerts)} alerts, {len(report.problems)} lines "
        f"skipped, {len(report.errors)} files unreadable",
        err=True,
    )
    stream: TextIO = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        sinks: list[AlertSink] = []
        if output_format is AlertFormat.JSONL:
            sinks.append(JsonLinesSink(stream))
        else:
            _table(report.alerts, stream)
        if webhook:
            sinks.append(_webhook(webhook, webhook_secret_env))
        for sink in sinks:
            sink.send(report.alerts)
            sink.close()
    except SinkError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(ExitCode.SCAN_ERROR) from None
    finally:
        if output:
            stream.close()
    if report.errors and not report.events:
        raise typer.Exit(ExitCode.SCAN_ERROR)


@rules_app.command("test")
@handle_errors
def rules_test_command(
    paths: Annotated[list[Path] | None, typer.Argument(help="Rule folders or files.")] = None,
    no_builtin: NoBuiltinOption = False,
    year: YearOption = None,
) -> None:
    """Run each rule against its own sample lines; exit 1 if any sample fails."""
    ruleset = _load(paths, no_builtin, verbose=False)
    results = test_rules(ruleset, year=year or datetime.now(UTC).year)
    failed = [r for r in results if not r.passed]
    for result in results:
        status = "PASS" if result.passed else "FAIL"
        detail = result.error or f"expected {result.expected}, got {result.actual}"
        typer.echo(f"{status}  {result.rule_id} sample {result.index}: {detail}")
    untested = ruleset.count - len({r.rule_id for r in results})
    typer.echo(
        f"{len(results) - len(failed)} passed, {len(failed)} failed; "
        f"{untested} rules without samples"
    )
    if failed:
        raise typer.Exit(ExitCode.GATE_FAILED)


@rules_app.command("check")
@handle_errors
def rules_check_command(
    paths: Annotated[list[Path], typer.Argument(help="Rule folders or files.")],
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every rule not loaded.")
    ] = False,
) -> None:
    """Load a rule set and report each rule that cannot load, with the feature it lacks."""
    ruleset = _load(paths, no_builtin=True, verbose=verbose)
    if ruleset.unsupported:
        raise typer.Exit(ExitCode.GATE_FAILED)


def _stop_on_signals(stop: threading.Event) -> dict[int, object]:
    return {
        signum: signal.signal(signum, lambda *_args: stop.set())
        for signum in (signal.SIGINT, signal.SIGTERM)
    }


def _restore(previous: dict[int, object]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]


def _warn_expired(settings: MonitorConfig) -> Suppressor:
    suppressor = Suppressor.from_config(settings.suppressions)
    for rule in suppressor.expired():
        typer.echo(f"warning: suppression {rule.reason!r} expired on {rule.expires}", err=True)
    return suppressor


@app.command("run")
@handle_errors
def run_command(
    config: Annotated[Path, typer.Option("--config", "-c", help="The monitor.yaml to run.")],
    once: Annotated[
        bool, typer.Option("--once", help="Poll every source once, then exit.")
    ] = False,
    leak_fingerprints: LeakFingerprintsOption = None,
) -> None:
    """Follow log files and listen for pushed logs; alert continuously (sources -> alerts)."""
    settings = load_monitor_config(config)
    if leak_fingerprints is not None:  # the option wins over monitor.yaml's leak_fingerprints
        settings = settings.model_copy(update={"leak_fingerprints": leak_fingerprints})
    leak_watch(settings.leak_fingerprints)  # a bad file fails here, before listeners start
    _warn_expired(settings)
    ruleset = _load(settings.rules, not settings.builtin_rules, verbose=False)
    with ExitStack() as stack:
        sinks = build_sinks(settings.sinks, stack, os.environ, sys.stdout)
        publisher = None
        if settings.scale is not None:
            publisher = RedisIngest(
                redis.Redis.from_url(settings.scale.redis_url),
                settings.scale.prefix,
                settings.scale.partitions,
            )
        inbox = Inbox(settings.inbox_capacity)
        listeners = Listeners.start(settings.sources, inbox, os.environ)
        for host, port in listeners.addresses():
            typer.echo(f"listening on {host}:{port}", err=True)
        daemon = MonitorDaemon(
            settings,
            ruleset,
            sinks,
            listeners=listeners,
            publisher=publisher,
            on_problem=lambda problem: typer.echo(f"warning: {problem}", err=True),
        )
        settle_collector()
        stop = threading.Event()
        previous = _stop_on_signals(stop)
        try:
            daemon.run(stop, max_cycles=1 if once else None)
        finally:
            _restore(previous)
        if inbox.dropped:
            typer.echo(f"warning: {inbox.dropped} messages dropped (inbox full)", err=True)


@app.command("worker")
@handle_errors
def worker_command(
    config: Annotated[Path, typer.Option("--config", "-c", help="The monitor.yaml (scale:).")],
    consumer: Annotated[
        str | None, typer.Option("--consumer", help="This worker's name in the group.")
    ] = None,
    claim_idle: Annotated[
        int, typer.Option("--claim-idle", help="Take over entries idle this many seconds.")
    ] = 60,
    once: Annotated[bool, typer.Option("--once", help="Read what is queued, then exit.")] = False,
) -> None:
    """A detection worker: consume the Redis Streams that ``monitor run`` fills (scale:)."""
    settings = load_monitor_config(config)
    if settings.scale is None:
        raise UsageError(f"{config}: a worker needs a 'scale:' section (redis_url, partitions)")
    suppressor = _warn_expired(settings)
    ruleset = _load(settings.rules, not settings.builtin_rules, verbose=False)
    name = consumer or f"{socket.gethostname()}-{os.getpid()}"
    settle_collector()
    with ExitStack() as stack:
        sinks = [
            SuppressingSink(s, suppressor)
            for s in build_sinks(settings.sinks, stack, os.environ, sys.stdout)
        ]
        worker = RedisWorker(
            redis.Redis.from_url(settings.scale.redis_url),
            ruleset,
            sinks,
            consumer=name,
            group=settings.scale.group,
            prefix=settings.scale.prefix,
            partitions=settings.scale.partitions,
        )
        stop = threading.Event()
        previous = _stop_on_signals(stop)
        alerts = 0
        try:
            alerts += len(worker.claim_stale(claim_idle * 1000))
            while not stop.is_set():
                found = worker.poll(block_ms=None if once else 1000)
                alerts += len(found)
                if once and not worker.last_read:
                    break
                if not once and not found:
                    alerts += len(worker.claim_stale(claim_idle * 1000))
        finally:
            _restore(previous)
            for sink in sinks:
                sink.close()
        typer.echo(f"worker {name}: {alerts} alerts", err=True)
