"""The detection pipeline shared by ``replay`` and ``rules test``: events in, alerts out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from shieldwall.monitor.alerts import Alert, AlertGrouper
from shieldwall.monitor.baseline import BaselineDetector
from shieldwall.monitor.detection import Detection
from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.event import Event
from shieldwall.monitor.leaks import LeakWatch, leak_watch
from shieldwall.monitor.parsers import LogFormat
from shieldwall.monitor.reader import LineProblem, read_events
from shieldwall.monitor.ruleset import RuleSet
from shieldwall.monitor.sigma.correlation import CorrelationDetector
from shieldwall.monitor.sigma.engine import SigmaEngine
from shieldwall.monitor.threshold import ThresholdDetector


class Detector:
    """Sigma, threshold and baseline detection over a stream of events.

    ``leaks`` (stored secrets in logs) is not a rule: it runs before them, once per event, and
    hands them the event redacted; see :mod:`shieldwall.monitor.leaks`.
    """

    def __init__(self, ruleset: RuleSet, leaks: LeakWatch | None = None) -> None:
        self.leaks = leaks
        self.sigma = SigmaEngine(ruleset.sigma)
        self.thresholds = ThresholdDetector(tuple(ruleset.thresholds))
        self.correlations = CorrelationDetector(tuple(ruleset.correlations))
        self.baselines = BaselineDetector(tuple(ruleset.baselines))

    def detect(self, event: Event) -> Iterator[Detection]:
        """Every detection one event causes (the rules see it redacted if it leaks a secret)."""
        if self.leaks is not None:
            event, leaked = self.leaks.inspect(event)
            yield from leaked
        matched = self.sigma.match(event)
        for rule in matched:
            yield Detection(rule.rule_id, rule.title, rule.severity, (event,))
        if self.correlations.rules and matched:
            yield from self.correlations.observe(event, [r.rule_id for r in matched])
        yield from self.thresholds.observe(event)
        if self.baselines.rules:
            yield from self.baselines.observe(event)


@dataclass(slots=True)
class ReplayReport:
    """What a replay produced: alerts, per-line problems and per-file errors."""

    alerts: list[Alert] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    events: int = 0


def replay_events(
    events: Iterable[Event | LineProblem],
    detector: Detector,
    grouper: AlertGrouper,
    report: ReplayReport,
) -> None:
    """Run events through detection and grouping, collecting problems in ``report``.

    :meth:`Detector.detect` inlined, in its order (leaks, Sigma, correlations, thresholds,
    baselines): a generator and a few attribute lookups per event were a tenth of a replay's time.
    """
    match = detector.sigma.match
    thresholds = detector.thresholds.observe
    correlations = detector.correlations if detector.correlations.rules else None
    baselines = detector.baselines.observe if detector.baselines.rules else None
    add = grouper.add
    if detector.leaks is not None:
        # Before every rule, so that they all see the events redacted; the leak detections are
        # added as each event comes out, in the order of Detector.detect.
        events = detector.leaks.screen(events, add)
    problems = report.problems
    seen = 0
    try:
        for item in events:
            if isinstance(item, LineProblem):
                problems.append(item)
                continue
            seen += 1
            matched = match(item)
            if matched:
                for rule in matched:
                    add(Detection(rule.rule_id, rule.title, rule.severity, (item,)))
                if correlations is not None:
                    for detection in correlations.observe(item, [r.rule_id for r in matched]):
                        add(detection)
            for detection in thresholds(item):
                add(detection)
            if baselines is not None:
                for detection in baselines(item):
                    add(detection)

    finally:  # a file that fails halfway still counts the events it had
        report.events += seen
        if detector.leaks is not None:
            report.errors += detector.leaks.take_problems()


def replay(
    files: Iterable[Path],
    ruleset: RuleSet,
    *,
    log_format: LogFormat = LogFormat.AUTO,
    year: int,
    group_window: timedelta = timedelta(minutes=5),
    max_events: int = 20,
    names: Mapping[Path, str] | None = None,
    leak_fingerprints: Path | None = None,
) -> ReplayReport:
    """Replay log files through the rules; a file that cannot be read is reported, not fatal.

    ``names`` gives a file another source name (``stdin`` for standard input saved to a file).
    ``leak_fingerprints`` (a ``shieldwall secrets fingerprints`` file) adds SW-MON-900 alerts for
    stored secrets in the logs; a missing or malformed file raises ``ConfigError`` before any
    file is read.
    """
    detector = Detector(ruleset, leak_watch(leak_fingerprints))
    grouper = AlertGrouper(group_window, max_events)
    report = ReplayReport()
    for path in files:
        try:
            events = read_events(path, log_format, year=year, source=(names or {}).get(path))
            replay_events(events, detector, grouper, report)
        except LogParseError as exc:
            report.errors.append(str(exc))
    report.alerts = grouper.alerts
    return report
