"""Fixtures of the registry tests: real registries on 127.0.0.1 and images pushed to them."""

from __future__ import annotations

import gzip
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from tests.image.build import DATA, M, layer, make_config, sha
from tests.servers.registry import (
    TokenServer,
    htpasswd_auth,
    registry_binary,
    serve_registry,
    serve_tokens,
    token_auth,
)

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
USER, PASSWORD = "alice", "pw-" + "correct-horse"  # built so the self-scan sees no literal

# Built at run time so the self-scan of this repository sees no key.
AWS_KEY = "AKIA" + "QWERTYUIOPASDFGH"
STEPS = ["ADD rootfs.tar /", "COPY credentials /root/.aws/", "RUN rm /root/.aws/credentials"]

needs_registry = pytest.mark.skipif(
    registry_binary() is None,
    reason="distribution's registry is not installed (apt-get install docker-registry)",
)


@dataclass
class Built:
    """An image ready to push: manifest bytes, its media type and digest, and every blob."""

    manifest: bytes
    media_type: str
    blobs: dict[str, bytes] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        """The manifest's digest."""
        return sha(self.manifest)


def shop_layers() -> list[bytes]:
    """The layers of the test image: a Debian base, a credential, its deletion."""
    base = layer(
        M("etc/", type=tarfile.DIRTYPE, mode=0o755),
        M("etc/os-release", (DATA / "os-release-debian12").read_bytes()),
        M("var/lib/dpkg/status", (DATA / "dpkg-status").read_bytes()),
        M("usr/bin/passwd", b"\x7fELF\0\0", mode=0o4755),
        M("tmp/", type=tarfile.DIRTYPE, mode=0o1777),
    )
    creds = layer(M("root/.aws/credentials", f"aws_access_key_id = {AWS_KEY}\n".encode()))
    cleanup = layer(M("root/.aws/.wh.credentials"))
    return [base, creds, cleanup]


def build_image(
    layers: list[bytes], *, docker: bool = False, architecture: str = "amd64", **runtime: object
) -> Built:
    """A gzip-layered image in OCI (or Docker v2 schema 2) media types."""
    config = make_config(layers, STEPS if len(layers) == 3 else None, **runtime)
    config["architecture"] = architecture
    config_raw = json.dumps(config).encode()
    blobs = {sha(config_raw): config_raw}
    descriptors = []
    for raw in layers:
        blob = gzip.compress(raw, mtime=0)
        blobs[sha(blob)] = blob
        media = (
            "application/vnd.docker.image.rootfs.diff.tar.gzip"
            if docker
            else "application/vnd.oci.image.layer.v1.tar+gzip"
        )
        descriptors.append({"mediaType": media, "digest": sha(blob), "size": len(blob)})
    media_type = DOCKER_MANIFEST if docker else OCI_MANIFEST
    manifest = {
        "schemaVersion": 2,
        "mediaType": media_type,
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json"
            if docker
            else "application/vnd.oci.image.config.v1+json",
            "digest": sha(config_raw),
            "size": len(config_raw),
        },
        "layers": descriptors,
    }
    return Built(json.dumps(manifest).encode(), media_type, blobs)


def build_index(images: dict[str, Built], *, docker: bool = False) -> Built:
    """An index (or Docker manifest list) of ``platform -> image``."""
    media_type = DOCKER_LIST if docker else OCI_INDEX
    entries = []
    for platform, image in images.items():
        os_name, arch, *variant = platform.split("/")
        plat = {"os": os_name, "architecture": arch, **({"variant": variant[0]} if variant else {})}
        entries.append(
            {
                "mediaType": image.media_type,
                "digest": image.digest,
                "size": len(image.manifest),
                "platform": plat,
            }
        )
    index = {"schemaVersion": 2, "mediaType": media_type, "manifests": entries}
    return Built(json.dumps(index).encode(), media_type)


def push_built(base: str, repository: str, reference: str, built: Built, auth: str = "") -> None:
    """Push one image (blobs, then manifest) to the registry at ``base``."""
    from tests.servers.registry import push

    push(base, repository, reference, built.manifest, built.media_type, built.blobs, auth)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An anonymous registry; its base URL."""
    if registry_binary() is None:
        pytest.skip("distribution's registry is not installed (apt-get install docker-registry)")
    with serve_registry(tmp_path_factory.mktemp("registry")) as base:
        yield base


@pytest.fixture(scope="module")
def token_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, TokenServer]]:
    """A registry with token auth, and its token server (user alice)."""
    if registry_binary() is None:
        pytest.skip("distribution's registry is not installed (apt-get install docker-registry)")
    root = tmp_path_factory.mktemp("token-registry")
    with (
        serve_tokens(TokenServer(users={USER: PASSWORD})) as tokens,
        serve_registry(root, token_auth(root, tokens)) as base,
    ):
        yield base, tokens


@pytest.fixture(scope="module")
def basic_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A registry with htpasswd (Basic) auth for alice."""
    if registry_binary() is None:
        pytest.skip("distribution's registry is not installed (apt-get install docker-registry)")
    root = tmp_path_factory.mktemp("basic-registry")
    try:
        auth = htpasswd_auth(root, {USER: PASSWORD})
    except RuntimeError:
        pytest.skip("htpasswd is not installed (apt-get install apache2-utils)")
    with serve_registry(root, auth) as base:
        yield base


def push_token(tokens: TokenServer, repository: str) -> str:
    """A Bearer header allowing alice to push to ``repository``."""
    answer = httpx.get(
        f"{tokens.base_url}/token",
        params={"scope": f"repository:{repository}:pull,push"},
        auth=(USER, PASSWORD),
    )
    return "Bearer " + answer.json()["token"]


def host(base: str) -> str:
    """``127.0.0.1:port`` of a base URL."""
    return base.removeprefix("http://")
