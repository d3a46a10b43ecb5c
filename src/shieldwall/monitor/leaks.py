"""Stored secrets in logs: each event's raw record checked against the leak fingerprints.

``leak_fingerprints`` (``monitor.yaml``, or ``--leak-fingerprints`` on ``replay`` and ``run``)
names a file written by ``shieldwall secrets fingerprints``: keyed HMACs of the live values of
the secret store, never the values. :meth:`LeakWatch.inspect` runs
:meth:`LeakFingerprints.matches` over the UTF-8 bytes of an event's ``raw`` record, once per
event and before any rule, so a match is an exact copy of a stored value (no false positives
beyond an HMAC-SHA256 collision).

A match gives one critical SW-MON-900 detection per stored secret, whose entity is
``secret.path=<path>`` (so alerts group by secret and source) and whose title names the owner and
the rotation command. The event is returned redacted: each copy in ``raw`` becomes
``[REDACTED:<path>]``, and so does each field value holding the copied text. The pipeline hands
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

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from shieldwall.core.errors import ConfigError
from shieldwall.core.frozen import FrozenDict
from shieldwall.core.severity import Severity
from shieldwall.monitor.detection import Detection
from shieldwall.monitor.event import Event, FieldValue

if TYPE_CHECKING:
    # The secret store is imported only when fingerprints are configured.
    from shieldwall.secretstore.fingerprints import LeakFingerprints, LeakMatch

LEAK_RULE_ID = "SW-MON-900"
LEAK_RULE_TITLE = "Stored secret in a log"
RECHECK_SECONDS = 1.0
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


def redact(event: Event, data: bytes, matches: list[LeakMatch]) -> Event:
    """``event`` with each matched span of ``data`` (its raw bytes) replaced by a marker.

    Spans may overlap (a whole token and the part of it after ``=`` can both be stored): they
    are merged and the marker names the first secret. Field values are scrubbed of the same
    texts, since parsers copy them out of the raw record.
    """
    pieces: list[bytes] = []
    copies: dict[str, str] = {}
    last = 0
    for match in sorted(matches, key=lambda m: (m.start, -m.end)):
        copies[data[match.start : match.end].decode("utf-8", "surrogateescape")] = match.path
        if match.start < last:
            if match.end > last:  # overlaps the previous span and runs past it
                last = match.end
            continue
        pieces += (data[last : match.start], _marker(match.path).encode())
        last = match.end
    pieces.append(data[last:])
    raw = b"".join(pieces).decode("utf-8", "surrogateescape")
    # Longest first, so that a stored value containing another is replaced whole.
    ordered = dict(sorted(copies.items(), key=lambda item: -len(item[0])))
    fields = FrozenDict({name: _scrub(value, ordered) for name, value in event.fields.items()})
    return replace(event, raw=raw, fields=fields)


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
        clean = redact(event, data, matches)
        owners: dict[str, str] = {}
        for match in matches:
            owners.setdefault(match.path, match.owner)
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


def leak_watch(path: Path | str | None) -> LeakWatch | None:
    """A :class:`LeakWatch` for a configured path, ``None`` (no cost at all) when there is none."""
    return None if path is None or str(path) == "" else LeakWatch.load(Path(path))
