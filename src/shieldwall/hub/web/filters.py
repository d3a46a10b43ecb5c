"""The findings list's query string: parsed leniently into a filter, and written back as URLs.

A saved filter is just the page's URL, so every link (pages, sorting) keeps the whole query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from shieldwall.hub.enums import FindingStatus
from shieldwall.hub.findings.service import FindingFilter, SortKey
from shieldwall.hub.metrics.service import SEVERITIES

PAGE_SIZES = (25, 50, 100, 200)
_TEXT_FIELDS = ("project", "branch", "scanner", "cwe", "rule", "assignee", "q")
_MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class ListQuery:
    """What the findings page shows: a filter, a page and a page size."""

    flt: FindingFilter
    page: int
    page_size: int
    params: tuple[tuple[str, str], ...]

    def url(self, **changes: str | int) -> str:
        """This list's URL with some parameters replaced (``page=2``, ``sort=sla``)."""
        kept = [(k, v) for k, v in self.params if k not in changes]
        kept.extend((k, str(v)) for k, v in changes.items())
        return "/findings?" + urlencode(kept)


def _int(value: str | None, default: int | None, low: int, high: int) -> int | None:
    if value is None or not value.strip().isdigit():
        return default
    return min(max(int(value), low), high)


def parse(single: Mapping[str, str], multi: Mapping[str, Sequence[str]]) -> ListQuery:
    """Build the list query; unknown or malformed values are ignored rather than failing."""
    text = {k: single.get(k, "").strip()[:_MAX_TEXT] or None for k in _TEXT_FIELDS}
    severity = tuple(s for s in multi.get("severity", ()) if s in SEVERITIES)
    known = {s.value for s in FindingStatus}
    status = tuple(s for s in multi.get("status", ()) if s in known)
    sort_value = single.get("sort", "")
    sort = SortKey(sort_value) if sort_value in {k.value for k in SortKey} else SortKey.NEWEST
    size = _int(single.get("page_size"), 50, 1, 200) or 50
    flt = FindingFilter(
        project=text["project"],
        severity=severity,
        status=status,
        scanner=text["scanner"],
        cwe=text["cwe"],
        rule=text["rule"],
        text=text["q"],
        min_age_days=_int(single.get("min_age_days"), None, 0, 100000),
        max_age_days=_int(single.get("max_age_days"), None, 0, 100000),
        assignee=text["assignee"],
        branch=text["branch"],
        sort=sort,
    )
    params: list[tuple[str, str]] = [(k, v) for k, v in text.items() if v]
    params += [("severity", s) for s in severity] + [("status", s) for s in status]
    for key in ("min_age_days", "max_age_days"):
        value = getattr(flt, key)
        if value is not None:
            params.append((key, str(value)))
    if sort is not SortKey.NEWEST:
        params.append(("sort", sort.value))
    if size != 50:
        params.append(("page_size", str(size)))
    page = _int(single.get("page"), 1, 1, 10**9) or 1
    return ListQuery(flt, page, size, tuple(params))
