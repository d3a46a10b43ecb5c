"""Everything one DAST scan is told, as one frozen value (built by the CLI or a test)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shieldwall.analyzers.secrets.config import SecretsConfig
from shieldwall.dast.client import Limits


@dataclass(frozen=True, slots=True)
class DastOptions:
    """One DAST scan: the target, scope, limits, inputs and mode."""

    target: str
    passive_only: bool = False
    limits: Limits = field(default_factory=Limits)
    max_depth: int = 6
    max_pages: int = 500
    excludes: tuple[str, ...] = ()
    extra_hosts: tuple[str, ...] = ()
    path_prefixes: tuple[str, ...] = ()
    seeds: tuple[str, ...] = ()
    seed_file: Path | None = None
    openapi: str | None = None  # a file path or a URL within scope
    graphql: str | None = None  # a GraphQL endpoint (URL or path); None: try the common paths
    graphql_schema: Path | None = None  # a saved introspection result, for closed endpoints
    browser: bool = False  # crawl with headless Chromium too (single-page apps)
    secrets: SecretsConfig | None = None  # [analyzers.secrets] for secrets in responses
    auth_file: Path | None = None
    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    bearer: str | None = None
    verify_tls: bool = True
    callback_host: str = "127.0.0.1"  # where the target can reach the scanner (SSRF proof)
