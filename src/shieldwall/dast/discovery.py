"""Where a crawl learns of URLs besides links: robots.txt, sitemap.xml and a seeds file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from shieldwall.core.errors import UsageError

_MAX_SITEMAP_URLS = 1000


def robots_urls(text: str, base: str) -> tuple[list[str], list[str]]:
    """(paths named by Allow/Disallow, sitemap URLs) of a robots.txt; wildcards are cut off."""
    paths: list[str] = []
    sitemaps: list[str] = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.split("#")[0].strip()
        if key in ("allow", "disallow") and value.startswith("/"):
            path = value.split("*")[0].rstrip("$")
            if path and path != "/":
                paths.append(urljoin(base, path))
        elif key == "sitemap" and value:
            sitemaps.append(urljoin(base, value))
    return paths, sitemaps


def sitemap_urls(text: str) -> list[str]:
    """The ``<loc>`` URLs of a sitemap or sitemap index (defusedxml: no entities, no DTDs)."""
    try:
        root = SafeET.fromstring(text)
    except (SafeET.ParseError, DefusedXmlException, ValueError):
        return []
    urls = [
        (element.text or "").strip()
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] == "loc"
    ]
    return [url for url in urls if url][:_MAX_SITEMAP_URLS]


def read_seeds(path: Path, base: str) -> list[str]:
    """URLs (absolute or relative to the target) from a seeds file, one a line, ``#`` comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read seeds file {path}: {exc}") from exc
    return [
        urljoin(base, line.strip())
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
