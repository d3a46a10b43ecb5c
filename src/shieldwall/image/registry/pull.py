"""Pull an image from a registry into the blob cache and open it as an :class:`Image`.

Manifest (and index, resolved for the platform) and config are fetched and verified first;
then the layer blobs are downloaded concurrently into the cache (or found there), each hashed
while it streams. The returned image's layers open the cached files: the layer view streams the
compressed tars from there, nothing is extracted, and the network is done with before the scan.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
from pydantic import ValidationError

from shieldwall.image.errors import DigestMismatchError
from shieldwall.image.model import Image, ImageConfig, Layer, attach_history
from shieldwall.image.registry.cache import BlobCache
from shieldwall.image.registry.client import MAX_MANIFEST_BYTES
from shieldwall.image.registry.errors import PullError, RegistryUnreachableError
from shieldwall.image.registry.manifest import (
    CONFIG_TYPES,
    FOREIGN_LAYER,
    INDEX_TYPES,
    Descriptor,
    descriptor,
    media_type,
    parse_json,
    select_platform,
    verify,
)
from shieldwall.image.registry.reference import DIGEST, Reference, parse_reference
from shieldwall.image.registry.remote import Connection, Remote
from shieldwall.image.store import MAX_JSON_BYTES

log = logging.getLogger(__name__)
_MAX_NESTING = 4
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class PullOptions:
    """How to reach the registry and where to keep blobs.

    ``password`` is kept out of ``repr``. ``base_url`` overrides ``scheme://host`` (a test seam
    and an escape hatch for registries behind a path prefix).
    """

    cache_dir: Path
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    plain_http: bool = False
    insecure: bool = False
    max_blob_size: int = 8 << 30
    timeout: float = 60.0
    jobs: int = 4
    base_url: str | None = None
    offline: bool = False  # only what the cache holds: a digest pulled before


def pull_image(target: str, platform: str, options: PullOptions) -> Image:
    """The image ``target`` (``registry/repo:tag`` or ``@digest``) for ``platform``."""
    ref = parse_reference(target)
    connection = Connection(
        environ=options.environ,
        username=options.username,
        password=options.password,
        plain_http=options.plain_http,
        base_url=options.base_url,
        offline=options.offline,
    )
    timeout = httpx.Timeout(options.timeout, connect=min(options.timeout, 15.0))
    with httpx.Client(timeout=timeout, verify=not options.insecure) as http:
        return _pull(Remote(ref, connection, http), ref, platform, options)


def _pull(remote: Remote, ref: Reference, platform: str, options: PullOptions) -> Image:
    what = str(ref)
    cache = BlobCache(options.cache_dir / "images")
    manifest_digest, data = _resolve(remote, cache, ref, platform, what)
    config_desc = descriptor(data.get("config"), what, MAX_JSON_BYTES)
    if config_desc.media_type and config_desc.media_type not in CONFIG_TYPES:
        raise PullError(
            f"{what}: not a container image (config media type {config_desc.media_type})"
        )
    raw_layers = data.get("layers")
    if not isinstance(raw_layers, list):
        raise PullError(f"{what}: the manifest lists no layers")
    # Every descriptor is checked before the first download.
    layers = [descriptor(d, what, options.max_blob_size) for d in raw_layers]
    for layer in layers:
        if layer.media_type == FOREIGN_LAYER:
            raise PullError(
                f"{what}: foreign (non-distributable) layer {layer.digest} not supported"
            )
    raw_config = _config_bytes(remote, cache, config_desc, options, what)
    config = _config(raw_config, what)
    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        paths = list(pool.map(lambda d: _fetch(remote, cache, d, options, what), layers))
    diff_ids = config.rootfs.diff_ids if len(config.rootfs.diff_ids) == len(layers) else []
    steps = attach_history(config, len(layers))
    return Image(
        name=f"{what}@{manifest_digest}" if not ref.digest else what,
        config=config,
        layers=tuple(
            Layer(
                index=i,
                digest=d.digest,
                diff_id=diff_ids[i] if diff_ids else "",
                created_by=steps[i],
                open=_opener(paths[i]),
            )
            for i, d in enumerate(layers)
        ),
        config_json=raw_config,
    )


def _resolve(
    remote: Remote, cache: BlobCache, ref: Reference, platform: str, what: str
) -> tuple[str, dict[str, object]]:
    """The image manifest's digest and JSON, through indexes, every step verified."""
    reference = ref.manifest_ref
    for _ in range(_MAX_NESTING):
        body, header_type, digest = _manifest(remote, cache, reference, what)
        data = parse_json(body, f"{what}: manifest")
        kind = media_type(header_type, data, what)
        if kind not in INDEX_TYPES:
            return digest, data
        raw_entries = data.get("manifests")
        entries = [
            descriptor(e, what, 1 << 62)
            for e in (raw_entries if isinstance(raw_entries, list) else [])
        ]
        chosen = select_platform(entries, platform, what)
        log.debug("%s: platform %s is %s", what, platform, chosen.digest)
        reference = chosen.digest
    raise PullError(f"{what}: indexes nested more than {_MAX_NESTING} deep")


