"""``monitor run``: follow files, receive pushed logs, detect, alert; checkpoints after delivery.

Each cycle polls every file source, drains the inbox of the push sources (syslog over UDP/TCP,
HTTP ingest, stdin), parses the new lines, runs detection, applies the suppression rules, hands
new alerts to the sinks, and only then saves the file offsets and acknowledges the pushed batches:
a crash before that replays the same file lines on restart (alert keys are stable, so a receiver
can drop the repeat), and an HTTP client that got no acknowledgement sends its batch again; a crash
after it loses nothing. Syslog senders get no acknowledgement in either protocol, so messages
received but not yet processed when the process dies are lost (see docs/monitoring.md). Threshold
windows live in memory and start empty after a restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from shieldwall.monitor.alerts import Alert, AlertGrouper
from shieldwall.monitor.checkpoints import CheckpointStore
from shieldwall.monitor.config import (
    FileSourceConfig,
    MonitorConfig,
    RuntimeProfileConfig,
    RuntimeSourceConfig,
)
from shieldwall.monitor.detection import Detection
from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.event import Event
from shieldwall.monitor.follow import Checkpoint, Line, poll
from shieldwall.monitor.leaks import leak_watch
from shieldwall.monitor.parsers import GroupingParser, LineParser, LogFormat, parser_for
from shieldwall.monitor.pipeline import Detector
from shieldwall.monitor.reader import LineProblem, feed_line, parse_line, sniff
from shieldwall.monitor.ruleset import RuleSet
from shieldwall.monitor.runtime import RuntimeProfiler
from shieldwall.monitor.runtime.collector import RuntimeCollector
from shieldwall.monitor.sinks import AlertSink, JsonLinesSink
from shieldwall.monitor.sources import Batch, Inbox
from shieldwall.monitor.sources.listeners import Listeners
from shieldwall.monitor.suppress import Suppressor

_LOG = logging.getLogger(__name__)
_MAX_REPORTED = 10_000  # distinct problems remembered as already reported


def _grouping(parser: LineParser | None) -> GroupingParser | None:
    # Checked once per batch: isinstance against a runtime Protocol costs more than a parse.
    return parser if isinstance(parser, GroupingParser) else None


def _parse(
    parser: LineParser, grouping: GroupingParser | None, text: str, source: str, number: int
) -> list[Event | LineProblem]:
    if grouping is not None:
        return feed_line(grouping, text, source, number)
    return [parse_line(parser, text, source, number)]


def _file_items(
    lines: list[Line], parser: LineParser | None, name: str
) -> Iterator[Event | LineProblem]:
    grouping = _grouping(parser)
    for item in lines:
        if isinstance(item, LineProblem):
            yield item
        elif parser is not None:
            yield from _parse(parser, grouping, item[1], name, item[0])
    if grouping is not None:
        yield from grouping.flush()  # auditd writes events whole: none spans polls


class EventPublisher(Protocol):
    """Where events go instead of local detection at scale (:class:`RedisIngest`)."""

    def publish(self, events: Sequence[Event]) -> None:
        """Hand the events on durably, or raise."""
        ...


@dataclass(slots=True)
class CycleReport:
    """What one cycle did."""

    events: int = 0
    alerts: list[Alert] = field(default_factory=list)
    suppressed: list[Alert] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class MonitorDaemon:
    """The follow -> detect -> alert loop over the configured files."""

    def __init__(
        self,
        config: MonitorConfig,
        ruleset: RuleSet,
        sinks: Sequence[AlertSink],
        *,
        listeners: Listeners | None = None,
        publisher: EventPublisher | None = None,
        on_problem: Callable[[str], object] | None = None,
    ) -> None:
        self.publisher = publisher
        # Where run() reports each cycle's problems (a file that failed, a format not known yet,
        # a fingerprints reload that failed); each distinct one once, since most last.
        self.on_problem = on_problem or _LOG.warning
        self._reported: set[str] = set()
        self._outgoing: list[Event] = []
        self.config = config
        self.inbox = listeners.inbox if listeners else Inbox(config.inbox_capacity)
        self.listeners = listeners
        self.suppressor = Suppressor.from_config(config.suppressions)
        self.collectors = [
            RuntimeCollector.from_config(s)
            for s in config.sources
            if isinstance(s, RuntimeSourceConfig)
        ]
        self.profiles_path = config.state_dir / "runtime-profiles.json"
        self.profiler: RuntimeProfiler | None = None
        if config.runtime is not None or self.collectors:
            settings = config.runtime or RuntimeProfileConfig()
            self.profiler = RuntimeProfiler.load(
                self.profiles_path, settings.learning, settings.max_values
            )
        self.sinks = tuple(sinks)
        self.detector = Detector(ruleset)
        # Stored secrets in logs: checked here, before publishing or detecting, so that neither
        # the Redis streams nor any rule's state ever holds a value (monitor/leaks.py).
        self.leaks = leak_watch(config.leak_fingerprints)
        self.grouper = AlertGrouper(timedelta(seconds=config.group_window), config.max_events)
        self.store = CheckpointStore(config.state_dir / "checkpoints.json")
        self.checkpoints = self.store.load()
        self.year = config.year or datetime.now(UTC).year
        self._parsers: dict[str, LineParser] = {}

    def _parser(self, name: str, log_format: LogFormat, lines: list[str]) -> LineParser | None:
        if name not in self._parsers:
            chosen = log_format if log_format is not LogFormat.AUTO else sniff(lines, self.year)
            if chosen is None:
                return None
            self._parsers[name] = parser_for(chosen, self.year)
        return self._parsers[name]

    def cycle(self) -> CycleReport:
        """Poll every source once; deliver new alerts; then save the checkpoints."""
        report = CycleReport()
        updated: dict[str, Checkpoint] = dict(self.checkpoints)
        for source in self.config.sources:
            if not isinstance(source, FileSourceConfig):
                continue
            name = str(source.path)
            if source.path.suffix.lower() == ".evtx":
                # Windows rewrites live EVTX chunks in place: ship them as JSON (Winlogbeat or
                # NXLog, to a file or the http source) and use ``replay`` for saved .evtx files.
                report.errors.append(f"{name}: EVTX files are not followed; see docs/monitoring.md")
                continue
            try:
                lines, after = poll(source.path, self.checkpoints.get(name, Checkpoint()))
            except LogParseError as exc:
                report.errors.append(str(exc))
                continue
            texts = [item[1] for item in lines if isinstance(item, tuple)]
            parser = self._parser(name, source.format, texts[:20]) if texts else None
            if texts and parser is None:
                report.errors.append(f"{name}: no known log format; waiting for more lines")
                continue
            self._handle_all(_file_items(lines, parser, name), report)
            updated[name] = after
        for collector in self.collectors:
            self._handle_all(collector.collect(), report)
        batches = self.inbox.drain()
        for batch in batches:
            self._handle_all(self._pushed(batch), report)
        if self.leaks is not None:
            report.errors += self.leaks.take_problems()
        if self.publisher is not None and self._outgoing:
            self.publisher.publish(self._outgoing)  # before the checkpoint: at-least-once
            self._outgoing = []
        everything = report.alerts
        report.alerts = self.suppressor.apply(everything)
        report.suppressed = [a for a in everything if a.suppressed is not None]
        for sink in self.sinks:
            # Suppressed alerts are kept and marked in the record (JSON lines), never notified.
            sink.send(everything if isinstance(sink, JsonLinesSink) else report.alerts)
        if updated != self.checkpoints:  # an fsync per idle cycle would throttle push sources
            self.store.save(updated)
        self.checkpoints = updated
        if self.profiler is not None and self.profiler.changed:
            self.profiler.save(self.profiles_path)
        for batch in batches:  # only now can the sender be told that nothing will be lost
            batch.done.set()
        return report

    def _handle_all(self, items: Iterable[Event | LineProblem], report: CycleReport) -> None:
        if self.leaks is not None:
            # Stored secrets, searched a batch at a time: the leak alerts are grouped here, and
            # what follows (publishing, the rules, the profiler) gets the events redacted.
            items = self.leaks.screen(items, lambda found: self._group([found], report))
        for item in items:
            self._handle(item, report)

    def _handle(self, parsed: Event | LineProblem, report: CycleReport) -> None:
        if isinstance(parsed, LineProblem):
            report.problems.append(parsed)
            return
        report.events += 1
        if self.publisher is not None:
            self._outgoing.append(parsed)  # detection happens in the workers
            return
        detections = list(self.detector.detect(parsed))
        if self.profiler is not None:
            detections += self.profiler.observe(parsed)
        self._group(detections, report)

    def _group(self, detections: list[Detection], report: CycleReport) -> None:
        for detection in detections:
            alert = self.grouper.add(detection)
            if alert is not None:
                report.alerts.append(alert)

    def _pushed(self, batch: Batch) -> Iterator[Event | LineProblem]:
        texts = [m.text for m in batch.messages if m.problem is None]
        parser = self._parser(batch.source, batch.log_format, texts[:20]) if texts else None
        grouping = _grouping(parser)
        for message in batch.messages:
            if message.problem is not None:
                yield LineProblem(message.source, message.number, message.problem)
            elif parser is None:
                yield LineProblem(message.source, message.number, "no known log format")
            else:
                yield from _parse(parser, grouping, message.text, message.source, message.number)
        if grouping is not None:
            yield from grouping.flush()

    def _report(self, report: CycleReport) -> None:
        for problem in report.errors:
            if problem not in self._reported:
                if len(self._reported) >= _MAX_REPORTED:
                    self._reported.clear()  # bounded: a problem may be said again, not lost
                self._reported.add(problem)
                self.on_problem(problem)

    def run(self, stop: threading.Event, max_cycles: int | None = None) -> None:
        """Cycle until ``stop`` is set (or ``max_cycles`` ran), then close the sinks."""
        cycles = 0
        try:
            while not stop.is_set() and (max_cycles is None or cycles < max_cycles):
                self._report(self.cycle())
                cycles += 1
                if self.listeners is not None and self.listeners.exhausted and not len(self.inbox):
                    break  # standard input ended and it was the only source
                stop.wait(self.config.poll_interval)
        finally:
            if self.listeners is not None:
                self.listeners.stop()
                self._report(self.cycle())  # what arrived while stopping is still processed
            for collector in self.collectors:
                collector.close()
            for sink in self.sinks:
                sink.close()
