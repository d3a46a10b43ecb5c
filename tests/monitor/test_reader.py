"""Reading files: sniffing, bad lines become problems, bad files become errors."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.event import Event
from shieldwall.monitor.parsers import LogFormat
from shieldwall.monitor.reader import MAX_LINE_BYTES, LineProblem, read_events
from tests.monitor.conftest import LOGS

SSH = "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n"


def _read(path: Path) -> tuple[list[Event], list[LineProblem]]:
    items = list(read_events(path, year=2026))
    return [i for i in items if isinstance(i, Event)], [
        i for i in items if isinstance(i, LineProblem)
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("openssh.log", LogFormat.SYSLOG),
        ("linux-syslog.log", LogFormat.SYSLOG),
        ("apache-error.log", LogFormat.APACHE_ERROR),
        ("cloudtrail.jsonl", LogFormat.JSONL),
    ],
)
def test_real_logs_are_sniffed_and_parsed(name: str, expected: LogFormat) -> None:
    events, problems = _read(LOGS / name)
    total = sum(1 for line in (LOGS / name).read_text().splitlines() if line.strip())
    assert len(events) + len(problems) == total
    assert len(problems) <= total // 100  # a few odd lines (syslogd restarts), not whole files
    explicit = [e for e in read_events(LOGS / name, expected, year=2026) if isinstance(e, Event)]
    assert [e.line for e in explicit] == [e.line for e in events]


def test_untagged_syslog_lines_are_events_without_a_program() -> None:
    events, problems = _read(LOGS / "linux-syslog.log")
    assert not problems
    restart = next(e for e in events if e.line == 146)
    assert restart.fields["message"] == "syslogd 1.4.1: restart."
    assert "process.name" not in restart.fields
    assert restart.logsource.services == frozenset({"syslog"})


def test_lines_of_another_format_in_a_sniffed_file_are_problems(tmp_path: Path) -> None:
    path = tmp_path / "auth.log"
    path.write_text(SSH * 3 + '{"json": "in a syslog file"}\n' + SSH)
    events, problems = _read(path)
    assert [e.line for e in events] == [1, 2, 3, 5]
    assert [(p.line, p.reason) for p in problems] == [(4, "not a syslog line, skipped")]


def test_binary_file_is_a_per_file_error(tmp_path: Path) -> None:
    path = tmp_path / "core.dump"
    path.write_bytes(b"\x7fELF\x00\x00\x01" * 100)
    with pytest.raises(LogParseError, match="binary file"):
        list(read_events(path, year=2026))


def test_unknown_format_is_a_per_file_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some prose\nthat is not a log\n")
    with pytest.raises(LogParseError, match="no known log format"):
        list(read_events(path, year=2026))


def test_missing_file_is_a_per_file_error(tmp_path: Path) -> None:
    with pytest.raises(LogParseError, match="cannot read"):
        list(read_events(tmp_path / "gone.log", year=2026))


def test_enormous_line_nul_line_and_invalid_utf8_do_not_stop_the_file(tmp_path: Path) -> None:
    path = tmp_path / "auth.log"
    path.write_bytes(
        SSH.encode()
        + b"Dec 10 06:55:47 LabSZ sshd[1]: "
        + b"A" * (MAX_LINE_BYTES + 10)
        + b"\n"
        + b"garbage\x00with nul\n"
        + b"Dec 10 06:55:48 LabSZ sshd[2]: Invalid user \xff\xfe from 10.0.0.1\n"
        + SSH.encode()
    )
    events, problems = _read(path)
    assert [e.line for e in events] == [1, 4, 5]
    assert events[1].fields["user.name"] == "\\xff\\xfe"
    assert [(p.line, p.reason.split(",")[0]) for p in problems] == [
        (2, f"line longer than {MAX_LINE_BYTES} bytes"),
        (3, "binary data (NUL bytes)"),
    ]


def test_gzipped_rotated_log(tmp_path: Path) -> None:
    path = tmp_path / "auth.log.1.gz"
    path.write_bytes(gzip.compress(SSH.encode() * 3))
    events, problems = _read(path)
    assert len(events) == 3 and not problems


def test_malformed_json_line_is_a_problem_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "app.jsonl"
    path.write_text('{"a": 1}\n{"a": \n{"a": 3}\n')
    events, problems = _read(path)
    assert [e.fields["a"] for e in events] == [1, 3]
    assert problems[0].line == 2 and problems[0].reason.startswith("invalid JSON")
