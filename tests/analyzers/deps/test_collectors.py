"""Every lockfile format: packages, versions, lines, direct/transitive and dependency paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from shieldwall.analyzers.deps.collectors import CollectorError, Inventory, collector_for
from shieldwall.analyzers.deps.collectors.maven import collect_pom
from shieldwall.vulndb.ecosystems import Ecosystem

DATA = Path(__file__).parents[2] / "data" / "lockfiles"
CORPUS = Path(__file__).parents[2] / "corpus" / "deps"


def collect(name: str, source: Path) -> Inventory:
    collector = collector_for(name)
    assert collector is not None, name
    return collector.collect(name, source.read_text(encoding="utf-8"))


def by_name(
    inventory: Inventory,
) -> dict[str, tuple[str, int | None, bool | None, tuple[str, ...]]]:
    return {p.name: (p.version, p.line, p.direct, p.dependency_path) for p in inventory.packages}


def test_package_lock_v3_graph_and_nested_resolution() -> None:
    inv = collect("package-lock.json", CORPUS / "SW-DEP-001.npm" / "package-lock.json")
    nested = next(p for p in inv.packages if p.version == "4.17.4")
    assert nested.dependency_path == ("express-helper@1.0.0", "lodash@4.17.4")
    assert nested.direct is False and nested.line == 22
    top = next(p for p in inv.packages if p.version == "4.17.21")
    assert top.direct is True and top.licenses == ("MIT",)


def test_package_lock_v1() -> None:
    inv = collect("package-lock.json", DATA / "package-lock-v1.json")
    packages = by_name(inv)
    assert packages["debug"][0] == "2.6.9"
    assert packages["ms"][3] == ("express@4.16.0", "debug@2.6.9", "ms@2.0.0")
    assert packages["express"][2] is True  # nothing requires it: a root
    assert packages["qs"][2] is False
    assert [p.dev for p in inv.packages if p.name == "mocha"] == [True]
    assert packages["debug"][1] == 15


def test_yarn_classic_and_berry() -> None:
    classic = collect("yarn.lock", CORPUS / "SW-DEP-001.npm" / "web" / "yarn.lock")
    assert by_name(classic)["lodash"][:2] == ("4.17.10", 6)
    assert by_name(classic)["lodash"][3] == ("@types/lodash@4.14.100", "lodash@4.17.10")
    berry = collect("yarn.lock", DATA / "yarn-berry.lock")
    packages = by_name(berry)
    assert set(packages) == {"lodash", "js-tokens"}  # the workspace itself is not a package
    assert packages["js-tokens"][3] == ("lodash@4.17.15", "js-tokens@4.0.0")
    assert packages["lodash"][1] == 23


@pytest.mark.parametrize("name", ["pnpm-lock-v6.yaml", "pnpm-lock-v9.yaml"])
def test_pnpm(name: str) -> None:
    packages = by_name(collect("pnpm-lock.yaml", DATA / name))
    if name.endswith("v6.yaml"):
        assert packages["express"][2] is True
        assert packages["qs"] == ("6.7.0", 19, False, ("express@4.17.1", "qs@6.7.0"))
    else:
        assert packages["@scope/pkg"][:3] == ("1.2.0", 13, True)
        assert packages["react"][3] == ("@scope/pkg@1.2.0", "react@18.2.0")


def test_python_lockfiles() -> None:
    poetry = by_name(collect("poetry.lock", CORPUS / "SW-DEP-001.python" / "poetry.lock"))
    assert poetry["jinja2"] == ("2.6", 5, True, ("jinja2@2.6",))
    assert poetry["markupsafe"][3] == ("jinja2@2.6", "markupsafe@2.1.5")
    uv = by_name(collect("uv.lock", DATA / "uv.lock"))
    assert "shop" not in uv  # the project itself
    assert uv["requests"][2] is True and uv["certifi"][2] is False
    assert uv["certifi"][1] == 5
    pdm = by_name(collect("pdm.lock", DATA / "pdm.lock"))
    assert pdm["werkzeug"][3] == ("flask@2.0.1", "werkzeug@2.0.0")
    pipenv = collect("Pipfile.lock", DATA / "Pipfile.lock")
    assert {(p.name, p.version, p.dev) for p in pipenv.packages} == {
        ("django", "2.2.0", False),
        ("pytest", "7.0.0", True),
    }


def test_requirements() -> None:
    inv = collect("requirements.txt", CORPUS / "SW-DEP-003" / "requirements.txt")
    assert inv.includes == ("requirements-base.txt",)
    assert {(p.name, p.version, p.line) for p in inv.packages} == {
        ("gunicorn", "22.0.0", 9),
        ("attrs", "23.2.0", 11),
    }
    reasons = {u.name: u.reason for u in inv.unpinned}
    assert reasons["requests"] == "no version constraint"
    assert reasons["shop-utils"] == "editable install"
    assert reasons["pyyaml"] == "URL requirement"
    assert reasons["django"].startswith("version range")


def test_go_mod_and_go_sum() -> None:
    mod = collect("go.mod", CORPUS / "SW-DEP-001.go" / "go.mod")
    packages = by_name(mod)
    assert packages["github.com/gin-gonic/gin"] == (
        "v1.5.0", 6, True, ("github.com/gin-gonic/gin@v1.5.0",)
    )  # fmt: skip
    assert packages["golang.org/x/text"][2] is False  # // indirect
    total = collect("go.sum", DATA / "go.sum")
    assert [(p.name, p.version) for p in total.packages] == [("github.com/gin-gonic/gin", "v1.5.0")]


def test_go_mod_replace() -> None:
    text = (
        "module x\n\nrequire github.com/a/b v1.0.0\n\n"
        "replace github.com/a/b => github.com/fork/b v1.0.1\n"
    )
    collector = collector_for("go.mod")
    assert collector is not None
    (package,) = collector.collect("go.mod", text).packages
    assert (package.name, package.version) == ("github.com/fork/b", "v1.0.1")


def test_cargo_gemfile_composer_nuget_gradle() -> None:
    cargo = by_name(collect("Cargo.lock", CORPUS / "SW-DEP-001.cargo" / "Cargo.lock"))
    assert "shop" not in cargo
    gems = collect("Gemfile.lock", DATA / "Gemfile.lock")
    packages = by_name(gems)
    assert packages["nokogiri"][0] == "1.10.0"  # platform suffix removed
    assert packages["rack"][3] == ("actionpack@5.2.0", "rack@2.0.4")
    assert "local_engine" not in packages  # PATH gems are not from the registry
    composer = collect("composer.lock", CORPUS / "SW-DEP-001.composer" / "composer.lock")
    assert by_name(composer)["guzzlehttp/guzzle"][:2] == ("6.5.5", 5)
    nuget = by_name(collect("packages.lock.json", DATA / "packages.lock.json"))
    assert nuget["System.Memory"][3] == ("Newtonsoft.Json@12.0.1", "System.Memory@4.5.0")
    assert "Shop.Core" not in nuget
    gradle = collect("gradle.lockfile", DATA / "gradle.lockfile")
    assert [(p.name, p.version, p.dev) for p in gradle.packages] == [
        ("com.fasterxml.jackson.core:jackson-databind", "2.9.8", False),
        ("junit:junit", "4.12", True),
    ]


def test_pom_with_parent_in_the_repository() -> None:
    files = {
        "maven/parent/pom.xml": (DATA / "maven/parent/pom.xml").read_text(),
        "maven/app/pom.xml": (DATA / "maven/app/pom.xml").read_text(),
    }
    inv = collect_pom("maven/app/pom.xml", files["maven/app/pom.xml"], files.get)
    packages = by_name(inv)
    assert packages["org.apache.logging.log4j:log4j-core"][:2] == ("2.14.1", 13)
    assert packages["com.example:sibling"][0] == "3.1.0"  # ${project.version} from the parent
    # Without the parent, the managed version is unknown: reported as unpinned. The project
    # version still comes from the <parent> element, as Maven inherits it.
    alone = collect_pom("maven/app/pom.xml", files["maven/app/pom.xml"])
    assert [u.name for u in alone.unpinned] == ["org.apache.logging.log4j:log4j-core"]
    assert by_name(alone)["com.example:sibling"][0] == "3.1.0"


def test_dist_info_metadata() -> None:
    inv = collect(
        "site-packages/requests-2.19.0.dist-info/METADATA",
        DATA / "site-packages" / "requests-2.19.0.dist-info" / "METADATA",
    )
    (package,) = inv.packages
    assert (package.name, package.version, package.licenses) == (
        "requests",
        "2.19.0",
        ("Apache 2.0",),
    )
    assert package.dependencies == ("chardet", "idna")  # extras are not installed


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("package-lock.json", "{not json", "not valid JSON"),
        ("package-lock.json", '{"name": "x"}', "not an npm lockfile"),
        ("poetry.lock", "[tool]\nx = 1\n", "not a lockfile"),
        ("poetry.lock", "[[package]\n", "not valid TOML"),
        ("Cargo.lock", "[[package]]\nname = 'x'\n", "without name or version"),
        ("yarn.lock", "<html>not a lockfile</html>\n", "not a yarn.lock"),
        ("pnpm-lock.yaml", "a: [unclosed\n", "not valid YAML"),
        ("go.mod", "this is not go.mod\n", "no module directive"),
        ("go.sum", "garbage line\n", "not a go.sum line"),
        ("Gemfile.lock", "hello\n", "not a Gemfile.lock"),
        ("composer.lock", "[]", "not a composer.lock"),
        ("packages.lock.json", "{}", "not a NuGet lock file"),
        ("gradle.lockfile", "a:b\n", "not a gradle lock line"),
        ("pom.xml", "<project><unclosed></project>", "not a well-formed pom"),
        ("pom.xml", "<html/>", "not <project>"),
        ("requirements.txt", "\x00\x01binary", "binary content"),
        ("requirements.txt", "<<<>>>\n!!!\n", "not a requirements file"),
        ("site-packages/x-1.dist-info/METADATA", "Summary: no name\n", "no Name/Version"),
    ],
)
def test_files_that_are_not_what_their_name_says(name: str, text: str, message: str) -> None:
    collector = collector_for(name)
    assert collector is not None
    with pytest.raises(CollectorError, match=message):
        collector.collect(name, text)


def test_pom_entities_are_refused() -> None:
    with pytest.raises(CollectorError, match="not a well-formed pom"):
        collect_pom("pom.xml", (DATA / "xxe-pom.xml").read_text())


def test_ecosystems_and_purls() -> None:
    inv = collect("Gemfile.lock", DATA / "Gemfile.lock")
    assert {p.ecosystem for p in inv.packages} == {Ecosystem.RUBYGEMS}
    assert str(inv.packages[0].purl) == "pkg:gem/actionpack@5.2.0"
    pnpm = collect("pnpm-lock.yaml", DATA / "pnpm-lock-v9.yaml")
    assert "pkg:npm/%40scope/pkg@1.2.0" in {str(p.purl) for p in pnpm.packages}
