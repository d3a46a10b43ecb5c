"""SBOMs of an image: CycloneDX 1.6 and SPDX 2.3 JSON, from one pass over its layers.

OS databases and the archives, binaries and install metadata of language packages go to
:mod:`inventory` (with the layer that installed each); lockfiles and ``*.dist-info/METADATA``
go to the deps collectors, the same parsers a directory SBOM uses.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.license import DisjunctiveLicense
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from shieldwall import __version__
from shieldwall.analyzers.deps.collectors import collector_for
from shieldwall.analyzers.deps.inventory import collect_group
from shieldwall.analyzers.license.spdx import normalize
from shieldwall.core.file import File
from shieldwall.image.entry import EntryKind, FileStatus
from shieldwall.image.inventory import ImageInventory, InventoryCollector
from shieldwall.image.target import ImageScan
from shieldwall.image.virtual import origin_of
from shieldwall.vulndb.ecosystems import purl_for

NOASSERTION = "NOASSERTION"
_ID_CHARS = re.compile(r"[^A-Za-z0-9.-]+")


@dataclass(frozen=True, slots=True)
class ImageComponent:
    """One package of the image, in the terms both SBOM formats need."""

    name: str
    version: str
    purl: str
    source: str  # the database or file it was found in
    license: str = ""
    properties: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class ImageComponents:
    """Everything the image ships, and what could not be read."""

    name: str
    inventory: ImageInventory
    components: list[ImageComponent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def collect_components(opened: ImageScan) -> ImageComponents:
    """One pass over the image: OS packages, then language packages, deduplicated by purl."""
    collector = InventoryCollector()
    files: list[File] = []
    for entry in opened.entries():
        collector.add(entry)
        if entry.status is not FileStatus.PRESENT or entry.kind is not EntryKind.FILE:
            continue
        if collector_for(entry.path) is not None and not entry.truncated:
            if entry.abspath:
                files.append(File(entry.path, entry.abspath, entry.size, origin=origin_of(entry)))
            else:
                files.append(File.virtual(entry.path, entry.data or b"", origin_of(entry)))
    inventory = collector.finish()
    out = ImageComponents(opened.image.name, inventory)
    out.warnings += [*opened.notes.summary(), *inventory.warnings]
    seen: set[str] = set()

    def add(component: ImageComponent) -> None:
        if component.purl not in seen:
            seen.add(component.purl)
            out.components.append(component)

    for package in inventory.packages:
        properties = [("shieldwall:package-manager", package.manager)]
        if package.source_name:
            properties.append(("shieldwall:source-package", package.source_name))
        where = inventory.provenance(package)
        if where is not None:
            properties.append(("shieldwall:layer", where.layer))
        add(
            ImageComponent(
                name=package.name,
                version=package.version,
                purl=package.purl(inventory.os),
                source=inventory.sources.get(f"{package.manager}:{package.name}", ""),
                license=package.license,
                properties=tuple(properties),
            )
        )
    for found, where in inventory.language:
        add(
            ImageComponent(
                name=found.name,
                version=found.version,
                purl=purl_for(found.ecosystem, found.name, found.version),
                source="/" + found.path,
                license=found.licenses[0] if found.licenses else "",
                properties=(("shieldwall:layer", where.layer),),
            )
        )
    collected = collect_group(files, "/")
    out.warnings += [f"{e.path}: {e.message}" for e in collected.errors]
    for lockfile in collected.inventories:
        for locked in lockfile.packages:
            add(
                ImageComponent(
                    name=locked.name,
                    version=locked.version,
                    purl=str(locked.purl),
                    source="/" + lockfile.path,
                    license=locked.licenses[0] if locked.licenses else "",
                )
            )
    return out


def image_sbom(opened: ImageScan) -> tuple[str, list[str]]:
    """The CycloneDX JSON document of the image, and warnings about what could not be read."""
    found = collect_components(opened)
    bom = Bom()
    root = Component(name=found.name, type=ComponentType.CONTAINER, bom_ref="root")
    bom.metadata.component = root
    bom.metadata.tools.components.add(
        Component(name="shieldwall", version=__version__, type=ComponentType.APPLICATION)
    )
    os = found.inventory.os
    if os is not None:
        bom.components.add(
            Component(
                name=os.id,
                version=os.version_id or None,
                type=ComponentType.OPERATING_SYSTEM,
                description=os.pretty_name or None,
                bom_ref=f"os:{os.id}",
            )
        )
    for item in found.components:
        bom.components.add(
            Component(
                name=item.name,
                version=item.version or None,
                type=ComponentType.LIBRARY,
                purl=PackageURL.from_string(item.purl),
                bom_ref=item.purl,
                licenses=[DisjunctiveLicense(name=item.license)] if item.license else [],
                properties=[
                    Property(name="shieldwall:source", value=item.source),
                    *(Property(name=k, value=v) for k, v in item.properties),
                ],
            )
        )
    # The image contains every component; package-to-package edges are not recorded in an
    # image's databases consistently enough to draw, so each has an empty dependency list.
    components = list(bom.components)
    bom.register_dependency(root, components)
    for component in components:
        bom.register_dependency(component, [])
    return str(JsonV1Dot6(bom).output_as_string(indent=2)), found.warnings


def _license(text: str) -> str:
    if not text:
        return NOASSERTION
    parsed = normalize(text)
    return parsed.spdx if parsed.expression is not None and not parsed.unknown else NOASSERTION


def image_spdx(opened: ImageScan, *, created: datetime | None = None) -> tuple[str, list[str]]:
    """The SPDX 2.3 JSON document of the image (spec: https://spdx.github.io/spdx-spec/v2.3/)."""
    found = collect_components(opened)
    when = (created or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    root_id = "SPDXRef-Image"
    packages: list[dict[str, object]] = [
        {
            "SPDXID": root_id,
            "name": found.name,
            "downloadLocation": NOASSERTION,
            "filesAnalyzed": False,
            "primaryPackagePurpose": "CONTAINER",
        }
    ]
    relationships = [
        {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
         "relatedSpdxElement": root_id},
    ]  # fmt: skip
    os = found.inventory.os
    if os is not None:
        packages.append(
            {
                "SPDXID": "SPDXRef-OperatingSystem",
                "name": os.id,
                "versionInfo": os.version_id or NOASSERTION,
                "downloadLocation": NOASSERTION,
                "filesAnalyzed": False,
                "primaryPackagePurpose": "OPERATING-SYSTEM",
                **({"description": os.pretty_name} if os.pretty_name else {}),
            }
        )
        relationships.append(
            {"spdxElementId": root_id, "relationshipType": "CONTAINS",
             "relatedSpdxElement": "SPDXRef-OperatingSystem"}
        )  # fmt: skip
    for number, item in enumerate(found.components, start=1):
        spdx_id = f"SPDXRef-Package-{number}-{_ID_CHARS.sub('-', item.name)}"
        package: dict[str, object] = {
            "SPDXID": spdx_id,
            "name": item.name,
            "versionInfo": item.version or NOASSERTION,
            "downloadLocation": NOASSERTION,
            "filesAnalyzed": False,
            "licenseConcluded": NOASSERTION,
            "licenseDeclared": _license(item.license),
            "copyrightText": NOASSERTION,
            "externalRefs": [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": item.purl,
                },
            ],
            "primaryPackagePurpose": "LIBRARY",
        }
        if item.source:
            package["sourceInfo"] = f"found in {item.source}"
        packages.append(package)
        relationships.append(
            {"spdxElementId": root_id, "relationshipType": "CONTAINS",
             "relatedSpdxElement": spdx_id}
        )  # fmt: skip
    slug = _ID_CHARS.sub("-", found.name).strip("-") or "image"
    document = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"{slug}-sbom",
        "documentNamespace": f"https://shieldwall.invalid/spdx/{slug}-{uuid.uuid4()}",
        "creationInfo": {"created": when, "creators": [f"Tool: shieldwall-{__version__}"]},
        "packages": packages,
        "relationships": relationships,
    }
    return json.dumps(document, indent=2), found.warnings
