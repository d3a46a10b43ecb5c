"""Language packages an image ships outside lockfiles: archives, binaries and install metadata.

Lockfiles and ``*.dist-info/METADATA`` go to the deps collectors like any tree's files; this
module reads what those collectors cannot:

* Java archives (:mod:`shieldwall.image.jars`) -> Maven;
* Go binaries' embedded build info (:mod:`shieldwall.image.gobinary`) -> Go, incl. ``stdlib``;
* RubyGems ``specifications/*.gemspec`` (the spec files ``gem install`` writes) -> RubyGems;
* installed npm packages, ``node_modules/<name>/package.json`` -> npm;
* setuptools ``*.egg-info/PKG-INFO`` (and single-file ``*.egg-info``) -> PyPI.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from email.parser import HeaderParser

from shieldwall.image.gobinary import ELF_MAGIC, has_build_info, read_build_info
from shieldwall.image.jars import is_java_archive, java_packages
from shieldwall.vulndb.ecosystems import Ecosystem

_GEMSPEC = re.compile(r"(?:^|/)specifications/[^/]+\.gemspec$")
_GEM_FIELD = re.compile(r"""\.(name|version)\s*=\s*["']([^"']+)["']""")
_GEM_LICENSES = re.compile(r"""\.licenses?\s*=\s*\[?\s*["']([^"']+)["']""")
_NODE_PACKAGE = re.compile(r"(?:^|/)node_modules/(?:@[^/]+/)?[^/@][^/]*/package\.json$")
_EGG_INFO = re.compile(r"\.egg-info(?:/PKG-INFO)?$")


@dataclass(frozen=True, slots=True)
class LanguagePackage:
    """A package found in one file of the image."""

    ecosystem: Ecosystem
    name: str
    version: str
    path: str  # the file (archives: with ``!/`` into nested archives)
    kind: str  # "jar", "go-binary", "gemspec", "npm", "egg-info"
    licenses: tuple[str, ...] = ()


def wants(path: str, mode: int) -> bool:
    """Whether a file may hold language packages (by name, or executable for Go binaries)."""
    return (
        is_java_archive(path)
        or bool(_GEMSPEC.search(path))
        or bool(_NODE_PACKAGE.search(path))
        or bool(_EGG_INFO.search(path))
        or bool(mode & 0o111)
    )


def wants_large(path: str, mode: int) -> bool:
    """Whether a file over the scan's size limit is still worth reading: archives, executables."""
    return is_java_archive(path) or bool(mode & 0o111)


def packages_in(path: str, data: bytes) -> tuple[list[LanguagePackage], list[str]]:
    """The packages a file holds, and problems met reading it (never raises on bad input)."""
    if is_java_archive(path):
        found, problems = java_packages(path, io.BytesIO(data))
        return [
            LanguagePackage(Ecosystem.MAVEN, p.name, p.version, p.path, "jar") for p in found
        ], problems
    if _GEMSPEC.search(path):
        return _gemspec(path, data), []
    if _NODE_PACKAGE.search(path):
        return _node_package(path, data), []
    if _EGG_INFO.search(path):
        return _egg_info(path, data), []
    if data.startswith(ELF_MAGIC) and has_build_info(data):
        return _go_binary(path, data), []
    return [], []


def _gemspec(path: str, data: bytes) -> list[LanguagePackage]:
    text = data.decode("utf-8", errors="replace")
    fields: dict[str, str] = {}
    for key, value in _GEM_FIELD.findall(text):
        fields.setdefault(key, value)
    if not fields.get("name") or not fields.get("version"):
        return []
    licenses = tuple(_GEM_LICENSES.findall(text)[:1])
    return [
        LanguagePackage(
            Ecosystem.RUBYGEMS, fields["name"], fields["version"], path, "gemspec", licenses
        )
    ]


def _node_package(path: str, data: bytes) -> list[LanguagePackage]:
    try:
        document = json.loads(data)
    except ValueError:
        return []
    if not isinstance(document, dict):
        return []
    name, version = document.get("name"), document.get("version")
    if not isinstance(name, str) or not isinstance(version, str) or not name or not version:
        return []
    license_value = document.get("license")
    licenses = (license_value,) if isinstance(license_value, str) and license_value else ()
    return [LanguagePackage(Ecosystem.NPM, name, version, path, "npm", licenses)]


def _egg_info(path: str, data: bytes) -> list[LanguagePackage]:
    headers = HeaderParser().parsestr(data.decode("utf-8", errors="replace"))
    name, version = headers.get("Name"), headers.get("Version")
    if not name or not version:
        return []
    return [
        LanguagePackage(Ecosystem.PYPI, str(name).strip(), str(version).strip(), path, "egg-info")
    ]


def _go_binary(path: str, data: bytes) -> list[LanguagePackage]:
    info = read_build_info(data)
    if info is None:
        return []
    out = [
        LanguagePackage(Ecosystem.GO, m.path, m.version, path, "go-binary")
        for m in info.modules
        if m.version and m.version != "(devel)"  # an unversioned main module matches nothing
    ]
    stdlib = info.stdlib_version
    if stdlib:
        out.append(LanguagePackage(Ecosystem.GO, "stdlib", stdlib, path, "go-binary"))
    return out
