"""Active probes that are not about one parameter: CORS origin trust and exposed files (in
every directory the crawl saw)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from shieldwall.core.finding import Finding
from shieldwall.dast import rules
from shieldwall.dast.client import DastClient
from shieldwall.dast.evidence import make_finding
from shieldwall.dast.model import Exchange

_EVIL_ORIGIN = "https://sw-cors.invalid"


@dataclass(frozen=True, slots=True)
class FileProbe:
    """A path that must never be served, and what its content looks like when it is."""

    path: str
    signature: re.Pattern[str]


# A signature, not the status code, decides: many servers answer unknown paths with 200.
FILE_PROBES = (
    FileProbe(".git/HEAD", re.compile(r"\Aref: refs/\S+\s*\Z|\A[0-9a-f]{40}\s*\Z")),
    FileProbe(".git/config", re.compile(r"^\[core\]\s*$", re.M)),
    FileProbe(".env", re.compile(r"\A(?:\s*(?:#.*|[A-Z][A-Z0-9_]*=.*)\n)*\s*[A-Z][A-Z0-9_]*=")),
    FileProbe(".htpasswd", re.compile(r"^\w+:(?:\$apr1\$|\$2[aby]\$|\{SHA\})", re.M)),
    FileProbe("backup.sql", re.compile(r"CREATE TABLE|INSERT INTO", re.I)),
)


async def probe_files(client: DastClient, directories: list[str]) -> list[Finding]:
    """Request each well-known sensitive path in every directory and check its signature."""
    findings = []
    for directory in directories:
        for probe in FILE_PROBES:
            url = urljoin(directory, probe.path)
            if not client.scope.allows(url):
                continue
            exchange = await client.send("GET", url)
            if exchange.status == 200 and not exchange.is_html:
                match = probe.signature.search(exchange.body)
                if match:
                    findings.append(
                        make_finding(
                            rules.EXPOSED_FILE,
                            exchange,
                            f"{probe.path} is served",
                            proof=match.group(0)[:80],
                        )
                    )
    return findings


def wants_cors_probe(exchange: Exchange) -> bool:
    """Probe responses that take part in CORS or are APIs: others never get cross-origin reads."""
    cors = any(name.lower().startswith("access-control-") for name, _ in exchange.headers)
    return cors or "json" in exchange.content_type


async def probe_cors(client: DastClient, exchange: Exchange) -> list[Finding]:
    """Whether an arbitrary origin, then ``null``, is trusted with credentials."""
    for origin in (_EVIL_ORIGIN, "null"):
        answer = await client.send(exchange.method, exchange.url, headers={"Origin": origin})
        allowed = (answer.header("access-control-allow-origin") or "").strip()
        credentials = (answer.header("access-control-allow-credentials") or "").lower()
        if allowed == origin and credentials.strip() == "true":
            return [
                make_finding(
                    rules.CORS_REFLECTED,
                    answer,
                    f"Origin {origin} is trusted with credentials",
                    parameter="Access-Control-Allow-Origin",
                    proof=allowed,
                )
            ]
    return []
