"""URLs an application only reaches through JavaScript: ``fetch(``, axios, ``window.location``,
``href=`` in strings, ``XMLHttpRequest.open``.

A regular-expression pass over the source: it does not run the code, so it finds the string
literals that these calls receive, including the static prefix of a concatenation
(``fetch("/api/items?q=" + term)`` gives ``/api/items?q=``).
"""

from __future__ import annotations

import re

_STRING = r"""(?P<q>["'`])(?P<url>(?:https?://|/|\./|\.\./)[^"'`\s<>]{0,300}?)(?P=q)"""
_CALLS = (
    r"\bfetch\(\s*",
    r"\baxios(?:\.(?:get|post|put|patch|delete|head|request))?\(\s*",
    r"\$\.(?:get|post|getJSON|ajax)\(\s*",
    r"\.open\(\s*[\"'][A-Za-z]+[\"']\s*,\s*",
    r"(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*",
    r"location\.(?:assign|replace)\(\s*",
    r"\b(?:href|src|action|url)\s*[:=]\s*",
)
_PATTERNS = tuple(re.compile(call + _STRING) for call in _CALLS)
_MAX_SCRIPT = 2_000_000


def urls_in_script(source: str) -> list[str]:
    """The URL literals passed to navigation and request calls, in order of appearance."""
    source = source[:_MAX_SCRIPT]
    found: list[tuple[int, str]] = []
    for pattern in _PATTERNS:
        found.extend((match.start(), match.group("url")) for match in pattern.finditer(source))
    seen: set[str] = set()
    urls: list[str] = []
    for _, url in sorted(found):
        if url not in seen and "${" not in url:
            seen.add(url)
            urls.append(url)
    return urls
