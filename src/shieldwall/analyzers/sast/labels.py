"""The values the taint engine computes: labels on data, trace steps and function summaries."""

from __future__ import annotations

from dataclasses import dataclass, field

from shieldwall.analyzers.sast.spec import SinkKind
from shieldwall.core.severity import Confidence

MAX_TRACE = 12
MAX_LABELS = 6


@dataclass(frozen=True, slots=True)
class Step:
    """One place on a data flow: where, the code there, and what happened."""

    path: str
    line: int
    column: int
    snippet: str
    message: str


@dataclass(frozen=True, slots=True)
class Label:
    """Why a value is tainted: a source (``param == -1``) or a parameter of the function.

    Labels compare without their trace, so a value reached by two paths from the same source
    keeps one label (the first path) and sets stay small.
    """

    origin: str
    param: int
    src: tuple[str, int]
    cleared: frozenset[str]
    confidence: Confidence
    trace: tuple[Step, ...] = field(compare=False, hash=False)

    def extended(self, step: Step) -> Label:
        """The same label with one more step (the middle is dropped past ``MAX_TRACE``)."""
        trace = (*self.trace, step)
        if len(trace) > MAX_TRACE:
            trace = (*trace[:2], *trace[-(MAX_TRACE - 2) :])
        return Label(self.origin, self.param, self.src, self.cleared, self.confidence, trace)

    def clearing(self, kinds: frozenset[str]) -> Label:
        """The same label, now safe for the given sink kinds."""
        return Label(
            self.origin, self.param, self.src, self.cleared | kinds, self.confidence, self.trace
        )

    def reaches(self, kind: SinkKind) -> bool:
        """Whether this label still matters at a sink of ``kind``."""
        return kind.value not in self.cleared


Taint = frozenset[Label]
EMPTY: Taint = frozenset()


def bounded(labels: Taint) -> Taint:
    """At most ``MAX_LABELS`` labels, chosen deterministically (sources before parameters)."""
    if len(labels) <= MAX_LABELS:
        return labels
    ordered = sorted(labels, key=lambda lab: (lab.param, lab.src, sorted(lab.cleared)))
    return frozenset(ordered[:MAX_LABELS])


@dataclass(frozen=True, slots=True)
class SinkHit:
    """A label reaching a sink inside a function."""

    kind: SinkKind
    sink: Step
    label: Label
    sink_text: str
    trace: tuple[Step, ...] = field(compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class ParamSink:
    """Summary fact: parameter ``param`` reaches a sink (possibly through callees)."""

    param: int
    kind: SinkKind
    sink: Step
    sink_text: str
    cleared: frozenset[str]
    trace: tuple[Step, ...] = field(compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a function does with its inputs, as seen by its callers."""

    returns: Taint = EMPTY
    sinks: frozenset[ParamSink] = frozenset()
