"""Value types of a container image: its config (a boundary model) and its layers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

from pydantic import BaseModel, ConfigDict, Field


class _Lenient(BaseModel):
    # Image configs are foreign JSON written by many builders: keep what we know, ignore the rest.
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


class RuntimeConfig(_Lenient):
    """The ``config`` object of an OCI / Docker image config (what the container runs with)."""

    user: str = Field("", alias="User")
    env: list[str] | None = Field(None, alias="Env")
    exposed_ports: dict[str, object] | None = Field(None, alias="ExposedPorts")
    labels: dict[str, str] | None = Field(None, alias="Labels")
    entrypoint: list[str] | None = Field(None, alias="Entrypoint")
    cmd: list[str] | None = Field(None, alias="Cmd")
    healthcheck: dict[str, object] | None = Field(None, alias="Healthcheck")


class HistoryEntry(_Lenient):
    """One build step; ``empty_layer`` steps (ENV, USER, ...) add no layer."""

    created_by: str = ""
    empty_layer: bool = False
    comment: str = ""


class RootFs(_Lenient):
    """The uncompressed digests of the layers, bottom first."""

    diff_ids: list[str] = []


class ImageConfig(_Lenient):
    """An image config blob (OCI image-spec ``config.md``; Docker's is a superset)."""

    architecture: str = ""
    os: str = ""
    config: RuntimeConfig = RuntimeConfig()
    history: list[HistoryEntry] = []
    rootfs: RootFs = RootFs()


class Compression(StrEnum):
    """How a layer blob is compressed, detected from its first bytes."""

    NONE = "none"
    GZIP = "gzip"
    ZSTD = "zstd"


@dataclass(frozen=True, slots=True)
class Layer:
    """One layer: how to open its raw blob and what it is expected to hash to.

    ``digest`` is checked over the raw blob (OCI manifests name compressed blobs), ``diff_id``
    over the uncompressed tar (docker-save names layers by it); either may be empty.
    """

    index: int
    digest: str
    diff_id: str
    created_by: str
    open: Callable[[], IO[bytes]]


def _nothing() -> None:
    return None


@dataclass(frozen=True, slots=True)
class Image:
    """An image as read from disk: its name, config and layers bottom first.

    Use it as a context manager: a tarball stays open while its layers are read.
    """

    name: str
    config: ImageConfig
    layers: tuple[Layer, ...]
    config_json: bytes = b"{}"
    closer: Callable[[], None] = _nothing

    def close(self) -> None:
        """Release the archive the layers are read from."""
        self.closer()

    def __enter__(self) -> Image:
        """The image itself."""
        return self

    def __exit__(self, *_: object) -> None:
        """Close the image."""
        self.close()


def attach_history(config: ImageConfig, count: int) -> list[str]:
    """The Dockerfile step of each of ``count`` layers, in order.

    History entries marked ``empty_layer`` add no layer; the others map to layers one to one.
    When the history does not match (squashed or hand-made images), steps are left blank.
    """
    steps = [h.created_by for h in config.history if not h.empty_layer]
    if len(steps) != count:
        return [""] * count
    return steps
