"""``monitor rules test``: each rule run against its own sample lines, alone.

A rule's samples are lists of log lines with the number of detections they must produce (a
threshold rule counts its windows; a Sigma rule counts matching lines). Both the positive and the
negative samples are checked, so a rule that fires on everything fails its own test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from shieldwall.monitor.baseline import BaselineDetector
from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.event import Event
from shieldwall.monitor.parsers import LogFormat, parser_for
from shieldwall.monitor.reader import sniff
from shieldwall.monitor.ruleset import RuleSet
from shieldwall.monitor.sigma.engine import SigmaEngine
from shieldwall.monitor.threshold import RuleSample, ThresholdDetector


@dataclass(frozen=True, slots=True)
class SampleResult:
    """One sample of one rule: expected and actual detection counts, or why it could not run."""

    rule_id: str
    index: int
    expected: int
    actual: int
    error: str | None = None

    @property
    def passed(self) -> bool:
        """Whether the rule produced exactly the expected detections."""
        return self.error is None and self.expected == self.actual


def _events(sample: RuleSample, year: int) -> Iterator[Event]:
    log_format = LogFormat(sample.format)
    if log_format is LogFormat.AUTO:
        detected = sniff(sample.lines, year)
        if detected is None:
            raise LogParseError("sample lines are in no known log format")
        log_format = detected
    parser = parser_for(log_format, year)
    for number, line in enumerate(sample.lines, 1):
        event = parser.parse(line, "<sample>", number)
        if event is None:
            raise LogParseError(f"sample line {number} is not a {log_format} line")
        yield event


def _count(ruleset: RuleSet, rule_id: str, sample: RuleSample, year: int) -> int:
    sigma = [r for r in ruleset.sigma if r.rule_id == rule_id]
    thresholds = tuple(r for r in ruleset.thresholds if r.spec.id == rule_id)
    baselines = tuple(r for r in ruleset.baselines if r.spec.id == rule_id)
    engine, detector = SigmaEngine(sigma), ThresholdDetector(thresholds)
    baseline = BaselineDetector(baselines)
    total = 0
    for event in _events(sample, year):
        total += len(engine.match(event))
        total += sum(1 for _ in detector.observe(event))
        total += sum(1 for _ in baseline.observe(event))
    return total


def test_rules(ruleset: RuleSet, *, year: int) -> list[SampleResult]:
    """Run every sample of every rule that has samples."""
    results: list[SampleResult] = []
    loaded = {r.rule_id for r in ruleset.sigma} | {r.spec.id for r in ruleset.thresholds}
    loaded |= {r.spec.id for r in ruleset.baselines}
    for rule_id, samples in sorted(ruleset.samples.items()):
        for index, sample in enumerate(samples):
            if rule_id not in loaded:
                results.append(SampleResult(rule_id, index, sample.expect, 0, "rule not loaded"))
                continue
            try:
                actual = _count(ruleset, rule_id, sample, year)
            except (LogParseError, ValueError) as exc:
                results.append(SampleResult(rule_id, index, sample.expect, 0, str(exc)))
                continue
            results.append(SampleResult(rule_id, index, sample.expect, actual))
    return results
