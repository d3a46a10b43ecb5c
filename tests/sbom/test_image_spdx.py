"""``shieldwall sbom IMAGE --format spdx-json``: SPDX 2.3, checked by the SPDX project's validator.

The reference implementation of the SPDX specification (``spdx-tools``, maintained by the SPDX
project) parses the document and validates it against the 2.3 rules: ids, relationships,
license expressions, purls, dates.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shieldwall.cli.app import app
from tests.image.build import DATA, M, docker_save, layer, make_config
from tests.image.pkgfixtures import jar

spdx_parser = pytest.importorskip("spdx_tools.spdx.parser.parse_anything")
spdx_validation = pytest.importorskip("spdx_tools.spdx.validation.document_validator")


def _validate(path: Path) -> list[str]:
    document = spdx_parser.parse_file(str(path))
    messages = spdx_validation.validate_full_spdx_document(document, "SPDX-2.3")
    return [m.validation_message for m in messages]


def _image(tmp_path: Path) -> Path:
    layers = [
        layer(
            M("etc/", type=tarfile.DIRTYPE, mode=0o755),
            M("etc/os-release", (DATA / "os-release-debian12").read_bytes()),
            M("var/lib/dpkg/status", (DATA / "dpkg-status").read_bytes()),
        ),
        layer(
            M("opt/app/app.jar", jar(("org.apache.logging.log4j", "log4j-core", "2.14.1"))),
            M(
                "srv/node_modules/lodash/package.json",
                b'{"name":"lodash","version":"4.17.20","license":"MIT"}',
            ),
        ),
    ]
    return docker_save(tmp_path / "app.tar", layers, make_config(layers), tag="shop/app:2")


def test_image_spdx_is_valid_spdx_2_3(tmp_path: Path) -> None:
    out = tmp_path / "sbom.spdx.json"
    result = CliRunner().invoke(
        app, ["sbom", str(_image(tmp_path)), "--format", "spdx-json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert _validate(out) == []
    document: dict[str, Any] = json.loads(out.read_text())
    assert document["spdxVersion"] == "SPDX-2.3"
    by_name = {p["name"]: p for p in document["packages"]}
    assert by_name["shop/app:2"]["primaryPackagePurpose"] == "CONTAINER"
    assert by_name["debian"]["primaryPackagePurpose"] == "OPERATING-SYSTEM"
    purls = {p["name"]: p["externalRefs"][0]["referenceLocator"] for p in document["packages"][2:]}
    assert purls["libssl3"].startswith("pkg:deb/debian/libssl3@3.0.19-1~deb12u2?")
    assert "upstream=openssl" in purls["libssl3"]
    assert purls["org.apache.logging.log4j:log4j-core"] == (
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    )
    assert purls["lodash"] == "pkg:npm/lodash@4.17.20"
    assert by_name["lodash"]["licenseDeclared"] == "MIT"
    assert by_name["libssl3"]["sourceInfo"] == "found in /var/lib/dpkg/status"
    contained = {
        r["relatedSpdxElement"] for r in document["relationships"]
        if r["relationshipType"] == "CONTAINS"
    }  # fmt: skip
    assert contained == {p["SPDXID"] for p in document["packages"][1:]}
    assert len(document["packages"]) == 2 + 8 + 2  # image, OS, 8 dpkg, 2 language packages


def test_the_validator_rejects_a_broken_document(tmp_path: Path) -> None:
    out = tmp_path / "sbom.spdx.json"
    CliRunner().invoke(app, ["sbom", str(_image(tmp_path)), "-f", "spdx", "-o", str(out)])
    document = json.loads(out.read_text())
    document["relationships"].append(
        {"spdxElementId": "SPDXRef-Image", "relationshipType": "CONTAINS",
         "relatedSpdxElement": "SPDXRef-Nowhere"}
    )  # fmt: skip
    broken = tmp_path / "broken.spdx.json"
    broken.write_text(json.dumps(document))
    assert any("SPDXRef-Nowhere" in m for m in _validate(broken))


def test_image_cyclonedx_lists_language_packages(tmp_path: Path) -> None:
    from tests.sbom.test_sbom import cyclonedx_validator

    out = tmp_path / "bom.json"
    result = CliRunner().invoke(app, ["sbom", str(_image(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert list(cyclonedx_validator().iter_errors(document)) == []
    purls = {c.get("purl") for c in document["components"]}
    assert "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" in purls
    assert "pkg:npm/lodash@4.17.20" in purls


def test_rpm_packages_in_both_formats(tmp_path: Path) -> None:
    release = b'ID="rocky"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3"\n'
    layers = [
        layer(
            M("etc/os-release", release),
            M("var/lib/rpm/rpmdb.sqlite", (DATA / "rpmdb-rocky9.sqlite").read_bytes()),
        )
    ]
    image = docker_save(tmp_path / "rocky.tar", layers, make_config(layers))
    purl = (
        "pkg:rpm/rocky/openssl-libs@3.0.7-24.el9"
        "?arch=noarch&distro=rocky-9.3&epoch=1&upstream=openssl"
    )
    spdx, cdx = tmp_path / "s.json", tmp_path / "c.json"
    runner = CliRunner()
    assert (
        runner.invoke(app, ["sbom", str(image), "-f", "spdx-json", "-o", str(spdx)]).exit_code == 0
    )
    assert runner.invoke(app, ["sbom", str(image), "-o", str(cdx)]).exit_code == 0
    assert _validate(spdx) == []
    refs = {
        p["externalRefs"][0]["referenceLocator"]
        for p in json.loads(spdx.read_text())["packages"][2:]
    }
    assert purl in refs and len(refs) == 3
    assert purl in {c.get("purl") for c in json.loads(cdx.read_text())["components"]}
