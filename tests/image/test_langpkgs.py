"""Language packages read from image files: jars (nested, bombs), Go build info, gems, npm, eggs."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from shieldwall.image import jars
from shieldwall.image.gobinary import WINDOW, excerpt, read_build_info, stdlib_version
from shieldwall.image.langpkgs import packages_in, wants
from shieldwall.vulndb.ecosystems import Ecosystem
from tests.image.pkgfixtures import GEMSPEC_RACK, go_binary, jar, old_go_binary


def _found(path: str, data: bytes) -> set[tuple[str, str, str, str]]:
    packages, _ = packages_in(path, data)
    return {(p.ecosystem.value, p.name, p.version, p.path) for p in packages}


def test_war_with_nested_jars_lists_every_artifact() -> None:
    log4j = jar(("org.apache.logging.log4j", "log4j-core", "2.14.1"))
    shaded = jar(("com.example", "fat", "1.0"), ("com.google.guava", "guava", "31.1-jre"))
    war = jar(
        ("com.example", "shop", "3.2"),
        nested={"WEB-INF/lib/log4j-core-2.14.1.jar": log4j, "WEB-INF/lib/fat-1.0.jar": shaded},
    )
    assert _found("srv/shop.war", war) == {
        ("Maven", "com.example:shop", "3.2", "srv/shop.war"),
        ("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1",
         "srv/shop.war!/WEB-INF/lib/log4j-core-2.14.1.jar"),
        ("Maven", "com.example:fat", "1.0", "srv/shop.war!/WEB-INF/lib/fat-1.0.jar"),
        ("Maven", "com.google.guava:guava", "31.1-jre", "srv/shop.war!/WEB-INF/lib/fat-1.0.jar"),
    }  # fmt: skip


def test_jar_without_pom_properties_is_named_from_its_manifest_only_when_complete() -> None:
    manifest = (
        "Manifest-Version: 1.0\r\nImplementation-Vendor-Id: commons-io\r\n"
        "Implementation-Title: Apache Commons IO\r\nImplementation-Version: 2.6\r\n\r\n"
    )
    bare = io.BytesIO()
    with zipfile.ZipFile(bare, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", manifest)
    assert _found("lib/commons-io-2.6.jar", bare.getvalue()) == {
        ("Maven", "commons-io:commons-io", "2.6", "lib/commons-io-2.6.jar")
    }
    # No group id: nothing a Maven advisory could be matched against.
    assert _found("lib/thing-1.0.jar", jar(manifest="Implementation-Version: 1.0\r\n\r\n")) == set()


def test_zip_bomb_and_deep_nesting_are_bounded() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("BOOT-INF/lib/zeros.jar", b"\0" * (40 << 20))  # ~1000:1
    packages, problems = packages_in("app.jar", bomb.getvalue())
    assert packages == []
    assert any("zeros.jar" in p and "not opened" in p for p in problems)
    inner = jar(("g", "deepest", "1"))
    for level in range(jars.MAX_DEPTH + 1):
        inner = jar(("g", f"level{level}", "1"), nested={f"lib/l{level}.jar": inner})
    packages, problems = packages_in("deep.jar", inner)
    assert "deepest" not in {p.name.split(":")[1] for p in packages}
    assert any("nested too deep" in p for p in problems)


def test_corrupt_jar_is_a_problem_not_a_crash() -> None:
    packages, problems = packages_in("broken.jar", b"PK\x03\x04 truncated")
    assert packages == []
    assert problems == ["broken.jar: not a readable zip archive (File is not a zip file)"]


def test_go_build_info_gives_modules_and_stdlib() -> None:
    data = go_binary(
        "go1.21.5",
        [
            "path\texample.com/app",
            "mod\texample.com/app\t(devel)\t",
            "dep\tgolang.org/x/text\tv0.3.7\th1:olpwvP2KacW1ZWvsR7uQhoyTYvKAupfQrRGBFM352Gk=",
            "dep\tgithub.com/old/name\tv1.0.0\th1:x",
            "=>\tgithub.com/new/name\tv1.2.0\th1:y",
            "build\t-compiler=gc",
        ],
    )
    assert _found("usr/local/bin/app", data) == {
        ("Go", "golang.org/x/text", "v0.3.7", "usr/local/bin/app"),
        ("Go", "github.com/new/name", "v1.2.0", "usr/local/bin/app"),
        ("Go", "stdlib", "1.21.5", "usr/local/bin/app"),
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("go1.21.5", "1.21.5"), ("go1.22", "1.22.0"), ("go1.21rc2", "1.21.0-rc.2"),
     ("go1.20.1 X:nocoverageredesign", "1.20.1"), ("devel +abc", None)],
)  # fmt: skip
def test_stdlib_version(raw: str, expected: str | None) -> None:
    assert stdlib_version(raw) == expected


def test_not_go_and_old_go_binaries_give_nothing() -> None:
    assert read_build_info(b"\x7fELF" + b"\0" * 100) is None
    old = bytearray(go_binary("go1.16", ["path\tx"]))
    old[old.find(b"inf:") + 5] = 0  # flags without "inline strings": Go 1.17 and older
    assert read_build_info(bytes(old)) is None


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("go") is None, reason="no Go toolchain installed")
def test_real_go_binary(tmp_path: Path) -> None:
    """A binary built by the real Go toolchain (vendored dependency, no network)."""
    src = tmp_path / "src"
    lang = src / "vendor" / "golang.org" / "x" / "text" / "language"
    lang.mkdir(parents=True)
    (src / "go.mod").write_text(
        "module example.com/hello\n\ngo 1.18\n\nrequire golang.org/x/text v0.3.7\n"
    )
    (src / "vendor" / "modules.txt").write_text(
        "# golang.org/x/text v0.3.7\n## explicit\ngolang.org/x/text/language\n"
    )
    (lang / "language.go").write_text('package language\n\nfunc Tag() string { return "en" }\n')
    (src / "main.go").write_text(
        'package main\n\nimport (\n\t"fmt"\n\n\t"golang.org/x/text/language"\n)\n\n'
        "func main() { fmt.Println(language.Tag()) }\n"
    )
    go = shutil.which("go")
    assert go is not None
    env = {**os.environ, "GOPROXY": "off", "GOFLAGS": "-mod=vendor", "GOCACHE": str(tmp_path / "c"),
           "GOPATH": str(tmp_path / "p"), "HOME": str(tmp_path)}  # fmt: skip
    subprocess.run([go, "build", "-o", str(tmp_path / "hello"), "."], cwd=src, env=env, check=True)
    version = subprocess.run([go, "env", "GOVERSION"], env=env, check=True, capture_output=True)
    found = _found("app/hello", (tmp_path / "hello").read_bytes())
    assert ("Go", "golang.org/x/text", "v0.3.7", "app/hello") in found
    assert ("Go", "stdlib", stdlib_version(version.stdout.decode().strip()), "app/hello") in found
    assert not any(name == "example.com/hello" for _, name, _, _ in found)  # (devel)


def test_gemspec_npm_and_egg_info() -> None:
    assert _found("usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.3.gemspec", GEMSPEC_RACK) == {
        ("RubyGems", "rack", "2.2.3", "usr/lib/ruby/gems/3.1.0/specifications/rack-2.2.3.gemspec")
    }
    pkg = b'{"name": "@scope/lodash", "version": "4.17.20", "license": "MIT"}'
    assert _found("app/node_modules/@scope/lodash/package.json", pkg) == {
        ("npm", "@scope/lodash", "4.17.20", "app/node_modules/@scope/lodash/package.json")
    }
    # Only a package's own package.json: not test fixtures deeper inside it.
    assert not wants("app/node_modules/lodash/test/package.json", 0o644)
    assert _found("app/node_modules/lodash/package.json", b"not json") == set()
    egg = b"Metadata-Version: 1.1\nName: PyYAML\nVersion: 5.3.1\n"
    assert _found("usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info", egg) == {
        ("PyPI", "PyYAML", "5.3.1", "usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info")
    }
    assert packages_in("srv/PKG.egg-info/PKG-INFO", egg)[0][0].ecosystem is Ecosystem.PYPI


def test_large_executables_are_streamed_for_their_build_info() -> None:
    go = go_binary("go1.21.5", ["dep\tgolang.org/x/text\tv0.3.7\th1:x"])
    padded = go[:64] + b"\0" * (3 << 20) + go[64:] + b"\0" * (2 << 20)  # header past 3 MiB
    kept = excerpt(io.BytesIO(padded))
    assert kept is not None and len(kept) <= 64 + WINDOW
    assert _found("usr/bin/big", kept) == {
        ("Go", "golang.org/x/text", "v0.3.7", "usr/bin/big"),
        ("Go", "stdlib", "1.21.5", "usr/bin/big"),
    }
    split = go[:64] + b"\0" * ((1 << 20) - 70) + go[64:]  # the magic straddles two chunks
    assert excerpt(io.BytesIO(split)) is not None
    assert excerpt(io.BytesIO(b"\x7fELF" + b"\0" * (2 << 20))) is None
    assert excerpt(io.BytesIO(b"#!/bin/sh\n" + go)) is None  # not ELF


def test_archives_with_too_many_entries_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jars, "MAX_MEMBERS", 3)
    packages, problems = packages_in("many.jar", jar(("g", "a", "1"), ("g", "b", "1")))
    assert packages == []
    assert problems == ["many.jar: more than 3 entries; not read"]


def test_go_1_17_pointer_format_is_resolved_through_the_elf_segments() -> None:
    data = old_go_binary("go1.16.15", ["path\tex.com/a", "dep\tgolang.org/x/text\tv0.3.5\th1:x"])
    assert _found("bin/old", data) == {
        ("Go", "golang.org/x/text", "v0.3.5", "bin/old"),
        ("Go", "stdlib", "1.16.15", "bin/old"),
    }
    broken = bytearray(data)
    broken[0x110:0x118] = (0x900000).to_bytes(8, "little")  # a pointer outside every segment
    assert read_build_info(bytes(broken)) is None
