"""Stored secrets in logs: each event's raw record checked against the leak fingerprints.

``leak_fingerprints`` (``monitor.yaml``, or ``--leak-fingerprints`` on ``replay`` and ``run``)
names a file written by ``shieldwall secrets fingerprints``: keyed HMACs of the live values of
the secret store, never the values. :meth:`LeakWatch.screen` (a stream of events: replay and
the daemon) and :meth:`LeakWatch.inspect` (one event) run :meth:`LeakFingerprints.matches` over
the UTF-8 bytes of each event's ``raw`` record, before any rule, so a match is an exact copy of a
stored value or of one of its escaped forms (a JSON string, a URL component), with no false
positives beyond an HMAC-SHA256 collision.

A match gives one critical SW-MON-900 detection per stored secret, whose entity is
``secret.path=<path>`` (so alerts group by secret and source) and whose title names the owner and
the rotation command. The event is returned redacted: each copy in ``raw`` becomes
``[REDACTED:<path>]``, and so does each field value holding the copied text or its decoded
form (parsers unescape JSON strings and URL components). The pipeline hands
the redacted event to every rule, window and baseline, and the daemon publishes it at scale-out,
so no alert, attached event, alert key, saved runtime profile, Redis stream or sink ever holds
the value.

The file is re-read when it changes (its size or modification time; checked at most once a
second), so ``shieldwall secrets fingerprints`` after a rotation takes effect without a restart.
A file that cannot be read or parsed is a :class:`ConfigError` at start; on a later reload it
keeps the fingerprints loaded before and reports the problem once, since the file is rewritten in
place and may be caught half-written.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from shieldwall.core.errors import ConfigError
from shieldwall.core.frozen import FrozenDict
from shieldwall.core.severity import Severity
from shieldwall.monitor.detection import Detection
from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.event import Event, FieldValue
from shieldwall.monitor.reader import LineProblem

if TYPE_CHECKING:
    # The secret store is imported only when fingerprints are configured.
    from shieldwall.secretstore.fingerprints import LeakFingerprints, LeakMatch

LEAK_RULE_ID = "SW-MON-900"
LEAK_RULE_TITLE = "Stored secret in a log"
RECHECK_SECONDS = 1.0
BATCH = 64  # events searched at once by LeakWatch.screen
_TITLE_LIMIT = 500  # the hub keeps rule titles of at most 500 characters


def _read(path: Path) -> LeakFingerprints:
    from shieldwall.secretstore.errors import SecretConfigError
    from shieldwall.secretstore.fingerprints import load_fingerprints

    try:
        return load_fingerprints(path)
    except SecretConfigError as exc:
        raise ConfigError(f"leak_fingerprints: {exc}") from exc


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError as exc:
        raise ConfigError(f"leak_fingerprints: cannot read {path}: {exc.strerror}") from exc
    return stat.st_mtime_ns, stat.st_size


def leak_title(path: str, owner: str) -> str:
    """The alert title: the catalogue title, the stored secret, its owner and what to do."""
    title = (
        f"{LEAK_RULE_TITLE}: {path} (owner {owner}); "
        f"rotate it with `shieldwall secrets rotate {path}`"
    )
    return title[:_TITLE_LIMIT]


def _marker(path: str) -> str:
    return f"[REDACTED:{path}]"


def _scrub(value: FieldValue, copies: Mapping[str, str]) -> FieldValue:
    """``value`` with every copied secret text replaced by its marker (tuples element-wise)."""
    if isinstance(value, str):
        for text, path in copies.items():
            if text in value:
                value = value.replace(text, _marker(path))
        return value
    if isinstance(value, tuple):
        return tuple(_scrub(item, copies) for item in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A numeric secret parsed as a number (a PIN, an account key): the field becomes text.
        text = str(value)
        scrubbed = _scrub(text, copies)
        return scrubbed if scrubbed != text else value
    return value


Hit = tuple[int, int, str, str]  # start, end (byte offsets into the raw record), path, owner


def _decoded_forms(copy: str) -> set[str]:
    """What a parser may have decoded ``copy`` into: JSON string and URL (percent) decoding."""
    forms = {urllib.parse.unquote(copy), urllib.parse.unquote_plus(copy)}
    if "\\" in copy:
        try:
            decoded = json.loads(f'"{copy}"')
        except ValueError:
            pass  # not the content of a JSON string
        else:
            if isinstance(decoded, str):
                forms.add(decoded)
    forms.discard(copy)
    forms.discard("")
    return forms


def redact(event: Event, data: bytes, hits: list[Hit]) -> Event:
    """``event`` with each matched span of ``data`` (its raw bytes) replaced by a marker.

    Spans may overlap (a whole token and the part of it after ``=`` can both be stored): they
    are merged and the marker names the first secret. Field values are scrubbed of the same
    texts, since parsers copy them out of the raw record.
    """
    pieces: list[bytes] = []
    copies: dict[str, str] = {}
    last = 0
    for start, end, path, _owner in sorted(hits, key=lambda h: (h[0], -h[1])):
        copy = data[start:end].decode("utf-8", "surrogateescape")
        # The copy may be an escaped form of the value (a JSON string, a URL component): the
        # parsers put its decoded text in the fields, so that is scrubbed too.
        for text in (copy, *_decoded_forms(copy)):
            copies.setdefault(text, path)
        if start < last:
            if end > last:  # overlaps the previous span and runs past it
                last = end
            continue
        pieces += (data[last:start], _marker(path).encode())
        last = end
    pieces.append(data[last:])
    raw = b"".join(pieces).decode("utf-8", "surrogateescape")
    # Longest first, so that a stored value containing another is replaced whole.
    ordered = dict(sorted(copies.items(), key=lambda item: -len(item[0])))
    # Names too: flattened JSON keys come from the record (a token used as an object key).
    fields = FrozenDict(
        {str(_scrub(name, ordered)): _scrub(value, ordered) for name, value in event.fields.items()}
    )
    return replace(event, raw=raw, fields=fields)


def _leaked(event: Event, data: bytes, hits: list[Hit]) -> tuple[Event, list[Detection]]:
    clean = redact(event, data, hits)
    owners: dict[str, str] = {}
    for _start, _end, path, owner in hits:
        owners.setdefault(path, owner)
    return clean, [
        Detection(
            LEAK_RULE_ID,
            leak_title(path, owner),
            Severity.CRITICAL,
            (clean,),
            entity=f"secret.path={path}",
        )
        for path, owner in owners.items()
    ]


def _hits(matches: list[LeakMatch], offset: int = 0) -> list[Hit]:
    return [(m.start - offset, m.end - offset, m.path, m.owner) for m in matches]


@dataclass(slots=True)
class LeakWatch:
    """The leak fingerprints of one file, re-read when it changes; checks and redacts events."""

    path: Path
    fingerprints: LeakFingerprints
    stamp: tuple[int, int]
    clock: Callable[[], float] = time.monotonic
    checked: float = 0.0
    problems: list[str] = field(default_factory=list)  # reload failures not yet reported
    failing: str | None = None  # the last reload failure, reported once until a reload succeeds

    @classmethod
    def load(cls, path: Path, clock: Callable[[], float] = time.monotonic) -> LeakWatch:
        """Read ``path``; a missing or malformed file is a :class:`ConfigError` naming it."""
        stamp = _stamp(path)
        return cls(path, _read(path), stamp, clock, clock())

    def current(self) -> LeakFingerprints:
        """The fingerprints, re-read first if the file changed (checked once a second at most)."""
        now = self.clock()
        if now - self.checked < RECHECK_SECONDS:
            return self.fingerprints
        self.checked = now
        try:
            stamp = _stamp(self.path)
            if stamp != self.stamp:
                self.fingerprints = _read(self.path)
                self.stamp = stamp
            self.failing = None
        except ConfigError as exc:
            problem = f"{exc}; still using the fingerprints loaded before"
            if problem != self.failing:
                self.failing = problem
                self.problems.append(problem)
        return self.fingerprints

    def take_problems(self) -> list[str]:
        """Reload failures since the last call (a lasting failure is reported once)."""
        taken, self.problems = self.problems, []
        return taken

    def inspect(self, event: Event) -> tuple[Event, list[Detection]]:
        """``event`` (redacted if it holds a stored value) and a detection per stored secret."""
        data = event.raw.encode("utf-8", "surrogateescape")
        matches = self.current().matches(data)
        if not matches:
            return event, []
        return _leaked(event, data, _hits(matches))

    def screen(
        self, items: Iterable[Event | LineProblem], add: Callable[[Detection], object]
    ) -> Iterator[Event | LineProblem]:
        """``items`` with each event redacted, handing its leak detections to ``add`` just
        before it is yielded (so in the order :meth:`inspect` per event would give).

        Events are searched :data:`BATCH` at a time, their raw records joined by line breaks (a
        delimiter, so a candidate never spans two records and an edge bounds one as before):
        one search per event cost 8 times as much, mostly in the per-call overhead. A source
        that fails halfway still has the events it gave searched and yielded before the error.
        """
        stream = iter(items)
        while True:
            chunk: list[Event | LineProblem] = []
            error: LogParseError | None = None
            try:
                for item in stream:
                    chunk.append(item)
                    if len(chunk) == BATCH:
                        break
            except LogParseError as exc:  # the file failed: what it gave still counts
                error = exc
            yield from self._release(chunk, add)
            if error is not None:
                raise error
            if len(chunk) < BATCH:
                return

    def _release(
        self, chunk: list[Event | LineProblem], add: Callable[[Detection], object]
    ) -> Iterator[Event | LineProblem]:
        events = [(i, item) for i, item in enumerate(chunk) if isinstance(item, Event)]
        datas = [event.raw.encode("utf-8", "surrogateescape") for _, event in events]
        matches = self.current().matches(b"\n".join(datas)) if datas else []
        if not matches:
            yield from chunk
            return
        starts = list(accumulate((len(d) + 1 for d in datas[:-1]), initial=0))
        found: dict[int, list[LeakMatch]] = {}
        for match in matches:
            found.setdefault(bisect_right(starts, match.start) - 1, []).append(match)
        leaked: dict[int, tuple[Event, list[Detection]]] = {}
        for index, hits in found.items():
            position, event = events[index]
            leaked[position] = _leaked(event, datas[index], _hits(hits, starts[index]))
        for position, item in enumerate(chunk):
            result = leaked.get(position)
            if result is None:
                yield item
                continue
            for detection in result[1]:
                add(detection)
            yield result[0]


def leak_watch(path: Path | str | None) -> LeakWatch | None:
    """A :class:`LeakWatch` for a configured path, ``None`` (no cost at all) when there is none."""
    return None if path is None or str(path) == "" else LeakWatch.load(Path(path))
