"""The image as a stream of :class:`File` for the analyzers, plus two synthetic files.

* every regular file of every layer; files a later layer overwrote or deleted are still shipped
  in the image, so they are scanned too, under ``<path>@layer<N>`` (distinct from the visible
  file, and keeping its name and extension for the analyzers that route on them);
* ``.shieldwall-image/config.env``: the config's ENV, labels and history steps as text, so the
  secrets scanner sees credentials baked into the config;
* ``.shieldwall-image/packages.json``: the OS and language packages and the layer that
  installed each, for the image-vulns analyzer (:mod:`shieldwall.image.pkgdoc`);
* ``.shieldwall-image/image.json`` (last): the config and the files with risky modes, for the
  image analyzer.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field

from shieldwall.core.file import File
from shieldwall.image.entry import EntryKind, FileStatus, ImageEntry
from shieldwall.image.inventory import InventoryCollector
from shieldwall.image.model import Image
from shieldwall.image.pkgdoc import PACKAGES_JSON, packages_document

META_DIR = ".shieldwall-image"
CONFIG_ENV = f"{META_DIR}/config.env"
IMAGE_JSON = f"{META_DIR}/image.json"
_SNIFF = 8192


@dataclass(slots=True)
class FileIndex:
    """Scan path -> provenance of each file handed to the analyzers (for layer attribution)."""

    origins: dict[str, dict[str, str]] = field(default_factory=dict)
    risky: list[dict[str, object]] = field(default_factory=list)
    binaries: int = 0
    too_large: int = 0
    collector: InventoryCollector = field(default_factory=InventoryCollector)


def scan_path(entry: ImageEntry) -> str:
    """The path a file is scanned under: shadowed copies carry their layer."""
    if entry.status is FileStatus.PRESENT:
        return entry.path
    return f"{entry.path}@layer{entry.layer_index}"


def origin_of(entry: ImageEntry) -> dict[str, str]:
    """The provenance recorded for a file."""
    return {
        "image_path": "/" + entry.path,
        "layer": entry.layer_digest,
        "layer_index": str(entry.layer_index),
        "created_by": entry.created_by,
        "status": str(entry.status),
    }


def config_text(image: Image) -> bytes:
    """ENV, labels and history steps of the config, one per line, for the secrets scanner."""
    runtime = image.config.config
    lines = [f"ENV {item}" for item in runtime.env or []]
    lines += [f"LABEL {key}={value}" for key, value in (runtime.labels or {}).items()]
    lines += [f"RUN {step.created_by}" for step in image.config.history if step.created_by]
    return ("\n".join(lines) + "\n").encode() if lines else b""


def _risky(entry: ImageEntry) -> bool:
    if entry.status is not FileStatus.PRESENT:
        return False
    if entry.kind is EntryKind.FILE:
        return bool(entry.mode & (stat.S_ISUID | stat.S_ISGID | stat.S_IWOTH))
    if entry.kind is EntryKind.DIRECTORY:
        # /tmp is 1777: the sticky bit keeps users from removing each other's files.
        return bool(entry.mode & stat.S_IWOTH) and not entry.mode & stat.S_ISVTX
    return False


def image_files(image: Image, entries: Iterator[ImageEntry], index: FileIndex) -> Iterator[File]:
    """Files for the analyzers; ``index`` is filled as the stream is consumed."""
    config = config_text(image)
    if config:
        index.origins[CONFIG_ENV] = {"image_path": "(image config)", "status": "config"}
        yield File.virtual(CONFIG_ENV, config, {"image": image.name})
    for entry in entries:
        if _risky(entry):
            index.risky.append(
                {
                    "path": entry.path,
                    "mode": entry.mode,
                    "kind": str(entry.kind),
                    "layer": entry.layer_digest,
                    "layer_index": entry.layer_index,
                    "created_by": entry.created_by,
                }
            )
        index.collector.add(entry)
        file = _file(entry, index)
        if file is not None:
            yield file
    inventory = index.collector.finish()
    if inventory.packages or inventory.language:
        yield File.virtual(
            PACKAGES_JSON, packages_document(image.name, inventory), {"image": image.name}
        )
    document = {
        "image": image.name,
        "config": json.loads(image.config_json or b"{}"),
        "risky_files": index.risky,
    }
    yield File.virtual(IMAGE_JSON, json.dumps(document, indent=1).encode(), {"image": image.name})


def _file(entry: ImageEntry, index: FileIndex) -> File | None:
    if entry.kind is not EntryKind.FILE:
        return None
    if entry.truncated:
        index.too_large += 1
        return None
    path = scan_path(entry)
    origin = origin_of(entry)
    if entry.abspath:
        index.origins[path] = origin
        return File(path=path, abspath=entry.abspath, size=entry.size, origin=origin)
    data = entry.data or b""
    if b"\x00" in data[:_SNIFF]:
        # Binaries (ELF, images, archives) carry no text for the analyzers; skipping them
        # here keeps their bytes out of the worker pool.
        index.binaries += 1
        return None
    index.origins[path] = origin
    return File.virtual(path, data, origin)
