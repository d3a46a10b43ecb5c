"""A client of the OCI Distribution Spec v2 API: manifests and blobs, with auth and redirects.

Redirects are followed by hand (blob downloads are usually redirected to object storage) so
that ``Authorization`` is dropped whenever a hop leaves the registry's origin: a bearer token
or a password must never reach the storage host. Responses are streamed; nothing is buffered
beyond a manifest.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from shieldwall.image.registry.auth import (
    HOW_TO_LOG_IN,
    Challenge,
    basic_header,
    fetch_token,
    parse_challenge,
)
from shieldwall.image.registry.credentials import Credentials
from shieldwall.image.registry.errors import (
    PullError,
    RegistryAuthError,
    RegistryUnreachableError,
)

MANIFEST_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
MAX_MANIFEST_BYTES = 4 << 20  # distribution's own limit on a manifest PUT
_MAX_REDIRECTS = 5
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Manifest:
    """A manifest as served: raw bytes (for the digest), media type, announced digest."""

    body: bytes
    media_type: str
    digest_header: str


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


class RegistryClient:
    """Read access to one repository's manifests and blobs on one registry."""

    def __init__(
        self,
        base_url: str,
        repository: str,
        credentials: Credentials,
        http: httpx.Client,
        *,
        allow_http_auth: bool = False,
    ) -> None:
        """``base_url`` is ``scheme://host[:port]``; ``http`` must not follow redirects."""
        self.base_url = base_url.rstrip("/")
        self.repository = repository
        self._credentials = credentials
        self._http = http
        self._allow_http_auth = allow_http_auth
        self._lock = threading.Lock()
        self._authorization = ""  # what the last successful challenge asked for
        self.host = urlsplit(self.base_url).netloc

    @property
    def scope(self) -> str:
        """The token scope a pull needs."""
        return f"repository:{self.repository}:pull"

    def get_manifest(self, reference: str) -> Manifest:
        """The manifest (or index) named by a tag or a digest, all media types accepted."""
        url = f"{self.base_url}/v2/{self.repository}/manifests/{reference}"
        with self._get(url, {"Accept": ", ".join(MANIFEST_TYPES)}) as response:
            if response.status_code == 404:
                raise PullError(
                    f"{self.host}/{self.repository}: no manifest {reference!r} (manifest unknown)"
                )
            self._check_status(response, f"manifest {reference}")
            body = _read_capped(response, MAX_MANIFEST_BYTES, f"manifest {reference}")
            media_type = response.headers.get("content-type", "").split(";")[0].strip()
            return Manifest(body, media_type, response.headers.get("docker-content-digest", ""))

    @contextmanager
    def blob(self, digest: str) -> Iterator[httpx.Response]:
        """The blob's response, streaming (its ``iter_bytes`` reads the body)."""
        url = f"{self.base_url}/v2/{self.repository}/blobs/{digest}"
        with self._get(url, {}) as response:
            if response.status_code == 404:
                raise PullError(f"{self.host}/{self.repository}: blob {digest} is missing")
            self._check_status(response, f"blob {digest}")
            yield response

    def _check_status(self, response: httpx.Response, what: str) -> None:
        if response.status_code == 403:
            raise RegistryAuthError(
                f"{self.host}: access to {self.repository} denied ({what}); {HOW_TO_LOG_IN}"
            )
        if response.status_code == 429:
            raise PullError(
                f"{self.host}: {what}: rate limited (HTTP 429); wait, or pull with credentials "
                "(registries such as Docker Hub allow more pulls to logged-in users)"
            )
        if response.status_code != 200:
            raise PullError(f"{self.host}: {what}: HTTP {response.status_code}")

    @contextmanager
    def _get(self, url: str, headers: dict[str, str]) -> Iterator[httpx.Response]:
        response = self._follow(url, headers)
        try:
            if response.status_code == 401:
                challenge = parse_challenge(response.headers.get("www-authenticate", ""))
                response.close()
                self._answer(challenge)
                response = self._follow(url, headers)
                if response.status_code == 401:
                    raise RegistryAuthError(self._rejected())
            yield response
        finally:
            response.close()

    def _answer(self, challenge: Challenge | None) -> None:
        if challenge is None:
            raise RegistryAuthError(
                f"{self.host} requires authentication with a scheme shieldwall does not speak"
            )
        if challenge.scheme == "basic":
            if self._credentials.anonymous or not self._credentials.username:
                raise RegistryAuthError(
                    f"{self.host} requires a user name and password for {self.repository}; "
                    + HOW_TO_LOG_IN
                )
            self._set_authorization(basic_header(self._credentials))
            return
        token = fetch_token(
            self._http,
            challenge,
            self.scope,
            self._credentials,
            allow_http=self._allow_http_auth,
        )
        self._set_authorization(f"Bearer {token}")

    def _set_authorization(self, value: str) -> None:
        with self._lock:
            self._authorization = value

    def _rejected(self) -> str:
        if self._credentials.anonymous:
            return f"{self.host} refused anonymous access to {self.repository}; {HOW_TO_LOG_IN}"
        return (
            f"{self.host} rejected the credentials from {self._credentials.source} "
            f"for {self.repository}; check them"
        )

    def _follow(self, url: str, headers: dict[str, str]) -> httpx.Response:
        """GET ``url``, following redirects; ``Authorization`` only to the registry's origin."""
        origin = _origin(httpx.URL(self.base_url))
        current = httpx.URL(url)
        for _ in range(_MAX_REDIRECTS + 1):
            sent = dict(headers)
            with self._lock:
                authorization = self._authorization
            if authorization and _origin(current) == origin:
                sent["Authorization"] = authorization
            response = self._send(current, sent)
            if response.status_code not in {301, 302, 303, 307, 308}:
                return response
            location = response.headers.get("location", "")
            response.close()
            if not location:
                raise PullError(f"{self.host}: a redirect without a Location")
            current = httpx.URL(urljoin(str(current), location))
            if current.scheme not in {"http", "https"}:
                raise PullError(f"{self.host}: redirect to an unusable URL {current.scheme}:")
        raise PullError(f"{self.host}: more than {_MAX_REDIRECTS} redirects")

    def _send(self, url: httpx.URL, headers: dict[str, str]) -> httpx.Response:
        request = self._http.build_request("GET", url, headers=headers)
        try:
            return self._http.send(request, stream=True, follow_redirects=False)
        except httpx.TimeoutException as exc:
            raise RegistryUnreachableError(f"{url.host}: the registry timed out ({exc})") from exc
        except httpx.TransportError as exc:
            hint = ""
            if "SSL" in str(exc) or "CERTIFICATE" in str(exc).upper():
                hint = (
                    " (a TLS problem: for a registry without TLS use --plain-http; "
                    "for a self-signed certificate --insecure)"
                )
            raise RegistryUnreachableError(
                f"cannot reach the registry at {url.scheme}://{url.netloc.decode()}: {exc}{hint}"
            ) from exc


def _read_capped(response: httpx.Response, cap: int, what: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.iter_bytes(_CHUNK):
            total += len(chunk)
            if total > cap:
                raise PullError(f"{what}: larger than {cap} bytes")
            chunks.append(chunk)
    except httpx.TransportError as exc:
        raise RegistryUnreachableError(f"{what}: the connection broke: {exc}") from exc
    return b"".join(chunks)
