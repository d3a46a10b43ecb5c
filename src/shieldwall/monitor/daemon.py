"""``monitor run``: follow files, detect, alert; checkpoints saved after alerts are delivered.

Each cycle polls every source, parses the new lines, runs detection, hands new alerts to the sinks,
and only then saves the offsets: a crash before the save replays the same lines on restart (alert
keys are stable, so a receiver can drop the repeat); a crash after it loses nothing. Threshold
windows live in memory and start empty after a restart.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from shieldwall.monitor.alerts import Alert, AlertGrouper
from shieldwall.monitor.checkpoints import CheckpointStore
from shieldwall.monitor.config import MonitorConfig
from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.event import Event
from shieldwall.monitor.follow import Checkpoint, poll
from shieldwall.monitor.parsers import LineParser, LogFormat, parser_for
from shieldwall.monitor.pipeline import Detector
from shieldwall.monitor.reader import LineProblem, parse_line, sniff
from shieldwall.monitor.ruleset import RuleSet
from shieldwall.monitor.sinks import AlertSink


@dataclass(slots=True)
class CycleReport:
    """What one cycle did."""

    events: int = 0
    alerts: list[Alert] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class MonitorDaemon:
    """The follow -> detect -> alert loop over the configured files."""

    def __init__(self, config: MonitorConfig, ruleset: RuleSet, sinks: Sequence[AlertSink]) -> None:
        self.config = config
        self.sinks = tuple(sinks)
        self.detector = Detector(ruleset)
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
            name = str(source.path)
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
            for item in lines:
                parsed: Event | LineProblem | None = item if isinstance(item, LineProblem) else None
                if parser is not None and isinstance(item, tuple):
                    parsed = parse_line(parser, item[1], name, item[0])
                if isinstance(parsed, Event):
                    report.events += 1
                    for detection in self.detector.detect(parsed):
                        alert = self.grouper.add(detection)
                        if alert is not None:
                            report.alerts.append(alert)
                elif parsed is not None:
                    report.problems.append(parsed)
            updated[name] = after
        for sink in self.sinks:
            sink.send(report.alerts)
        self.checkpoints = updated
        self.store.save(updated)
        return report

    def run(self, stop: threading.Event, max_cycles: int | None = None) -> None:
        """Cycle until ``stop`` is set (or ``max_cycles`` ran), then close the sinks."""
        cycles = 0
        try:
            while not stop.is_set() and (max_cycles is None or cycles < max_cycles):
                self.cycle()
                cycles += 1
                stop.wait(self.config.poll_interval)
        finally:
            for sink in self.sinks:
                sink.close()
