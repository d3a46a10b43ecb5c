"""SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/): packages with purls, licenses and
DEPENDS_ON relationships."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime

from shieldwall import __version__
from shieldwall.analyzers.license.spdx import normalize
from shieldwall.sbom.inventory import Component, SoftwareInventory

_ID_CHARS = re.compile(r"[^A-Za-z0-9.-]+")
NOASSERTION = "NOASSERTION"


def _spdx_id(index: int, component: Component) -> str:
    return f"SPDXRef-Package-{index}-{_ID_CHARS.sub('-', component.package.name)}"


def _declared(component: Component) -> str:
    declared = component.package.licenses
    if not declared:
        return NOASSERTION
    text = " OR ".join(f"({d})" for d in declared) if len(declared) > 1 else declared[0]
    parsed = normalize(text)
    return parsed.spdx if parsed.expression is not None and not parsed.unknown else NOASSERTION


def to_spdx(inventory: SoftwareInventory, *, created: datetime | None = None) -> str:
    """The inventory as an SPDX 2.3 JSON document."""
    when = (created or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    root_id = "SPDXRef-Package-root"
    ids = {c.purl: _spdx_id(i, c) for i, c in enumerate(inventory.components, start=1)}
    packages: list[dict[str, object]] = [
        {
            "SPDXID": root_id,
            "name": inventory.name,
            "downloadLocation": NOASSERTION,
            "filesAnalyzed": False,
            "primaryPackagePurpose": "APPLICATION",
        }
    ]
    for component in inventory.components:
        package = component.package
        packages.append(
            {
                "SPDXID": ids[component.purl],
                "name": package.name,
                "versionInfo": package.version or NOASSERTION,
                "downloadLocation": NOASSERTION,
                "filesAnalyzed": False,
                "licenseConcluded": NOASSERTION,
                "licenseDeclared": _declared(component),
                "copyrightText": NOASSERTION,
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": component.purl,
                    }
                ],
                "primaryPackagePurpose": "LIBRARY",
            }
        )
    relationships = [
        {
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": root_id,
        }
    ]
    relationships += [
        {"spdxElementId": root_id, "relationshipType": "DEPENDS_ON", "relatedSpdxElement": ids[p]}
        for p in inventory.direct
        if p in ids
    ]
    relationships += [
        {
            "spdxElementId": ids[c.purl],
            "relationshipType": "DEPENDS_ON",
            "relatedSpdxElement": ids[d],
        }
        for c in inventory.components
        for d in c.depends_on
        if d in ids
    ]
    document = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"{inventory.name}-sbom",
        "documentNamespace": f"https://shieldwall.invalid/spdx/{inventory.name}-{uuid.uuid4()}",
        "creationInfo": {"created": when, "creators": [f"Tool: shieldwall-{__version__}"]},
        "documentDescribes": [root_id],
        "packages": packages,
        "relationships": relationships,
    }
    return json.dumps(document, indent=2)
