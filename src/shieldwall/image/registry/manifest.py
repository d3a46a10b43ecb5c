"""Manifests and indexes as served by a registry: media types, descriptors, platform choice.

OCI image-spec ``manifest.md`` / ``image-index.md`` and Docker's image manifest v2 schema 2 and
manifest list: the same shape under different media types. Schema 1 manifests (signed, without
a config blob) were removed from distribution in 2020 and are refused with a clear message.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from shieldwall.image.errors import DigestMismatchError
from shieldwall.image.registry.errors import PullError
from shieldwall.image.registry.reference import DIGEST

INDEX_TYPES = frozenset(
    {
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    }
)
IMAGE_TYPES = frozenset(
    {
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    }
)
CONFIG_TYPES = frozenset(
    {
        "application/vnd.oci.image.config.v1+json",
        "application/vnd.docker.container.image.v1+json",
    }
)
FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1"


@dataclass(frozen=True, slots=True)
class Descriptor:
    """A content descriptor: media type, digest and size (OCI image-spec ``descriptor.md``)."""

    media_type: str
    digest: str
    size: int
    platform: str = ""  # "os/arch[/variant]" for index entries


def verify(body: bytes, digest: str, what: str) -> None:
    """:class:`DigestMismatchError` unless ``body`` hashes to ``digest``."""
    algorithm, _, hexdigest = digest.partition(":")
    if (
        algorithm not in {"sha256", "sha512"}
        or hashlib.new(algorithm, body).hexdigest() != hexdigest
    ):
        raise DigestMismatchError(f"{what}: digest mismatch: the content is not {digest}")


def parse_json(body: bytes, what: str) -> dict[str, Any]:
    """A manifest's JSON object."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PullError(f"{what}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise PullError(f"{what}: not a JSON object")
    return data


def media_type(header: str, data: dict[str, Any], what: str) -> str:
    """The manifest's media type: its ``mediaType`` field, else the Content-Type header."""
    found = str(data.get("mediaType") or header or "")
    if found.startswith(_SCHEMA1) or data.get("schemaVersion") == 1:
        raise PullError(
            f"{what}: a Docker schema 1 manifest (deprecated and unsupported); "
            "push the image again with a current client"
        )
    if found in INDEX_TYPES or found in IMAGE_TYPES:
        return found
    # An OCI manifest may omit mediaType; its shape tells.
    if "manifests" in data:
        return "application/vnd.oci.image.index.v1+json"
    if "config" in data and "layers" in data:
        return "application/vnd.oci.image.manifest.v1+json"
    raise PullError(f"{what}: not an image manifest or index (media type {found or 'none'})")


def descriptor(raw: object, what: str, max_size: int) -> Descriptor:
    """A checked descriptor: a known digest algorithm and a size within ``max_size``."""
    if not isinstance(raw, dict):
        raise PullError(f"{what}: a descriptor is not an object")
    digest, size = raw.get("digest"), raw.get("size")
    if not isinstance(digest, str) or not DIGEST.match(digest):
        raise PullError(f"{what}: invalid digest {digest!r}")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise PullError(f"{what}: invalid size {size!r} for {digest}")
    if size > max_size:
        raise PullError(
            f"{what}: blob {digest} is {size} bytes, over the limit of {max_size} "
            "(raise --max-layer-size)"
        )
    platform = raw.get("platform")
    name = ""
    if isinstance(platform, dict):
        parts = [str(platform.get("os", "")), str(platform.get("architecture", ""))]
        if platform.get("variant"):
            parts.append(str(platform["variant"]))
        name = "/".join(parts)
    return Descriptor(str(raw.get("mediaType") or ""), digest, size, name)


def select_platform(entries: list[Descriptor], platform: str, what: str) -> Descriptor:
    """The index entry for ``platform`` (``os/arch[/variant]``).

    Attestation entries (``unknown/unknown``, written by BuildKit) are not images. ``os/arch``
    matches any variant when the index offers only one for that pair.
    """
    images = [e for e in entries if not e.platform.startswith("unknown/")]
    if not images:
        raise PullError(f"{what}: the index lists no images")
    if len(images) == 1 and not images[0].platform:
        return images[0]
    exact = [e for e in images if e.platform == platform]
    if exact:
        return exact[0]
    loose = [e for e in images if "/".join(e.platform.split("/")[:2]) == platform]
    if len(loose) == 1:
        return loose[0]
    offered = ", ".join(sorted({e.platform or "unspecified" for e in images}))
    raise PullError(
        f"{what}: no image for platform {platform} (offered: {offered}); choose with --platform"
    )
