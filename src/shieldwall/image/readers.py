"""Readers of image layouts on disk: docker-save tarballs and OCI image layouts (dir or tar).

docker-save: ``manifest.json`` lists ``Config`` and ``Layers`` (paths in the archive; layers
are checked against the config's ``rootfs.diff_ids``). OCI image layout (``image-layout.md``):
``index.json`` points at a manifest or a nested index; blobs live at ``blobs/<alg>/<hex>`` and are
checked against their digests. Docker 25+ writes both; ``manifest.json`` is preferred then.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from shieldwall.image.errors import ImageError
from shieldwall.image.model import Image, ImageConfig, Layer, attach_history
from shieldwall.image.store import BlobStore, DirStore, TarStore, read_small, safe_relpath

_DIGEST = re.compile(r"^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$")
_INDEX_TYPES = {
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
}
DEFAULT_PLATFORM = "linux/amd64"


def open_layout(target: Path, platform: str = DEFAULT_PLATFORM) -> Image:
    """The image in a docker-save or OCI layout at ``target`` (a directory or a tar file)."""
    if target.is_dir():
        return _read(DirStore(target), str(target), platform)
    tar = TarStore(target)
    try:
        image = _read(tar, str(target), platform)
    except BaseException:
        tar.close()
        raise
    return dataclasses.replace(image, closer=tar.close)


def _read(store: BlobStore, what: str, platform: str) -> Image:
    if store.exists("manifest.json"):
        return _docker_save(store, what)
    if store.exists("index.json"):
        return _oci(store, what, platform)
    raise ImageError(f"{what}: neither a docker-save archive nor an OCI image layout")


def _json(store: BlobStore, path: str, what: str) -> Any:
    try:
        return json.loads(read_small(store, path, what))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImageError(f"{what}: {path} is not valid JSON: {exc}") from exc


def _config(raw: bytes, what: str) -> ImageConfig:
    try:
        return ImageConfig.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ImageError(f"{what}: invalid image config at {where}: {first['msg']}") from exc


def _opener(store: BlobStore, path: str) -> Callable[[], IO[bytes]]:
    return lambda: store.open(path)


def _docker_save(store: BlobStore, what: str) -> Image:
    manifest = _json(store, "manifest.json", what)
    if not isinstance(manifest, list) or not manifest or not isinstance(manifest[0], dict):
        raise ImageError(f"{what}: manifest.json is not a list of images")
    entry = manifest[0]
    config_path = safe_relpath(str(entry.get("Config", "")), what)
    raw_config = read_small(store, config_path, what)
    config = _config(raw_config, what)
    paths = [safe_relpath(str(p), what) for p in entry.get("Layers") or []]
    diff_ids = config.rootfs.diff_ids
    if diff_ids and len(diff_ids) != len(paths):
        raise ImageError(
            f"{what}: {len(paths)} layers but the config lists {len(diff_ids)} diff_ids"
        )
    steps = attach_history(config, len(paths))
    layers = tuple(
        Layer(
            index=i,
            digest="",
            diff_id=diff_ids[i] if diff_ids else "",
            created_by=steps[i],
            open=_opener(store, path),
        )
        for i, path in enumerate(paths)
    )
    tags = entry.get("RepoTags") or []
    name = str(tags[0]) if tags else what
    return Image(name=name, config=config, layers=layers, config_json=raw_config)


def _blob_path(digest: object, what: str) -> str:
    if not isinstance(digest, str) or not _DIGEST.match(digest):
        raise ImageError(f"{what}: invalid digest {digest!r}")
    algorithm, hexdigest = digest.split(":", 1)
    return f"blobs/{algorithm}/{hexdigest}"


def _verified_json(store: BlobStore, digest: object, what: str) -> bytes:
    path = _blob_path(digest, what)
    data = read_small(store, path, what)
    algorithm, hexdigest = str(digest).split(":", 1)
    if hashlib.new(algorithm, data).hexdigest() != hexdigest:
        raise ImageError(f"{what}: blob {digest} does not match its digest")
    return data


def _oci(store: BlobStore, what: str, platform: str) -> Image:
    index = _json(store, "index.json", what)
    descriptor = _pick(index.get("manifests") or [], platform, what)
    for _ in range(4):  # an index may point at a nested index; bounded against loops
        if descriptor.get("mediaType") not in _INDEX_TYPES:
            break
        nested = json.loads(_verified_json(store, descriptor.get("digest"), what))
        descriptor = _pick(nested.get("manifests") or [], platform, what)
    manifest = json.loads(_verified_json(store, descriptor.get("digest"), what))
    raw_config = _verified_json(store, (manifest.get("config") or {}).get("digest"), what)
    config = _config(raw_config, what)
    descriptors = manifest.get("layers") or []
    steps = attach_history(config, len(descriptors))
    diff_ids = config.rootfs.diff_ids if len(config.rootfs.diff_ids) == len(descriptors) else []
    layers = tuple(
        Layer(
            index=i,
            digest=str(d.get("digest")),
            diff_id=diff_ids[i] if diff_ids else "",
            created_by=steps[i],
            open=_opener(store, _blob_path(d.get("digest"), what)),
        )
        for i, d in enumerate(descriptors)
    )
    annotations = descriptor.get("annotations") or {}
    name = str(annotations.get("org.opencontainers.image.ref.name") or what)
    return Image(name=name, config=config, layers=layers, config_json=raw_config)


def _pick(manifests: Sequence[Any], platform: str, what: str) -> dict[str, Any]:
    """The descriptor for ``platform`` (``os/arch[/variant]``); the only one if there is one."""
    candidates = [m for m in manifests if isinstance(m, dict)]
    if not candidates:
        raise ImageError(f"{what}: the index lists no manifests")
    with_platform = [m for m in candidates if isinstance(m.get("platform"), dict)]
    if len(candidates) == 1 or not with_platform:
        return candidates[0]
    for m in with_platform:
        p = m["platform"]
        parts = [str(p.get("os", "")), str(p.get("architecture", ""))]
        if p.get("variant"):
            parts.append(str(p["variant"]))
        if "/".join(parts) == platform or "/".join(parts[:2]) == platform:
            return m
    offered = ", ".join(
        f"{m['platform'].get('os')}/{m['platform'].get('architecture')}" for m in with_platform
    )
    raise ImageError(f"{what}: no manifest for platform {platform} (offered: {offered})")