def _manifest(
    remote: Remote, cache: BlobCache, reference: str, what: str
) -> tuple[bytes, str, str]:
    """A manifest's bytes, served media type and digest; by digest from the cache if there.

    Manifests are content-addressed like blobs, so each one fetched is cached under its digest:
    a later pull by digest (or ``--offline``) needs no request. A tag is always asked for.
    """
    # A tag may look like "sha-1f2e3d" (CI builds): only a full digest counts as one.
    if DIGEST.match(reference):
        cached = cache.lookup(reference, -1)
        if cached is not None and cached.stat().st_size <= MAX_MANIFEST_BYTES:
            body = cached.read_bytes()
            if _matches(body, reference):
                return body, "", reference
            cached.unlink(missing_ok=True)  # altered in the cache: fetch it again
    served = remote.client(f"manifest {reference}").get_manifest(reference)
    digest = reference if DIGEST.match(reference) else served.digest_header
    if not DIGEST.match(digest):
        # No digest to check a tag's manifest against: name it by its content.
        digest = "sha256:" + hashlib.sha256(served.body).hexdigest()
    verify(served.body, digest, f"{what}: manifest")
    cache.store(digest, len(served.body), [served.body], MAX_MANIFEST_BYTES, f"{what}: manifest")
    return served.body, served.media_type, digest


def _matches(body: bytes, digest: str) -> bool:
    try:
        verify(body, digest, "cached blob")
    except DigestMismatchError:
        return False
    return True


def _config_bytes(
    remote: Remote, cache: BlobCache, desc: Descriptor, options: PullOptions, what: str
) -> bytes:
    """The config blob, verified; a cached copy altered on disk is fetched again."""
    path = _fetch(remote, cache, desc, options, what)
    raw = path.read_bytes()
    if not _matches(raw, desc.digest):
        path.unlink(missing_ok=True)
        raw = _fetch(remote, cache, desc, options, what).read_bytes()
        verify(raw, desc.digest, f"{what}: config")
    return raw


def _config(raw: bytes, what: str) -> ImageConfig:
    try:
        return ImageConfig.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PullError(f"{what}: invalid image config at {where}: {first['msg']}") from exc


def _fetch(
    remote: Remote, cache: BlobCache, desc: Descriptor, options: PullOptions, what: str
) -> Path:
    cached = cache.lookup(desc.digest, desc.size)
    if cached is not None:
        log.debug("%s: %s from the cache", what, desc.digest)
        return cached
    blob_what = f"{what}: blob {desc.digest}"
    with remote.client(f"blob {desc.digest}").blob(desc.digest) as response:
        try:
            return cache.store(
                desc.digest,
                desc.size,
                response.iter_bytes(_CHUNK),
                options.max_blob_size,
                blob_what,
            )
        except httpx.TransportError as exc:
            raise RegistryUnreachableError(f"{blob_what}: the download broke: {exc}") from exc


def _opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")
