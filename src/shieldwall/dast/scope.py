"""What the scanner may touch: hosts, path prefixes and exclusions. Checked before every request."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from shieldwall.core.errors import UsageError

# Visiting these ends the session the scan depends on; they are never requested.
_LOGOUT = re.compile(r"(?i)(?:log[-_]?out|sign[-_]?out|logoff|end[-_]?session)")


@dataclass(frozen=True, slots=True)
class Scope:
    """Hosts (``host:port``) and path prefixes allowed, minus exclusions (glob or ``re:``)."""

    origins: frozenset[tuple[str, str]]  # (scheme, netloc)
    prefixes: tuple[str, ...] = ("/",)
    excludes: tuple[str, ...] = ()

    @classmethod
    def for_target(
        cls,
        url: str,
        *,
        extra_hosts: tuple[str, ...] = (),
        prefixes: tuple[str, ...] = (),
        excludes: tuple[str, ...] = (),
    ) -> Scope:
        """The default scope of a scan: the target's scheme and host, under its path."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{url!r} is not an http(s) URL")
        for pattern in excludes:
            if pattern.startswith("re:"):
                try:
                    re.compile(pattern[3:])
                except re.error as exc:
                    raise UsageError(f"bad --exclude regex {pattern!r}: {exc}") from exc
        origins = {(parts.scheme, parts.netloc.lower())}
        origins |= {(parts.scheme, host.lower()) for host in extra_hosts}
        return cls(frozenset(origins), prefixes or ("/",), excludes)

    def allows(self, url: str) -> bool:
        """Whether a request to ``url`` is allowed (never a URL that cannot be parsed)."""
        try:
            parts = urlsplit(url)
            netloc = parts.netloc.lower()
            _ = parts.port  # raises on a malformed port
        except ValueError:
            return False
        if (parts.scheme, netloc) not in self.origins:
            return False
        path = parts.path or "/"
        if not any(path.startswith(prefix) for prefix in self.prefixes):
            return False
        if _LOGOUT.search(path):
            return False
        return not any(_excluded(pattern, path, url) for pattern in self.excludes)


def _excluded(pattern: str, path: str, url: str) -> bool:
    if pattern.startswith("re:"):
        return re.search(pattern[3:], url) is not None
    return fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(url, pattern)
