"""Pulls from a real registry (distribution's, on 127.0.0.1): CLI scan, digests, platforms,
Docker and OCI media types, and the blob cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shieldwall.cli.app import app
from shieldwall.image.entry import Notes
from shieldwall.image.errors import ImageError
from shieldwall.image.registry import PullError, PullOptions, pull_image
from shieldwall.image.squash import ViewLimits, iter_entries
from tests.image.build import M, layer
from tests.image.registry.conftest import (
    AWS_KEY,
    STEPS,
    build_image,
    build_index,
    host,
    push_built,
    shop_layers,
)
from tests.servers.registry import storage_of


def _scan(tmp_path: Path, target: str, *extra: str) -> tuple[int, dict[str, Any], str]:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        app,
        [
            "image", target, "--scanners", "secrets,image", "--no-progress", "-q",
            "-f", "json", "-o", str(report), *extra,
        ],
        env={"SHIELDWALL_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    document = json.loads(report.read_text()) if report.exists() else {}
    # The console wraps long messages: compare with the line breaks undone.
    return result.exit_code, document, " ".join(result.output.split())


def _files(options: PullOptions, target: str, platform: str) -> set[str]:
    with pull_image(target, platform, options) as image:
        return {e.path for e in iter_entries(image, ViewLimits(), Notes()) if e.kind == "file"}


def test_cli_pulls_by_tag_and_scans_layer_by_layer(registry: str, tmp_path: Path) -> None:
    built = build_image(shop_layers(), ExposedPorts={"22/tcp": {}})
    push_built(registry, "shop/web", "1.2", built)
    code, document, output = _scan(tmp_path, f"{host(registry)}/shop/web:1.2")
    assert code == 1, output  # the deleted AWS key is high: the gate fails
    assert document["errors"] == []
    found = {(f["rule"]["id"], f["location"]["path"]) for f in document["findings"]}
    assert found == {
        ("SW-SEC-010", "root/.aws/credentials@layer1"),
        ("SW-IMG-001", "config:User"),
        ("SW-IMG-002", "config:ExposedPorts/22/tcp"),
        ("SW-IMG-004", "/usr/bin/passwd"),
    }
    secret = next(f for f in document["findings"] if f["rule"]["id"] == "SW-SEC-010")
    assert secret["properties"]["image_status"] == "deleted"
    assert secret["properties"]["image_created_by"] == STEPS[1]
    assert AWS_KEY not in json.dumps(document)
    # Every blob, and the manifest (content-addressed too), is in the cache under its digest.
    cached = {p.name for p in (tmp_path / "cache" / "images" / "blobs" / "sha256").iterdir()}
    assert cached == {d.removeprefix("sha256:") for d in [*built.blobs, built.digest]}


def test_pull_by_digest_and_docker_media_types(registry: str, tmp_path: Path) -> None:
    built = build_image([layer(M("app/main.py", b"print('docker')\n"))], docker=True, User="app")
    push_built(registry, "shop/docker", "v1", built)
    options = PullOptions(cache_dir=tmp_path)
    target = f"{host(registry)}/shop/docker@{built.digest}"
    assert _files(options, target, "linux/amd64") == {"app/main.py"}
    with pull_image(target, "linux/amd64", options) as image:
        assert image.name == target
        assert image.config.config.user == "app"


def test_a_tag_that_starts_like_a_digest(registry: str, tmp_path: Path) -> None:
    built = build_image([layer(M("ci.txt", b"built by CI\n"))])
    push_built(registry, "shop/ci", "sha256-1f2e3d", built)
    target = f"{host(registry)}/shop/ci:sha256-1f2e3d"
    assert _files(PullOptions(cache_dir=tmp_path), target, "linux/amd64") == {"ci.txt"}


def test_pull_by_a_digest_the_registry_does_not_have(registry: str, tmp_path: Path) -> None:
    missing = "sha256:" + "0" * 64
    with pytest.raises(PullError, match="no manifest"):
        pull_image(f"{host(registry)}/shop/web@{missing}", "linux/amd64", PullOptions(tmp_path))


@pytest.mark.parametrize("docker", [False, True], ids=["oci-index", "docker-manifest-list"])
def test_platform_is_chosen_from_an_index(registry: str, tmp_path: Path, docker: bool) -> None:
    amd = build_image([layer(M("amd64.txt", b"x86"))], docker=docker, architecture="amd64")
    arm = build_image([layer(M("arm64.txt", b"arm"))], docker=docker, architecture="arm64")
    repo = f"multi/{'docker' if docker else 'oci'}"
    push_built(registry, repo, amd.digest, amd)
    push_built(registry, repo, arm.digest, arm)
    index = build_index({"linux/amd64": amd, "linux/arm64/v8": arm}, docker=docker)
    push_built(registry, repo, "latest", index)
    options = PullOptions(cache_dir=tmp_path)
    target = f"{host(registry)}/{repo}:latest"
    assert _files(options, target, "linux/amd64") == {"amd64.txt"}
    assert _files(options, target, "linux/arm64") == {"arm64.txt"}
    assert _files(options, target, "linux/arm64/v8") == {"arm64.txt"}
    with pytest.raises(PullError, match=r"no image for platform linux/s390x.*linux/amd64"):
        pull_image(target, "linux/s390x", options)


def test_cli_platform_option_reaches_the_pull(registry: str, tmp_path: Path) -> None:
    amd = build_image([layer(M("amd64.txt", b"x86"))], User="app")
    arm = build_image([layer(M("arm64.txt", b"arm"))], architecture="arm64")
    push_built(registry, "multi/cli", amd.digest, amd)
    push_built(registry, "multi/cli", arm.digest, arm)
    push_built(registry, "multi/cli", "2", build_index({"linux/amd64": amd, "linux/arm64": arm}))
    target = f"{host(registry)}/multi/cli:2"
    _, amd_doc, output = _scan(tmp_path, target, "--fail-on", "none")
    _, arm_doc, output = _scan(tmp_path, target, "--platform", "linux/arm64", "--fail-on", "none")
    rules = lambda d: {f["rule"]["id"] for f in d["findings"]}  # noqa: E731
    assert "SW-IMG-001" not in rules(amd_doc)  # amd64 runs as user app
    assert "SW-IMG-001" in rules(arm_doc), output  # arm64 runs as root


def test_warm_cache_serves_blobs_the_registry_lost(registry: str, tmp_path: Path) -> None:
    """The second pull reads layers from the cache: it works even when the registry no longer
    has the blobs (deleted from its storage behind its back)."""
    built = build_image([layer(M("etc/motd", b"hello\n"))])
    push_built(registry, "shop/cached", "1", built)
    options = PullOptions(cache_dir=tmp_path / "cache")
    target = f"{host(registry)}/shop/cached:1"
    assert _files(options, target, "linux/amd64") == {"etc/motd"}
    storage = storage_of(registry)
    for digest in built.blobs:
        hexdigest = digest.removeprefix("sha256:")
        (storage / "blobs" / "sha256" / hexdigest[:2] / hexdigest / "data").unlink()
    assert _files(options, target, "linux/amd64") == {"etc/motd"}
    # A fresh cache must go to the registry, which no longer has them: proof the cache served.
    with pytest.raises(ImageError):
        pull_image(target, "linux/amd64", PullOptions(cache_dir=tmp_path / "cold"))


def test_a_tampered_cached_layer_is_caught_when_read(registry: str, tmp_path: Path) -> None:
    built = build_image([layer(M("etc/motd", b"hello\n"))])
    push_built(registry, "shop/tampered", "1", built)
    options = PullOptions(cache_dir=tmp_path)
    target = f"{host(registry)}/shop/tampered:1"
    _files(options, target, "linux/amd64")
    layer_digest = json.loads(built.manifest)["layers"][0]["digest"]
    cached = tmp_path / "images" / "blobs" / "sha256" / layer_digest.removeprefix("sha256:")
    data = bytearray(cached.read_bytes())
    data[-1] ^= 0xFF  # same size, different bytes
    cached.write_bytes(bytes(data))
    with pytest.raises(ImageError, match=r"digest mismatch|corrupt"):
        _files(options, target, "linux/amd64")


def test_two_pulls_into_one_cache_at_once(registry: str, tmp_path: Path) -> None:
    """Downloads go to temporary files renamed into place: racing pulls both succeed and leave
    exactly the blobs, no partial files."""
    from concurrent.futures import ThreadPoolExecutor

    built = build_image([layer(M(f"data/{i}.txt", bytes([i]) * 4096)) for i in range(4)])
    push_built(registry, "shop/race", "1", built)
    options = PullOptions(cache_dir=tmp_path)
    target = f"{host(registry)}/shop/race:1"
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: _files(options, target, "linux/amd64"), range(2)))
    assert results[0] == results[1] == {f"data/{i}.txt" for i in range(4)}
    names = {p.name for p in (tmp_path / "images" / "blobs" / "sha256").iterdir()}
    assert names == {d.removeprefix("sha256:") for d in [*built.blobs, built.digest]}


def test_cli_offline_and_unreachable_references(tmp_path: Path) -> None:
    from tests.servers.registry import free_port

    target = f"127.0.0.1:{free_port()}/shop/web:1"
    code, _, output = _scan(tmp_path, target, "--offline")
    assert code == 2
    assert "a tag needs the registry; drop --offline" in output
    code, _, output = _scan(tmp_path, f"{target}@sha256:{'0' * 64}", "--offline")
    assert code == 3
    assert "is not in the cache and --offline forbids the network" in output
    code, _, output = _scan(tmp_path, target)
    assert code == 3
    assert "cannot reach the registry at http://127.0.0.1:" in output
    code, _, output = _scan(tmp_path, "no-such-image.tar")
    assert code == 2
    assert "no such file or directory" in output


def test_tls_registry_on_loopback_needs_insecure_for_a_self_signed_cert(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """Loopback registries are tried over HTTPS first; an unverifiable certificate is an error
    naming --insecure (never a silent fall back to HTTP), and --insecure gets through."""
    from tests.servers.registry import registry_binary, self_signed, serve_registry

    if registry_binary() is None:
        pytest.skip("distribution's registry is not installed (apt-get install docker-registry)")
    root = tmp_path_factory.mktemp("tls-registry")
    tls = self_signed(root / "tls")
    with serve_registry(root, tls=tls) as base:
        built = build_image([layer(M("etc/tls.txt", b"over TLS\n"))])
        push_tls(base, built, tls)
        target = f"{base.removeprefix('https://')}/shop/tls:1"
        with pytest.raises(ImageError, match="--insecure"):
            pull_image(target, "linux/amd64", PullOptions(tmp_path))
        assert _files(PullOptions(tmp_path, insecure=True), target, "linux/amd64") == {
            "etc/tls.txt"
        }


def push_tls(base: str, built: object, tls: dict[str, str]) -> None:
    """Push to a registry with our self-signed certificate (trusted for this upload only)."""
    import httpx

    from tests.image.registry.conftest import Built
    from tests.servers.registry import client_context

    assert isinstance(built, Built)
    with httpx.Client(base_url=base, verify=client_context(tls), timeout=60) as http:
        for digest, data in built.blobs.items():
            start = http.post("/v2/shop/tls/blobs/uploads/")
            url = httpx.URL(start.headers["location"]).copy_merge_params({"digest": digest})
            assert http.put(url, content=data).status_code == 201
        put = http.put(
            "/v2/shop/tls/manifests/1",
            content=built.manifest,
            headers={"Content-Type": built.media_type},
        )
        assert put.status_code == 201, put.text


def test_sbom_of_a_pulled_image(registry: str, tmp_path: Path) -> None:
    built = build_image(shop_layers())
    push_built(registry, "shop/sbom", "1", built)
    out = tmp_path / "bom.json"
    result = CliRunner().invoke(
        app,
        ["sbom", f"{host(registry)}/shop/sbom:1", "--format", "cyclonedx", "-o", str(out)],
        env={"SHIELDWALL_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert result.exit_code == 0, result.output
    bom = json.loads(out.read_text())
    assert bom["metadata"]["component"]["type"] == "container"
    purls = {c.get("purl", "") for c in bom["components"]}
    assert any(p.startswith("pkg:deb/debian/") for p in purls), purls


def test_offline_scan_of_a_digest_pulled_before(tmp_path: Path) -> None:
    """Manifests are cached by digest like blobs: an image pulled once (by tag) can be scanned
    again by digest with --offline, with no registry at all."""
    from tests.servers.static_registry import Answer, StaticRegistry, serve_static

    amd = build_image(shop_layers())
    arm = build_image([layer(M("arm64.txt", b"arm"))], architecture="arm64")
    index = build_index({"linux/amd64": amd, "linux/arm64": arm})
    with serve_static(StaticRegistry()) as static:
        for built in (amd, index):
            static.answers[f"/v2/shop/web/manifests/{built.digest}"] = Answer(
                body=built.manifest, headers={"Content-Type": built.media_type}
            )
            for digest, data in built.blobs.items():
                static.answers[f"/v2/shop/web/blobs/{digest}"] = Answer(body=data)
        static.answers["/v2/shop/web/manifests/1"] = static.answers[
            f"/v2/shop/web/manifests/{index.digest}"
        ]
        code, online, output = _scan(tmp_path, f"127.0.0.1:{static.port}/shop/web:1")
        assert code == 1, output
        pinned = f"127.0.0.1:{static.port}/shop/web@{index.digest}"
    # The registry is gone now.
    code, offline, output = _scan(tmp_path, pinned, "--offline")
    assert code == 1, output
    assert {f["fingerprint"] for f in offline["findings"]} == {
        f["fingerprint"] for f in online["findings"]
    }
    # The arm64 image was never pulled: offline, that is an error naming what is missing.
    code, _, output = _scan(tmp_path, pinned, "--offline", "--platform", "linux/arm64")
    assert code == 3
    assert f"manifest {arm.digest} is not in the cache" in output


def test_a_cached_manifest_or_config_altered_on_disk_is_fetched_again(
    registry: str, tmp_path: Path
) -> None:
    built = build_image([layer(M("etc/motd", b"hello\n"))])
    push_built(registry, "shop/remanifest", "1", built)
    options = PullOptions(cache_dir=tmp_path)
    target = f"{host(registry)}/shop/remanifest@{built.digest}"
    assert _files(options, target, "linux/amd64") == {"etc/motd"}
    cached = tmp_path / "images" / "blobs" / "sha256" / built.digest.removeprefix("sha256:")
    cached.write_bytes(cached.read_bytes().replace(b"schemaVersion", b"schemaVersiom"))
    config_digest = json.loads(built.manifest)["config"]["digest"]
    config = cached.with_name(config_digest.removeprefix("sha256:"))
    config.write_bytes(config.read_bytes().replace(b"amd64", b"arm64"))  # same size
    assert _files(options, target, "linux/amd64") == {"etc/motd"}
    assert cached.read_bytes() == built.manifest
    assert config.read_bytes() == built.blobs[config_digest]
