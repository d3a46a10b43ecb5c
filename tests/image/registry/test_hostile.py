"""Registries that misbehave (a small canned-answer server on 127.0.0.1): wrong digests, long
bodies, redirects to another host, challenges, schema 1, and no registry at all."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from shieldwall.image.errors import DigestMismatchError
from shieldwall.image.registry import (
    PullError,
    PullOptions,
    RegistryAuthError,
    RegistryUnreachableError,
    pull_image,
)
from tests.image.build import M, layer, sha
from tests.image.registry.conftest import OCI_MANIFEST, PASSWORD, USER, Built, build_image
from tests.servers.registry import free_port
from tests.servers.static_registry import Answer, StaticRegistry, serve_static

PLATFORM = "linux/amd64"


@pytest.fixture
def static() -> Iterator[StaticRegistry]:
    """An empty canned-answer registry."""
    with serve_static(StaticRegistry()) as registry:
        yield registry


def _serve(registry: StaticRegistry, repo: str, built: Built, tag: str = "1") -> None:
    headers = {"Content-Type": built.media_type, "Docker-Content-Digest": built.digest}
    registry.answers[f"/v2/{repo}/manifests/{tag}"] = Answer(body=built.manifest, headers=headers)
    registry.answers[f"/v2/{repo}/manifests/{built.digest}"] = Answer(
        body=built.manifest, headers=headers
    )
    for digest, data in built.blobs.items():
        registry.answers[f"/v2/{repo}/blobs/{digest}"] = Answer(body=data)


def _target(registry: StaticRegistry, rest: str) -> str:
    return f"127.0.0.1:{registry.port}/{rest}"


def _layer_digest(built: Built) -> str:
    return str(json.loads(built.manifest)["layers"][0]["digest"])


def _cache_files(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.is_file()] if cache.exists() else []


def test_a_blob_that_does_not_match_its_digest_is_refused_and_not_cached(
    static: StaticRegistry, tmp_path: Path
) -> None:
    built = build_image([layer(M("app.txt", b"genuine\n"))])
    _serve(static, "evil/app", built)
    digest = _layer_digest(built)
    genuine = built.blobs[digest]
    forged = bytearray(genuine)
    forged[20] ^= 0x01  # same length, other bytes
    static.answers[f"/v2/evil/app/blobs/{digest}"] = Answer(body=bytes(forged))
    with pytest.raises(DigestMismatchError, match=f"expected {digest}"):
        pull_image(_target(static, "evil/app:1"), PLATFORM, PullOptions(tmp_path))
    cached = {p.name for p in _cache_files(tmp_path)}
    assert digest.removeprefix("sha256:") not in cached
    assert not any(name.endswith(".part") for name in cached)


def test_a_blob_longer_than_announced_is_cut_off(static: StaticRegistry, tmp_path: Path) -> None:
    built = build_image([layer(M("app.txt", b"genuine\n"))])
    _serve(static, "evil/app", built)
    digest = _layer_digest(built)
    static.answers[f"/v2/evil/app/blobs/{digest}"] = Answer(body=built.blobs[digest] + b"\0" * 4096)
    with pytest.raises(PullError, match="more than the"):
        pull_image(_target(static, "evil/app:1"), PLATFORM, PullOptions(tmp_path))


def test_a_manifest_that_does_not_match_the_pinned_digest(
    static: StaticRegistry, tmp_path: Path
) -> None:
    built = build_image([layer(M("app.txt", b"genuine\n"))])
    other = build_image([layer(M("app.txt", b"swapped\n"))])
    _serve(static, "evil/app", built)
    static.answers[f"/v2/evil/app/manifests/{built.digest}"] = Answer(
        body=other.manifest, headers={"Content-Type": OCI_MANIFEST}
    )
    with pytest.raises(DigestMismatchError, match="manifest"):
        pull_image(_target(static, f"evil/app@{built.digest}"), PLATFORM, PullOptions(tmp_path))


def test_a_tag_whose_manifest_contradicts_docker_content_digest(
    static: StaticRegistry, tmp_path: Path
) -> None:
    built = build_image([layer(M("app.txt", b"genuine\n"))])
    _serve(static, "evil/app", built)
    static.answers["/v2/evil/app/manifests/1"].headers["Docker-Content-Digest"] = sha(b"other")
    with pytest.raises(DigestMismatchError):
        pull_image(_target(static, "evil/app:1"), PLATFORM, PullOptions(tmp_path))


def test_an_oversized_layer_descriptor_is_refused_before_download(
    static: StaticRegistry, tmp_path: Path
) -> None:
    built = build_image([layer(M("app.txt", b"x" * 1000))])
    _serve(static, "big/app", built)
    options = PullOptions(tmp_path, max_blob_size=10)
    with pytest.raises(PullError, match="over the limit"):
        pull_image(_target(static, "big/app:1"), PLATFORM, options)
    assert not any("/blobs/" in path for path, _ in static.requests)


def test_unreachable_registry_gives_a_clear_error(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(RegistryUnreachableError, match=f"cannot reach the registry at .*:{port}"):
        pull_image(f"127.0.0.1:{port}/app:1", PLATFORM, PullOptions(tmp_path, timeout=5))


def test_basic_challenge_without_credentials_says_what_to_do(
    static: StaticRegistry, tmp_path: Path
) -> None:
    static.auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    with pytest.raises(RegistryAuthError) as caught:
        pull_image(_target(static, "team/app:1"), PLATFORM, PullOptions(tmp_path))
    assert "requires a user name and password for team/app" in str(caught.value)
    assert "--username with --password-stdin" in str(caught.value)


def test_redirect_to_blob_storage_drops_authorization(tmp_path: Path) -> None:
    """Blobs redirected to another host (object storage) are fetched without the credentials."""
    built = build_image([layer(M("app.txt", b"stored elsewhere\n"))])
    digest = _layer_digest(built)
    with serve_static(StaticRegistry()) as storage, serve_static(StaticRegistry()) as registry:
        registry.auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        _serve(registry, "team/app", built)
        storage.answers[f"/bucket/{digest}?sig=1"] = Answer(body=built.blobs[digest])
        # "localhost" is another origin than 127.0.0.1, as a storage host would be.
        registry.answers[f"/v2/team/app/blobs/{digest}"] = Answer(
            status=307,
            headers={"Location": f"http://localhost:{storage.port}/bucket/{digest}?sig=1"},
        )
        options = PullOptions(tmp_path, username=USER, password=PASSWORD)
        with pull_image(_target(registry, "team/app:1"), PLATFORM, options) as image:
            assert len(image.layers) == 1
        assert storage.requests, "the redirect was not followed"
        for _, headers in storage.requests:
            assert "Authorization" not in headers
        # The registry itself did get the credentials.
        assert any(h.get("Authorization") == registry.auth for _, h in registry.requests)


def test_schema1_manifests_are_refused_with_a_reason(
    static: StaticRegistry, tmp_path: Path
) -> None:
    body = json.dumps({"schemaVersion": 1, "name": "old/app", "fsLayers": []}).encode()
    schema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws"
    static.answers["/v2/old/app/manifests/1"] = Answer(body=body, headers={"Content-Type": schema1})
    with pytest.raises(PullError, match="schema 1"):
        pull_image(_target(static, "old/app:1"), PLATFORM, PullOptions(tmp_path))


def test_artifacts_that_are_not_images_are_refused(static: StaticRegistry, tmp_path: Path) -> None:
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {
            "mediaType": "application/vnd.cncf.helm.config.v1+json",
            "digest": sha(b"{}"),
            "size": 2,
        },
        "layers": [],
    }
    static.answers["/v2/charts/app/manifests/1"] = Answer(
        body=json.dumps(manifest).encode(), headers={"Content-Type": OCI_MANIFEST}
    )
    with pytest.raises(PullError, match="not a container image"):
        pull_image(_target(static, "charts/app:1"), PLATFORM, PullOptions(tmp_path))


def test_rate_limiting_says_so(static: StaticRegistry, tmp_path: Path) -> None:
    static.answers["/v2/busy/app/manifests/1"] = Answer(status=429)
    with pytest.raises(PullError, match="rate limited"):
        pull_image(_target(static, "busy/app:1"), PLATFORM, PullOptions(tmp_path))


def test_partial_files_of_a_killed_pull_are_cleaned_up(
    static: StaticRegistry, tmp_path: Path
) -> None:
    import os

    built = build_image([layer(M("app.txt", b"resumed\n"))])
    _serve(static, "team/app", built)
    digest = _layer_digest(built)
    folder = tmp_path / "images" / "blobs" / "sha256"
    folder.mkdir(parents=True)
    hexdigest = digest.removeprefix("sha256:")
    stale, fresh = folder / f".{hexdigest[:16]}.old.part", folder / f".{hexdigest[:16]}.new.part"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"in progress")
    os.utime(stale, (1, 1))
    with pull_image(_target(static, "team/app:1"), PLATFORM, PullOptions(tmp_path)):
        pass
    assert not stale.exists()
    assert fresh.exists()  # another pull may still be writing it
    assert (folder / hexdigest).exists()
