"""The deps analyzer end to end on files: findings, fixes, paths, errors, the missing index."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from shieldwall.analyzers.deps import DepsAnalyzer, DepsConfig
from shieldwall.core import AnalysisContext, File, Finding, ScanAbortedError, ScanError
from shieldwall.core.location import PackageLocation
from shieldwall.vulndb.service import import_source

OSV = Path(__file__).parents[2] / "data" / "osv" / "records.jsonl"


def files(root: Path, contents: dict[str, str | bytes]) -> list[File]:
    out = []
    for rel, content in contents.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        out.append(File(path=rel, abspath=str(path), size=path.stat().st_size))
    return out


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    import_source(tmp_path / "cache", OSV)
    return tmp_path / "cache"


def run(root: Path, cache: Path, contents: dict[str, str | bytes], **config: object) -> list:  # type: ignore[type-arg]
    analyzer = DepsAnalyzer()
    wanted = [f for f in files(root, contents) if analyzer.wants(f.path)]
    ctx = AnalysisContext(root=str(root), config=DepsConfig(**config), cache_dir=str(cache))  # type: ignore[arg-type]
    return list(analyzer.analyze(wanted, ctx))


def test_vulnerable_transitive_package_with_merged_aliases_and_fix(
    tmp_path: Path, cache: Path
) -> None:
    lock = (Path(__file__).parents[2] / "corpus/deps/SW-DEP-001.npm/package-lock.json").read_text()
    (finding, second) = sorted(
        run(tmp_path / "p", cache, {"app/package-lock.json": lock}), key=lambda f: f.message
    )
    assert isinstance(finding, Finding) and isinstance(second, Finding)
    location = finding.location
    assert isinstance(location, PackageLocation)
    assert (location.path, location.line, location.purl) == (
        "app/package-lock.json", 22, "pkg:npm/lodash@4.17.4"
    )  # fmt: skip
    assert location.dependency_path == ("express-helper@1.0.0", "lodash@4.17.4")
    assert finding.properties["aliases"] == ["CVE-2018-16487", "NSWG-ECO-493"]
    assert finding.properties["direct"] is False
    assert finding.properties["recommended_version"] == "4.17.11"
    assert finding.fix is not None and finding.fix.fixed_versions == ("4.17.11",)
    assert finding.severity.value == "medium"  # CVSS 5.7
    assert "CVE-2018-16487" in finding.message and "NSWG-ECO-493" in finding.message
    assert second.properties["aliases"] == ["CVE-2018-3721", "NSWG-ECO-368"]
    assert second.severity.value == "low"


def test_missing_index_aborts_with_instructions(tmp_path: Path) -> None:
    with pytest.raises(ScanAbortedError, match=r"shieldwall db update.*shieldwall db import"):
        run(tmp_path, tmp_path / "empty-cache", {"requirements.txt": "jinja2==2.7\n"})


def test_manifests_alone_do_not_need_the_index(tmp_path: Path) -> None:
    found = run(tmp_path, tmp_path / "empty-cache", {"requirements.txt": "flask>=2\n"})
    assert [f.rule.id for f in found] == ["SW-DEP-003"]


def test_bad_files_become_errors_and_the_rest_goes_on(tmp_path: Path, cache: Path) -> None:
    found = run(
        tmp_path,
        cache,
        {
            "a/package-lock.json": "{not json",
            "b/poetry.lock": b"\xff\xfe invalid utf-8",
            "c/requirements.txt": "jinja2==2.7\n",
            "d/yarn.lock": 'lodash@^4:\n  version "not-a-version"\n',
        },
    )
    errors = sorted((e.path, e.message) for e in found if isinstance(e, ScanError))
    assert [path for path, _ in errors] == ["a/package-lock.json", "b/poetry.lock", "d/yarn.lock:1"]
    assert "not valid JSON" in errors[0][1]
    assert "not valid UTF-8" in errors[1][1]
    assert "not a valid semantic version" in errors[2][1]
    vulns = [f for f in found if isinstance(f, Finding)]
    assert {f.location.path for f in vulns} == {"c/requirements.txt"}


def test_include_dev_false_skips_dev_dependencies(tmp_path: Path, cache: Path) -> None:
    lock = '{"default": {}, "develop": {"jinja2": {"version": "==2.7"}}, "_meta": {}}'
    assert run(tmp_path, cache, {"Pipfile.lock": lock}, include_dev=False) == []
    assert len(run(tmp_path, cache, {"Pipfile.lock": lock})) == 2  # PYSEC-2014-8 and -82


def test_requirements_includes_are_followed_inside_the_root(tmp_path: Path, cache: Path) -> None:
    (tmp_path / "outside.txt").write_text("jinja2==2.6\n")
    found = run(
        tmp_path / "repo",
        cache,
        {
            "requirements.txt": "-r common/base.in\n-r ../../outside.txt\n",
            "common/base.in": "jinja2==2.7\n",
        },
    )
    assert {(f.location.path, f.location.line) for f in found} == {("common/base.in", 1)}


def test_vendored_advisories_are_used_without_an_index(tmp_path: Path) -> None:
    corpus = Path(__file__).parents[2] / "corpus/deps/SW-DEP-001.go"
    contents: dict[str, str | bytes] = {
        "go.mod": (corpus / "go.mod").read_text(),
        ".shieldwall/advisories/GO-2020-0001.json": (
            corpus / ".shieldwall/advisories/GO-2020-0001.json"
        ).read_text(),
    }
    found = run(tmp_path, tmp_path / "no-cache", contents)
    assert [(f.rule.id, f.location.line) for f in found] == [("SW-DEP-001", 6)]


def test_analyzer_is_picklable_and_stateless(tmp_path: Path, cache: Path) -> None:
    analyzer = pickle.loads(pickle.dumps(DepsAnalyzer()))  # noqa: S301 - our own bytes, as the pool does
    assert analyzer.wants("requirements-dev.txt")
    assert analyzer.wants("web/package-lock.json")
    assert not analyzer.wants("node_modules/x/package.json")
    assert not analyzer.wants("src/app.py")
    first = run(tmp_path, cache, {"requirements.txt": "jinja2==2.7\n"})
    second = run(tmp_path, cache, {"requirements.txt": "jinja2==2.7\n"})
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second]
