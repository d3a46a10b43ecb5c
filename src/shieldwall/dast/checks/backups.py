"""Backup and editor files next to crawled pages, and sensitive files in every directory.

``page.php`` left as ``page.php.bak``, ``page.php~``, ``.page.php.swp`` … serves source code
(often with credentials) as plain text. Many servers answer any path with 200 (catch-all routes,
soft 404 pages), so a candidate counts only when it differs from the answer to a random name of
the same shape in the same directory (asked only when a candidate answers 200) and from the page
itself (a server that ignores the suffix).
"""

from __future__ import annotations

import difflib
import posixpath
import secrets
from urllib.parse import urlsplit, urlunsplit

from shieldwall.core.finding import Finding
from shieldwall.dast import rules
from shieldwall.dast.client import DastClient
from shieldwall.dast.evidence import make_finding
from shieldwall.dast.model import Exchange

# Pages whose backups are worth asking for: files, not media or styles.
_SKIPPED_EXTENSIONS = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".css", ".woff", ".woff2", ".ttf"}
)
# {name} is the page's file name, {stem} the name without its extension.
_TEMPLATES = (
    "{name}.bak",
    "{name}~",
    "{name}.orig",
    "{name}.old",
    "{name}.save",
    ".{name}.swp",  # vim's swap file
    "{stem}.bak",
)
_MAX_PAGES = 50
_MAX_DIRECTORIES = 30
_SAME = 0.9


def backup_names(name: str) -> list[tuple[str, str]]:
    """(name, template) of each copy an editor or a careful admin leaves beside ``name``."""
    stem, _ = posixpath.splitext(name)
    named = {t.format(name=name, stem=stem): t for t in _TEMPLATES}
    return [(candidate, template) for candidate, template in named.items() if candidate != name]


def _file_pages(pages: list[Exchange]) -> list[Exchange]:
    chosen: dict[str, Exchange] = {}
    for page in pages:
        path = urlsplit(page.url).path
        name = posixpath.basename(path)
        _, extension = posixpath.splitext(name)
        if (
            page.method == "GET"
            and 200 <= page.status < 300
            and extension
            and not name.startswith(".")
            and extension.lower() not in _SKIPPED_EXTENSIONS
        ):
            chosen.setdefault(path, page)
    return list(chosen.values())[:_MAX_PAGES]


def directories(base: str, pages: list[Exchange]) -> list[str]:
    """The base URL and the directory of every crawled page (at most 30), as URLs ending in /."""
    found = [_directory_url(base)]
    found += [_directory_url(page.url) for page in pages if page.status < 400]
    return list(dict.fromkeys(found))[:_MAX_DIRECTORIES]


def _directory_url(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path or "/"
    directory = path if path.endswith("/") else posixpath.dirname(path).rstrip("/") + "/"
    return urlunsplit((parts.scheme, parts.netloc, directory, "", ""))


def _text(exchange: Exchange, *names: str) -> str:
    """The body without the requested names (catch-all pages often echo the path)."""
    body = exchange.body[:20_000]
    for name in names:
        body = body.replace(name, "")
    return body


def _same(a: Exchange, b: Exchange, *names: str) -> bool:
    if a.status != b.status:
        return False
    left, right = _text(a, *names), _text(b, *names)
    return left == right or difflib.SequenceMatcher(None, left, right).ratio() > _SAME


class BackupProber:
    """Asks for backup names of each file page; one random-name control per directory shape."""

    def __init__(self, client: DastClient) -> None:
        self._client = client
        self._controls: dict[tuple[str, str], tuple[Exchange, str]] = {}

    async def probe(self, pages: list[Exchange]) -> list[Finding]:
        """Findings for every backup or editor file that is really served."""
        findings = []
        for page in _file_pages(pages):
            directory = _directory_url(page.url)
            name = posixpath.basename(urlsplit(page.url).path)
            for candidate, template in backup_names(name):
                url = directory + candidate
                if not self._client.scope.allows(url):
                    continue
                answer = await self._client.send("GET", url)
                if await self._served(answer, page, directory, (name, candidate, template)):
                    findings.append(
                        make_finding(
                            rules.EXPOSED_FILE,
                            answer,
                            f"{candidate} (a backup or editor copy of {name}) is served",
                            proof=answer.body[:80],
                            details={"backup_of": page.url},
                        )
                    )
                    break  # one copy proves the point; spare the others
        return findings

    async def _served(
        self, answer: Exchange, page: Exchange, directory: str, names: tuple[str, str, str]
    ) -> bool:
        name, candidate, template = names
        if answer.status != 200 or not answer.body.strip():
            return False
        if _same(answer, page, candidate, name):
            return False  # the suffix is ignored: the page itself came back
        control = await self._control(directory, name, template)
        if control is None:
            return False  # no name of the same shape is in scope: cannot tell, so say nothing
        exchange, random_candidate = control
        if exchange.status != 200:
            return True
        return not _same(answer, exchange, candidate, random_candidate, name)

    async def _control(
        self, directory: str, name: str, template: str
    ) -> tuple[Exchange, str] | None:
        """The answer to a random name of the same shape: what "not found" looks like here."""
        stem, extension = posixpath.splitext(name)
        key = (directory, template + extension)
        if key not in self._controls:
            random = f"sw{secrets.token_hex(4)}"
            # A random name, or (when the scope is a path prefix) the page's name grown by one.
            shapes = (
                template.format(name=random + extension, stem=random),
                template.format(name=f"{name}.{random}", stem=f"{stem}.{random}"),
            )
            in_scope = [s for s in shapes if self._client.scope.allows(directory + s)]
            if not in_scope:
                return None
            control = await self._client.send("GET", directory + in_scope[0])
            self._controls[key] = (control, in_scope[0])
        return self._controls[key]
