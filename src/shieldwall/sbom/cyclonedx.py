"""CycloneDX 1.6 JSON, built with cyclonedx-python-lib (which validates the model it writes)."""

from __future__ import annotations

from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component as CdxComponent
from cyclonedx.model.component import ComponentType
from cyclonedx.model.license import DisjunctiveLicense, LicenseExpression
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from shieldwall import __version__
from shieldwall.analyzers.license.spdx import normalize
from shieldwall.sbom.inventory import Component, SoftwareInventory


def _licenses(component: Component) -> list[LicenseExpression | DisjunctiveLicense]:
    declared = component.package.licenses
    if not declared:
        return []
    text = " OR ".join(f"({d})" for d in declared) if len(declared) > 1 else declared[0]
    parsed = normalize(text)
    if parsed.expression is not None and not parsed.unknown:
        return [LicenseExpression(parsed.spdx)]
    return [DisjunctiveLicense(name=text)]  # keep what was declared, as a name


def to_cyclonedx(inventory: SoftwareInventory) -> str:
    """The inventory as a CycloneDX 1.6 JSON document."""
    bom = Bom()
    root = CdxComponent(name=inventory.name, type=ComponentType.APPLICATION, bom_ref="root")
    bom.metadata.component = root
    bom.metadata.tools.components.add(
        CdxComponent(name="shieldwall", version=__version__, type=ComponentType.APPLICATION)
    )
    by_purl: dict[str, CdxComponent] = {}
    for item in inventory.components:
        package = item.package
        cdx = CdxComponent(
            name=package.name,
            version=package.version or None,
            type=ComponentType.LIBRARY,
            purl=PackageURL.from_string(item.purl),
            bom_ref=item.purl,
            licenses=_licenses(item),
            properties=[Property(name="shieldwall:source", value=s) for s in item.sources],
        )
        by_purl[item.purl] = cdx
        bom.components.add(cdx)
    bom.register_dependency(root, [by_purl[p] for p in inventory.direct if p in by_purl])
    for item in inventory.components:
        bom.register_dependency(by_purl[item.purl], [by_purl[d] for d in item.depends_on])
    return str(JsonV1Dot6(bom).output_as_string(indent=2))
