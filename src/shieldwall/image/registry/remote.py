"""The registry connection of one pull, opened on first need.

A pull whose manifests and blobs are all in the cache (an image pinned by digest and pulled
before) never resolves credentials, runs a credential helper, or opens a connection; under
``--offline`` needing the network is an error that names what is missing.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from shieldwall.image.registry.client import RegistryClient
from shieldwall.image.registry.credentials import resolve_credentials
from shieldwall.image.registry.errors import PullError
from shieldwall.image.registry.reference import Reference
from shieldwall.image.registry.transport import candidate_urls, choose_url


@dataclass(frozen=True, slots=True)
class Connection:
    """What it takes to connect: the options of the pull that concern the network."""

    environ: Mapping[str, str]
    username: str | None
    password: str | None
    plain_http: bool
    base_url: str | None
    offline: bool


class Remote:
    """Makes the :class:`RegistryClient` once, the first time something is not cached."""

    def __init__(self, ref: Reference, connection: Connection, http: httpx.Client) -> None:
        """Nothing is contacted yet."""
        self._ref = ref
        self._connection = connection
        self._http = http
        self._lock = threading.Lock()
        self._client: RegistryClient | None = None

    def client(self, needed_for: str) -> RegistryClient:
        """The client; ``needed_for`` names what is missing, for the ``--offline`` error."""
        if self._connection.offline:
            raise PullError(
                f"{self._ref}: {needed_for} is not in the cache and --offline forbids the network"
            )
        with self._lock:  # layer downloads run in threads: one probe, one credential lookup
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self) -> RegistryClient:
        c = self._connection
        credentials = resolve_credentials(self._ref.registry, c.environ, c.username, c.password)
        urls = candidate_urls(self._ref, c.base_url, c.plain_http)
        return RegistryClient(
            choose_url(urls, self._http),
            self._ref.repository,
            credentials,
            self._http,
            allow_http_auth=c.plain_http,
        )
