"""A CycloneDX 1.6 SBOM of an image: the OS, its packages, and the language packages it ships.

One pass over the image's present files: OS databases go to :mod:`inventory`, lockfiles and
installed-package metadata (dist-info, node_modules ``package.json``, ...) to the deps
collectors, the same parsers a directory SBOM uses.
"""

from __future__ import annotations

from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.license import DisjunctiveLicense
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from shieldwall import __version__
from shieldwall.analyzers.deps.collectors import collector_for
from shieldwall.analyzers.deps.inventory import collect_group
from shieldwall.core.file import File
from shieldwall.image.entry import EntryKind, FileStatus
from shieldwall.image.inventory import ImageInventory, build_inventory, is_inventory_path
from shieldwall.image.target import ImageScan
from shieldwall.image.virtual import origin_of


def image_sbom(opened: ImageScan) -> tuple[str, list[str]]:
    """The CycloneDX JSON document of the image, and warnings about what could not be read."""
    inventory_entries = []
    files: list[File] = []
    for entry in opened.entries():
        if entry.status is not FileStatus.PRESENT or entry.kind is not EntryKind.FILE:
            continue
        if is_inventory_path(entry.path):
            inventory_entries.append(entry)
        elif collector_for(entry.path) is not None and not entry.truncated:
            if entry.abspath:
                files.append(File(entry.path, entry.abspath, entry.size, origin=origin_of(entry)))
            else:
                files.append(File.virtual(entry.path, entry.data or b"", origin_of(entry)))
    inventory = build_inventory(inventory_entries)
    collected = collect_group(files, "/")
    warnings = [*opened.warnings(), *inventory.warnings]
    warnings += [f"{e.path}: {e.message}" for e in collected.errors]
    bom = _bom(opened.image.name, inventory)
    seen = {str(c.bom_ref) for c in bom.components}
    for found in collected.inventories:
        for package in found.packages:
            purl = str(package.purl)
            if purl in seen:
                continue
            seen.add(purl)
            bom.components.add(
                Component(
                    name=package.name,
                    version=package.version or None,
                    type=ComponentType.LIBRARY,
                    purl=PackageURL.from_string(purl),
                    bom_ref=purl,
                    properties=[Property(name="shieldwall:source", value="/" + found.path)],
                )
            )
    # The image contains every component; package-to-package edges are not recorded in an
    # image's databases consistently enough to draw, so each has an empty dependency list.
    components = list(bom.components)
    root = bom.metadata.component
    assert root is not None  # noqa: S101 - set by _bom
    bom.register_dependency(root, components)
    for component in components:
        bom.register_dependency(component, [])
    return str(JsonV1Dot6(bom).output_as_string(indent=2)), warnings


def _bom(name: str, inventory: ImageInventory) -> Bom:
    bom = Bom()
    root = Component(name=name, type=ComponentType.CONTAINER, bom_ref="root")
    bom.metadata.component = root
    bom.metadata.tools.components.add(
        Component(name="shieldwall", version=__version__, type=ComponentType.APPLICATION)
    )
    if inventory.os is not None:
        bom.components.add(
            Component(
                name=inventory.os.id,
                version=inventory.os.version_id or None,
                type=ComponentType.OPERATING_SYSTEM,
                description=inventory.os.pretty_name or None,
                bom_ref=f"os:{inventory.os.id}",
            )
        )
    for package in inventory.packages:
        purl = package.purl(inventory.os)
        properties = [
            Property(
                name="shieldwall:source",
                value=inventory.sources.get(f"{package.manager}:{package.name}", ""),
            ),
            Property(name="shieldwall:package-manager", value=package.manager),
        ]
        if package.source_name:
            properties.append(Property(name="shieldwall:source-package", value=package.source_name))
        bom.components.add(
            Component(
                name=package.name,
                version=package.version,
                type=ComponentType.LIBRARY,
                purl=PackageURL.from_string(purl),
                bom_ref=purl,
                licenses=[DisjunctiveLicense(name=package.license)] if package.license else [],
                properties=properties,
            )
        )
    return bom
