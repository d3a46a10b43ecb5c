"""The filesystem view: layer order, whiteouts, opaque dirs, hostile members, caps."""

from __future__ import annotations

import gzip
import tarfile
from pathlib import Path

import pytest

from shieldwall.image.entry import FileStatus, Notes
from shieldwall.image.errors import DigestMismatchError, ImageError, LayerTooLargeError
from shieldwall.image.readers import open_layout
from shieldwall.image.squash import ViewLimits, iter_entries
from tests.image.build import M, docker_save, layer, make_config, oci_layout


def _view(tmp_path: Path, layers: list[bytes], limits: ViewLimits | None = None):
    notes = Notes()
    with open_layout(docker_save(tmp_path / "i.tar", layers, make_config(layers))) as image:
        entries = list(iter_entries(image, limits or ViewLimits(), notes))
    return {(e.path, e.layer_index): e for e in entries}, notes


def test_status_of_each_version_follows_the_layers(tmp_path: Path) -> None:
    base = layer(
        M("etc/", type=tarfile.DIRTYPE, mode=0o755),
        M("etc/app.conf", b"v1"),
        M("etc/keep", b"k"),
        M("secret/", type=tarfile.DIRTYPE),
        M("secret/key.pem", b"pem"),
        M("opq/", type=tarfile.DIRTYPE),
        M("opq/old", b"old"),
    )
    middle = layer(M("etc/app.conf", b"v2"), M("secret/.wh..wh..opq"), M("opq/.wh..wh..opq"))
    top = layer(M("secret/.wh.key.pem"), M("opq/new", b"new"), M("etc/.wh.app.conf"))
    view, _ = _view(tmp_path, [base, middle, top])
    assert view[("etc/app.conf", 0)].status is FileStatus.DELETED
    assert view[("etc/app.conf", 1)].status is FileStatus.DELETED
    assert view[("etc/keep", 0)].status is FileStatus.PRESENT
    assert view[("secret/key.pem", 0)].status is FileStatus.DELETED
    assert view[("opq/old", 0)].status is FileStatus.DELETED
    assert view[("opq/new", 2)].status is FileStatus.PRESENT
    assert view[("etc/keep", 0)].data == b"k"
    # whiteout markers themselves are never files of the image
    assert not any(".wh." in path for path, _ in view)


def test_overwritten_file_keeps_its_bytes_and_step(tmp_path: Path) -> None:
    first = layer(M("app/settings.py", b"one"))
    second = layer(M("app/settings.py", b"two"))
    view, _ = _view(tmp_path, [first, second])
    assert view[("app/settings.py", 0)].status is FileStatus.OVERWRITTEN
    assert view[("app/settings.py", 0)].data == b"one"
    assert view[("app/settings.py", 0)].created_by == "RUN step 0"
    assert view[("app/settings.py", 1)].status is FileStatus.PRESENT


def test_file_replacing_a_directory_overwrites_its_contents(tmp_path: Path) -> None:
    first = layer(M("data/", type=tarfile.DIRTYPE), M("data/x", b"x"))
    second = layer(M("data", b"now a file"))
    view, _ = _view(tmp_path, [first, second])
    assert view[("data/x", 0)].status is FileStatus.OVERWRITTEN


def test_hostile_members_are_reported_and_skipped(tmp_path: Path) -> None:
    hostile = layer(
        M("/abs/path.txt", b"absolute"),
        M("../../escape.txt", b"out"),
        M("a/../../b.txt", b"out"),
        M("link", type=tarfile.SYMTYPE, linkname="../../../etc/shadow"),
        M("ok-link", type=tarfile.SYMTYPE, linkname="/etc/passwd"),
        M("hard", type=tarfile.LNKTYPE, linkname="../outside"),
        M("dev/null", type=tarfile.CHRTYPE),
        M("fifo", type=tarfile.FIFOTYPE),
    )
    view, notes = _view(tmp_path, [hostile])
    assert ("abs/path.txt", 0) in view  # absolute paths are normalised, not dropped
    assert {p for p, _ in view} == {"abs/path.txt", "link", "ok-link", "hard"}
    text = "\n".join(notes.summary())
    assert "'../../escape.txt' escapes the root" in text
    assert "'a/../../b.txt' escapes the root" in text
    assert "symlink 'link'" in text
    assert "hardlink 'hard'" in text
    assert "ok-link" not in text
    assert "2 device files and FIFOs" in text


def test_file_over_the_size_cap_is_not_read(tmp_path: Path) -> None:
    view, _ = _view(
        tmp_path, [layer(M("big.bin", b"x" * 5000), M("small", b"s"))], ViewLimits(1000)
    )
    assert view[("big.bin", 0)].truncated
    assert view[("big.bin", 0)].data is None
    assert view[("small", 0)].data == b"s"


def test_decompression_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    bomb = layer(M("zeros", b"\0" * (4 << 20)))
    assert len(gzip.compress(bomb)) < 20_000
    path = oci_layout(tmp_path, [bomb], make_config([bomb]))
    image = open_layout(path)
    with pytest.raises(LayerTooLargeError, match="decompresses to more than 1048576 bytes"):
        list(iter_entries(image, ViewLimits(max_layer_size=1 << 20), Notes()))


def test_layer_digest_mismatch_is_an_error(tmp_path: Path) -> None:
    good = layer(M("a", b"a"))
    config = make_config([good])
    config["rootfs"]["diff_ids"] = [config["rootfs"]["diff_ids"][0][:-4] + "0000"]
    with (
        open_layout(docker_save(tmp_path / "i.tar", [good], config)) as image,
        pytest.raises(DigestMismatchError, match="layer 0"),
    ):
        list(iter_entries(image, ViewLimits(), Notes()))


def test_truncated_gzip_layer_is_an_error(tmp_path: Path) -> None:
    raw = layer(M("a", b"a" * 100_000))
    oci = oci_layout(tmp_path, [raw], make_config([raw]))
    blobs = (oci / "blobs" / "sha256").iterdir()
    blob = next(p for p in blobs if p.read_bytes().startswith(b"\x1f\x8b"))
    blob.write_bytes(blob.read_bytes()[: blob.stat().st_size // 2])
    with pytest.raises(ImageError, match=r"layer 0 .*(truncated|digest mismatch)"):
        list(iter_entries(open_layout(oci), ViewLimits(), Notes()))


def test_truncated_uncompressed_layer_is_an_error(tmp_path: Path) -> None:
    raw = layer(M("a", b"a" * 100_000))
    config = make_config([raw])
    config["rootfs"]["diff_ids"] = []
    with (
        open_layout(docker_save(tmp_path / "i.tar", [raw[:50_000]], config)) as image,
        pytest.raises(ImageError, match="truncated or corrupt"),
    ):
        list(iter_entries(image, ViewLimits(), Notes()))


def test_concatenated_gzip_members_are_one_layer() -> None:
    import io

    from shieldwall.image.blobs import GzipReader

    raw = layer(M("a", b"a" * 70_000), M("b", b"b"))
    blob = gzip.compress(raw[:30_000]) + gzip.compress(raw[30_000:])
    reader = GzipReader(io.BytesIO(blob), "layer")
    out = b""
    while chunk := reader.read(4096):
        assert len(chunk) <= 4096  # each step's output is bounded by the request
        out += chunk
    assert out == raw
    with pytest.raises(EOFError, match="ended early"):
        GzipReader(io.BytesIO(blob[:-40]), "layer").read()
