"""The synthetic ``.shieldwall-image/packages.json``: an image's inventory, for the analyzers.

Written by the view after the last layer (see :mod:`shieldwall.image.virtual`), read by
:class:`shieldwall.image.vulns.ImageVulnAnalyzer`. A file, rather than shared state, so that the
analyzer can run in any worker of the process pool.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from shieldwall.image.inventory import ImageInventory, Provenance
from shieldwall.vulndb.ecosystems import Ecosystem

PACKAGES_JSON = ".shieldwall-image/packages.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LayerModel(_Model):
    """Where a package came from."""

    layer: str = ""
    layer_index: int = 0
    created_by: str = ""


class OsPackageModel(LayerModel):
    """One OS package in the document."""

    manager: str
    name: str
    version: str
    arch: str = ""
    source_name: str = ""
    source_version: str = ""
    database: str = ""
    purl: str


class LanguagePackageModel(LayerModel):
    """One language package in the document."""

    ecosystem: Ecosystem
    name: str
    version: str
    path: str
    kind: str


class PackagesDocument(_Model):
    """The synthetic ``packages.json``."""

    version: int = 1
    image: str
    os_id: str = ""
    os_version_id: str = ""
    os_name: str = ""
    os_packages: list[OsPackageModel] = []
    language_packages: list[LanguagePackageModel] = []


def _layer(where: Provenance | None) -> dict[str, Any]:
    if where is None:
        return {}
    return {"layer": where.layer, "layer_index": where.layer_index, "created_by": where.created_by}


def packages_document(image: str, inventory: ImageInventory) -> bytes:
    """The inventory as the document the analyzer reads."""
    os = inventory.os
    document = PackagesDocument(
        image=image,
        os_id=os.id if os else "",
        os_version_id=os.version_id if os else "",
        os_name=inventory.describe_os(),
        os_packages=[
            OsPackageModel(
                manager=p.manager,
                name=p.name,
                version=p.version,
                arch=p.arch,
                source_name=p.source_name,
                source_version=p.source_version,
                database=inventory.sources.get(f"{p.manager}:{p.name}", ""),
                purl=p.purl(os),
                **_layer(inventory.provenance(p)),
            )
            for p in inventory.packages
        ],
        language_packages=[
            LanguagePackageModel(
                ecosystem=p.ecosystem,
                name=p.name,
                version=p.version,
                path=p.path,
                kind=p.kind,
                **_layer(where),
            )
            for p, where in inventory.language
        ],
    )
    return document.model_dump_json(indent=1).encode()
