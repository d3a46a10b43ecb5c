"""Readers: docker-save, OCI layout as directory and tar, platform selection, bad layouts."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from shieldwall.core.errors import UsageError
from shieldwall.image.entry import FileStatus
from shieldwall.image.errors import ImageError
from shieldwall.image.readers import open_layout
from shieldwall.image.target import open_image
from tests.image.build import M, docker_save, layer, make_config, oci_layout

LAYERS = [layer(M("etc/os-release", b"ID=debian\n")), layer(M("app/main.py", b"print(1)\n"))]
STEPS = ["ADD rootfs.tar /", "COPY main.py /app/"]


def _paths(scan_target: str, **kwargs: str) -> dict[str, str]:
    opened = open_image(scan_target, **kwargs)
    try:
        return {e.path: e.created_by for e in opened.entries() if e.kind == "file"}
    finally:
        opened.image.close()


def test_docker_save_names_layers_and_steps(tmp_path: Path) -> None:
    config = make_config(LAYERS, STEPS, User="app")
    path = docker_save(tmp_path / "i.tar", LAYERS, config, tag="shop/web:2")
    with open_layout(path) as image:
        assert image.name == "shop/web:2"
        assert image.config.config.user == "app"
        assert [x.created_by for x in image.layers] == STEPS
    assert _paths(str(path)) == {"etc/os-release": STEPS[0], "app/main.py": STEPS[1]}


def test_empty_layer_history_steps_are_skipped(tmp_path: Path) -> None:
    config = make_config(LAYERS, STEPS)
    config["history"].insert(1, {"created_by": "ENV A=1", "empty_layer": True})
    path = docker_save(tmp_path / "i.tar", LAYERS, config)
    with open_layout(path) as image:
        assert [x.created_by for x in image.layers] == STEPS


@pytest.mark.parametrize("as_tar", [False, True])
def test_oci_layout_dir_and_tar(tmp_path: Path, as_tar: bool) -> None:
    dest = tmp_path / ("oci.tar" if as_tar else "oci")
    dest.mkdir() if not as_tar else None
    oci_layout(dest, LAYERS, make_config(LAYERS, STEPS), as_tar=as_tar)
    assert _paths(str(dest)) == {"etc/os-release": STEPS[0], "app/main.py": STEPS[1]}


def test_oci_platform_selection(tmp_path: Path) -> None:
    oci_layout(tmp_path, LAYERS, make_config(LAYERS), platforms=("linux/amd64", "linux/arm64"))
    assert "app/main.py" in _paths(str(tmp_path), platform="linux/arm64")
    with pytest.raises(ImageError, match=r"no manifest for platform linux/s390x \(offered"):
        open_layout(tmp_path, platform="linux/s390x")


def test_oci_blob_digest_is_checked(tmp_path: Path) -> None:
    oci_layout(tmp_path, LAYERS, make_config(LAYERS))
    index = json.loads((tmp_path / "index.json").read_text())
    manifest_blob = tmp_path / "blobs" / "sha256" / index["manifests"][0]["digest"][7:]
    manifest_blob.write_bytes(
        manifest_blob.read_bytes().replace(b"schemaVersion", b"schemaversion")
    )
    with pytest.raises(ImageError, match="does not match its digest"):
        open_layout(tmp_path)


def test_layer_path_escaping_the_layout_is_refused(tmp_path: Path) -> None:
    path = docker_save(tmp_path / "i.tar", LAYERS, make_config(LAYERS))
    evil = tmp_path / "evil"
    evil.mkdir()
    with tarfile.open(path) as tar:
        tar.extractall(evil, filter="data")
    manifest = json.loads((evil / "manifest.json").read_text())
    manifest[0]["Layers"][0] = "../../etc/passwd"
    (evil / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ImageError, match="refusing path outside the image layout"):
        open_layout(evil)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a tar at all", "not a readable tar archive"),
        (b"", "not a readable tar archive"),
    ],
)
def test_not_an_image(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "x.tar").write_bytes(content)
    with pytest.raises(ImageError, match=message):
        open_image(str(tmp_path / "x.tar"))


def test_tar_without_manifest_or_index(tmp_path: Path) -> None:
    path = tmp_path / "plain.tar"
    path.write_bytes(layer(M("hello.txt", b"hi")))
    with pytest.raises(ImageError, match="neither a docker-save archive nor an OCI image layout"):
        open_image(str(path))


def test_invalid_manifest_json(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_bytes(b"\xff\xfe{")
    with pytest.raises(ImageError, match=r"manifest\.json is not valid JSON"):
        open_layout(tmp_path)


def test_missing_target_and_unknown_dir(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        open_image(str(tmp_path / "nope.tar"))
    with pytest.raises(UsageError, match="neither an image layout nor a root filesystem"):
        open_image(str(tmp_path))


def test_rootfs_directory_never_follows_links(tmp_path: Path) -> None:
    root = tmp_path / "rootfs"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "hostname").write_text("box\n")
    outside = tmp_path / "outside.txt"
    outside.write_text("host secret")
    (root / "etc" / "leak").symlink_to(outside)
    opened = open_image(str(root))
    entries = {e.path: e for e in opened.entries()}
    assert entries["etc/hostname"].status is FileStatus.PRESENT
    assert entries["etc/leak"].kind == "symlink"
    assert entries["etc/leak"].abspath == ""
    files = {f.path for f in opened.files()}
    assert "etc/hostname" in files
    assert "etc/leak" not in files


def test_symlink_loop_inside_an_archive_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "loop.tar"
    with tarfile.open(path, "w") as tar:
        for name, target in (("manifest.json", "a.json"), ("a.json", "manifest.json")):
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tar.addfile(info)
    with pytest.raises(ImageError, match="too many symbolic links"):
        open_image(str(path))


def test_docker25_layout_with_symlinked_layer_paths(tmp_path: Path) -> None:
    """Docker 25+ writes blobs/sha256/<id> and links the legacy <id>/layer.tar to them."""
    import io

    raw = LAYERS[1]
    config = json.dumps(make_config([raw], ["COPY main.py /app/"])).encode()
    digest = __import__("hashlib").sha256(raw).hexdigest()
    path = tmp_path / "d25.tar"
    with tarfile.open(path, "w") as tar:
        for name, data in (
            (f"blobs/sha256/{digest}", raw),
            ("config.json", config),
            (
                "manifest.json",
                json.dumps([{"Config": "config.json", "Layers": [f"{digest}/layer.tar"]}]).encode(),
            ),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo(f"{digest}/layer.tar")
        link.type = tarfile.SYMTYPE
        link.linkname = f"../blobs/sha256/{digest}"
        tar.addfile(link)
    assert _paths(str(path)) == {"app/main.py": "COPY main.py /app/"}
