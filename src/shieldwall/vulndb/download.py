"""Downloading OSV per-ecosystem archives (``<base>/<Ecosystem>/all.zip``) over HTTP(S).

Conditional requests (``If-None-Match``/``If-Modified-Since``) skip unchanged archives; the body is
streamed to a temporary file under a size cap; integrity is checked (``Content-Length``, the
``x-goog-hash`` MD5 that the OSV bucket sends, and every member's CRC in the zip) before the
archive replaces the previous one, so a failed download never leaves a broken archive behind.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import httpx

from shieldwall.vulndb.errors import AdvisorySourceError, DownloadError
from shieldwall.vulndb.sources import check_member_name

DEFAULT_BASE_URL = "https://osv-vulnerabilities.storage.googleapis.com"
DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024
DEFAULT_TIMEOUT = httpx.Timeout(30.0, read=120.0)


class FetchStatus(StrEnum):
    """What a fetch did."""

    UPDATED = "updated"
    NOT_MODIFIED = "not-modified"


@dataclass(frozen=True, slots=True)
class Validators:
    """The cache validators of a downloaded archive."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def load(cls, path: Path) -> Validators:
        """Validators saved beside an archive (empty when there are none)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        return cls(etag=data.get("etag"), last_modified=data.get("last_modified"))

    def save(self, path: Path) -> None:
        """Write the validators beside the archive."""
        path.write_text(
            json.dumps({"etag": self.etag, "last_modified": self.last_modified}), encoding="utf-8"
        )


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one archive fetch."""

    ecosystem: str
    status: FetchStatus
    size: int = 0


class OsvClient:
    """Fetches OSV archives; the HTTP client and base URL are injected (tests use 127.0.0.1)."""

    def __init__(
        self,
        client: httpx.Client,
        base_url: str = DEFAULT_BASE_URL,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.max_bytes = max_bytes

    def url_for(self, ecosystem: str) -> str:
        """The archive URL of an ecosystem."""
        return f"{self.base_url}/{ecosystem}/all.zip"

    def fetch(self, ecosystem: str, archive: Path) -> FetchResult:
        """Download an ecosystem's archive to ``archive`` unless it is unchanged."""
        meta_path = archive.with_suffix(".meta.json")
        validators = Validators.load(meta_path) if archive.is_file() else Validators()
        headers = {}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        url = self.url_for(ecosystem)
        temp = archive.with_name(f".{archive.name}.part")
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return FetchResult(ecosystem, FetchStatus.NOT_MODIFIED)
                size = self._save(url, response, temp)
                new_validators = Validators(
                    response.headers.get("etag"), response.headers.get("last-modified")
                )
        except httpx.HTTPError as exc:
            temp.unlink(missing_ok=True)
            raise DownloadError(f"{url}: {type(exc).__name__}: {exc}") from exc
        except DownloadError:
            temp.unlink(missing_ok=True)
            raise
        try:
            verify_zip(temp)
        except (DownloadError, AdvisorySourceError):
            temp.unlink(missing_ok=True)
            raise
        temp.replace(archive)
        new_validators.save(meta_path)
        return FetchResult(ecosystem, FetchStatus.UPDATED, size)

    def _save(self, url: str, response: httpx.Response, temp: Path) -> int:
        if response.status_code != 200:
            raise DownloadError(f"{url}: HTTP {response.status_code}")
        declared = response.headers.get("content-length")
        if declared is not None and int(declared) > self.max_bytes:
            raise DownloadError(f"{url}: {declared} bytes is over the {self.max_bytes}-byte cap")
        md5 = hashlib.md5(usedforsecurity=False)  # integrity check against the server's MD5
        size = 0
        temp.parent.mkdir(parents=True, exist_ok=True)
        with temp.open("wb") as out:
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > self.max_bytes:
                    raise DownloadError(f"{url}: body exceeds the {self.max_bytes}-byte cap")
                md5.update(chunk)
                out.write(chunk)
        if declared is not None and int(declared) != size:
            raise DownloadError(f"{url}: truncated ({size} of {declared} bytes)")
        expected = _goog_md5(response.headers.get_list("x-goog-hash"))
        if expected is not None and expected != md5.digest():
            raise DownloadError(f"{url}: MD5 mismatch; the download is corrupt")
        return size


def _goog_md5(values: list[str]) -> bytes | None:
    for value in values:
        for part in value.split(","):
            key, _, encoded = part.strip().partition("=")
            if key == "md5":
                try:
                    return base64.b64decode(encoded)
                except ValueError:
                    return None
    return None


def verify_zip(path: Path) -> None:
    """Check that a zip is complete, safe and passes every member's CRC."""
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                check_member_name(member.filename)
            bad = archive.testzip()
    except zipfile.BadZipFile as exc:
        raise DownloadError(f"{path.name}: not a valid zip archive ({exc})") from exc
    if bad is not None:
        raise DownloadError(f"{path.name}: member {bad!r} fails its CRC check")
