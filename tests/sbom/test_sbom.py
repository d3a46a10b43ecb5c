"""SBOM output: CycloneDX 1.6 validated against its official schema, SPDX 2.3 structure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from shieldwall.sbom import build_inventory, to_cyclonedx, to_spdx

TESTS = Path(__file__).parent.parent
SCHEMAS = TESTS / "data" / "schemas"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    (root / "web").mkdir(parents=True)
    shutil.copy(TESTS / "corpus/deps/SW-DEP-001.npm/package-lock.json", root / "web")
    shutil.copy(TESTS / "corpus/deps/SW-DEP-001.python/poetry.lock", root)
    shutil.copy(TESTS / "corpus/license/SW-LIC-002/composer.lock", root)
    (root / "broken").mkdir()
    (root / "broken" / "Cargo.lock").write_text("not toml [[[")
    return root


def cyclonedx_validator() -> jsonschema.protocols.Validator:
    resources = []
    for name in ("bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"):
        schema = json.loads((SCHEMAS / name).read_text())
        resources.append((name, Resource.from_contents(schema)))
        if "$id" in schema:
            resources.append((schema["$id"], Resource.from_contents(schema)))
    registry: Registry[Any] = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / "bom-1.6.schema.json").read_text())
    return jsonschema.Draft7Validator(schema, registry=registry)


def test_inventory(project: Path) -> None:
    inventory = build_inventory(project)
    purls = {c.purl for c in inventory.components}
    assert "pkg:npm/lodash@4.17.4" in purls and "pkg:pypi/jinja2@2.6" in purls
    assert "pkg:composer/acme/dual@1.0.0" in purls
    assert [e.path for e in inventory.errors] == ["broken/Cargo.lock"]
    helper = next(c for c in inventory.components if c.package.name == "express-helper")
    assert helper.depends_on == ("pkg:npm/lodash@4.17.4",)
    assert "pkg:npm/lodash@4.17.21" in inventory.direct
    assert "pkg:npm/lodash@4.17.4" not in inventory.direct


def test_cyclonedx_is_valid_1_6(project: Path) -> None:
    document = json.loads(to_cyclonedx(build_inventory(project)))
    errors = sorted(cyclonedx_validator().iter_errors(document), key=str)
    assert not errors, errors[0]
    assert document["specVersion"] == "1.6"
    components = {c["purl"]: c for c in document["components"]}
    assert components["pkg:composer/acme/dual@1.0.0"]["licenses"] == [
        {"expression": "MIT OR GPL-2.0-or-later"}
    ]
    depends = {d["ref"]: d.get("dependsOn", []) for d in document["dependencies"]}
    assert depends["pkg:npm/express-helper@1.0.0"] == ["pkg:npm/lodash@4.17.4"]
    assert "pkg:npm/lodash@4.17.21" in depends["root"]


def test_cyclonedx_schema_check_can_fail() -> None:
    document = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"name": "x"}]}
    assert list(cyclonedx_validator().iter_errors(document))  # a component needs a type


def test_spdx_2_3(project: Path) -> None:
    document = json.loads(to_spdx(build_inventory(project)))
    assert document["spdxVersion"] == "SPDX-2.3"
    assert document["dataLicense"] == "CC0-1.0"
    ids = [p["SPDXID"] for p in document["packages"]]
    assert len(ids) == len(set(ids)) and all(i.startswith("SPDXRef-") for i in ids)
    for package in document["packages"][1:]:
        assert {"name", "versionInfo", "downloadLocation", "licenseDeclared"} <= set(package)
        (ref,) = package["externalRefs"]
        assert ref["referenceType"] == "purl" and ref["referenceLocator"].startswith("pkg:")
    by_name = {p["name"]: p for p in document["packages"]}
    assert by_name["acme/dual"]["licenseDeclared"] == "MIT OR GPL-2.0-or-later"
    assert by_name["acme/no-license"]["licenseDeclared"] == "NOASSERTION"
    known = set(ids) | {"SPDXRef-DOCUMENT"}
    for rel in document["relationships"]:
        assert rel["spdxElementId"] in known and rel["relatedSpdxElement"] in known
    helper = by_name["express-helper"]["SPDXID"]
    lodash = next(p["SPDXID"] for p in document["packages"] if p.get("versionInfo") == "4.17.4")
    assert {
        "spdxElementId": helper,
        "relationshipType": "DEPENDS_ON",
        "relatedSpdxElement": lodash,
    } in document["relationships"]
