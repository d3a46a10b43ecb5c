"""Timestamp parsing shared by the line parsers; every result is timezone-aware (UTC by default)."""

from __future__ import annotations

from datetime import UTC, datetime

_MONTHS = {
    name: index
    for index, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def parse_bsd(text: str, year: int) -> datetime | None:
    """An RFC 3164 timestamp (``Dec 10 06:55:46``); it has no year, so the caller gives one."""
    parts = text.split()
    if len(parts) != 3 or parts[0] not in _MONTHS:
        return None
    try:
        hour, minute, second = (int(p) for p in parts[2].split(":"))
        return datetime(year, _MONTHS[parts[0]], int(parts[1]), hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def parse_iso(text: str) -> datetime | None:
    """An ISO 8601 / RFC 3339 timestamp (``2023-07-10T11:42:36Z``)."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_clf(text: str) -> datetime | None:
    """A Common Log Format timestamp (``10/Oct/2000:13:55:36 -0700``)."""
    try:
        return datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z")
    except ValueError:
        return None


def parse_ctime(text: str) -> datetime | None:
    """An Apache error-log timestamp (``Sun Dec 04 04:47:44 2005``)."""
    try:
        return datetime.strptime(text, "%a %b %d %H:%M:%S %Y").replace(tzinfo=UTC)
    except ValueError:
        return None
