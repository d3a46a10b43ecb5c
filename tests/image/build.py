"""Build real container images without Docker: layer tars, docker-save and OCI layouts.

The formats follow the specs the readers implement (Docker's ``docker save`` v1.2 layout with
``manifest.json``; OCI image-spec ``image-layout.md``), so the same bytes a registry or
``docker load`` accepts come out.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent.parent / "data" / "image"


@dataclass(frozen=True)
class M:
    """One tar member."""

    name: str
    data: bytes = b""
    mode: int = 0o644
    type: bytes = tarfile.REGTYPE
    linkname: str = ""


def layer(*members: M) -> bytes:
    """An uncompressed layer tar of ``members``."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for m in members:
            info = tarfile.TarInfo(m.name)
            info.type = m.type
            info.mode = m.mode
            info.linkname = m.linkname
            info.size = len(m.data) if m.type == tarfile.REGTYPE else 0
            tar.addfile(info, io.BytesIO(m.data) if info.size else None)
    return buffer.getvalue()


def sha(data: bytes) -> str:
    """The OCI digest of ``data``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def make_config(layers: list[bytes], steps: list[str] | None = None, **runtime: Any) -> dict:
    """An image config whose diff_ids and history match ``layers``."""
    steps = steps or [f"RUN step {i}" for i in range(len(layers))]
    return {
        "architecture": "amd64",
        "os": "linux",
        "config": runtime,
        "rootfs": {"type": "layers", "diff_ids": [sha(x) for x in layers]},
        "history": [{"created_by": s} for s in steps],
    }


def docker_save(dest: Path, layers: list[bytes], config: dict, tag: str = "test/app:1") -> Path:
    """A ``docker save`` tarball at ``dest``."""
    config_raw = json.dumps(config).encode()
    files: dict[str, bytes] = {f"{sha(config_raw)[7:]}.json": config_raw}
    paths = []
    for raw in layers:
        path = f"{sha(raw)[7:]}/layer.tar"
        files[path] = raw
        paths.append(path)
    manifest = [{"Config": f"{sha(config_raw)[7:]}.json", "RepoTags": [tag], "Layers": paths}]
    files["manifest.json"] = json.dumps(manifest).encode()
    _write_tar(dest, files)
    return dest


def oci_layout(
    dest: Path,
    layers: list[bytes],
    config: dict,
    *,
    compress: bool = True,
    platforms: tuple[str, ...] = (),
    as_tar: bool = False,
) -> Path:
    """An OCI image layout (directory, or tar when ``as_tar``); gzip layers by default.

    With ``platforms``, the same image is listed once per platform in a nested index.
    """
    blobs: dict[str, bytes] = {}

    def put(data: bytes) -> str:
        digest = sha(data)
        blobs[f"blobs/sha256/{digest[7:]}"] = data
        return digest

    config_raw = json.dumps(config).encode()
    layer_descs = []
    for raw in layers:
        blob = gzip.compress(raw, mtime=0) if compress else raw
        media = "application/vnd.oci.image.layer.v1.tar" + ("+gzip" if compress else "")
        layer_descs.append({"mediaType": media, "digest": put(blob), "size": len(blob)})
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": put(config_raw),
            "size": len(config_raw),
        },
        "layers": layer_descs,
    }
    manifest_raw = json.dumps(manifest).encode()
    top = {"mediaType": manifest["mediaType"], "digest": put(manifest_raw)}
    if platforms:
        nested = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [
                {**top, "platform": {"os": p.split("/")[0], "architecture": p.split("/")[1]}}
                for p in platforms
            ],
        }
        top = {"mediaType": nested["mediaType"], "digest": put(json.dumps(nested).encode())}
    top["annotations"] = {"org.opencontainers.image.ref.name": "test/app:oci"}
    files = {
        **blobs,
        "oci-layout": b'{"imageLayoutVersion": "1.0.0"}',
        "index.json": json.dumps({"schemaVersion": 2, "manifests": [top]}).encode(),
    }
    if as_tar:
        _write_tar(dest, files)
    else:
        for name, data in files.items():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes(data)
    return dest


def _write_tar(dest: Path, files: dict[str, bytes]) -> None:
    with tarfile.open(dest, "w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
