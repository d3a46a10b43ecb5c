"""Java archives (jar, war, ear): the Maven coordinates of what they contain.

``META-INF/maven/<groupId>/<artifactId>/pom.properties`` is written by Maven into every
artifact it builds (and kept by shading), so it is the authority; a jar without one is named
from ``META-INF/MANIFEST.MF`` (JAR File Specification: ``Implementation-Vendor-Id``,
``Implementation-Title``/``Bundle-SymbolicName``, ``Implementation-Version``/``Bundle-Version``)
only when that gives a group, an artifact and a version. Nested archives (``WEB-INF/lib``,
Spring Boot's ``BOOT-INF/lib``, an ear's modules) are opened too, within a depth and a byte
budget, so that a zip bomb costs a bounded amount of work.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from typing import IO

ARCHIVE_SUFFIXES = (".jar", ".war", ".ear", ".hpi", ".jpi", ".par", ".sar")
MAX_DEPTH = 4
MAX_ENTRY_BYTES = 64 << 20  # one nested archive or properties file, decompressed
MAX_TOTAL_BYTES = 512 << 20  # everything decompressed out of one top-level archive
MAX_RATIO = 200  # decompressed / compressed beyond this is treated as a bomb
MAX_MEMBERS = 200_000  # central-directory entries of one archive


@dataclass(frozen=True, slots=True)
class JavaPackage:
    """One Maven artifact found in an archive."""

    group: str
    artifact: str
    version: str
    path: str  # the archive, with ``!/`` between nesting levels

    @property
    def name(self) -> str:
        """``groupId:artifactId``, the OSV Maven package name."""
        return f"{self.group}:{self.artifact}"


@dataclass(slots=True)
class _Budget:
    left: int = MAX_TOTAL_BYTES
    problems: list[str] = field(default_factory=list)


def is_java_archive(path: str) -> bool:
    """Whether the file name is a Java archive's."""
    return path.lower().endswith(ARCHIVE_SUFFIXES)


def java_packages(path: str, handle: IO[bytes]) -> tuple[list[JavaPackage], list[str]]:
    """The artifacts in an archive (and its nested archives), and what could not be read."""
    budget = _Budget()
    found: list[JavaPackage] = []
    _walk(path, handle, 0, budget, found)
    unique = {(p.group, p.artifact, p.version, p.path): p for p in found}
    return list(unique.values()), budget.problems


def _properties(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", "!")) and ("=" in line or ":" in line):
            sep = min(i for i in (line.find("="), line.find(":")) if i >= 0)
            values[line[:sep].strip()] = line[sep + 1 :].strip()
    return values


def _manifest(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if line.startswith(" ") and key:  # continuation lines (72-byte wrapping)
            values[key] += line[1:]
        elif ":" in line:
            key, _, value = line.partition(":")
            key = key.strip()
            values.setdefault(key, value.strip())
        elif not line.strip():
            break  # the main section ends at the first blank line
    return values


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: _Budget) -> bytes:
    size = info.file_size
    ratio = size / max(info.compress_size, 1)
    if size > MAX_ENTRY_BYTES or size > budget.left or (size > 1 << 20 and ratio > MAX_RATIO):
        raise ValueError(f"{where}!/{info.filename}: {size} bytes decompressed; not opened")
    budget.left -= size
    return archive.read(info)  # zipfile stops at the declared size and checks the CRC


def _walk(
    path: str, handle: IO[bytes], depth: int, budget: _Budget, out: list[JavaPackage]
) -> None:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        budget.problems.append(f"{path}: not a readable zip archive ({exc})")
        return
    with archive:
        if len(archive.infolist()) > MAX_MEMBERS:
            budget.problems.append(f"{path}: more than {MAX_MEMBERS} entries; not read")
            return
        poms: list[JavaPackage] = []
        manifest: dict[str, str] = {}
        for info in archive.infolist():
            name = info.filename
            try:
                if name.startswith("META-INF/maven/") and name.endswith("/pom.properties"):
                    props = _properties(
                        _read(archive, info, path, budget).decode("utf-8", "replace")
                    )
                    if props.get("groupId") and props.get("artifactId") and props.get("version"):
                        poms.append(
                            JavaPackage(
                                props["groupId"], props["artifactId"], props["version"], path
                            )
                        )
                elif name == "META-INF/MANIFEST.MF":
                    manifest = _manifest(
                        _read(archive, info, path, budget).decode("utf-8", "replace")
                    )
                elif is_java_archive(name) and not info.is_dir():
                    if depth + 1 >= MAX_DEPTH:
                        budget.problems.append(f"{path}!/{name}: nested too deep; not opened")
                        continue
                    nested = _read(archive, info, path, budget)
                    _walk(f"{path}!/{name}", io.BytesIO(nested), depth + 1, budget, out)
            except (ValueError, zipfile.BadZipFile, OSError, EOFError) as exc:
                budget.problems.append(
                    str(exc) if str(exc).startswith(path) else f"{path}!/{name}: {exc}"
                )
        out.extend(poms)
        if not poms:
            from_manifest = _from_manifest(path, manifest)
            if from_manifest is not None:
                out.append(from_manifest)


def _from_manifest(path: str, manifest: dict[str, str]) -> JavaPackage | None:
    group = manifest.get("Implementation-Vendor-Id", "")
    version = manifest.get("Implementation-Version") or manifest.get("Bundle-Version", "")
    stem = posixpath.basename(path.rsplit("!/", 1)[-1]).rsplit(".", 1)[0]
    artifact = stem[: -len(version) - 1] if version and stem.endswith("-" + version) else ""
    artifact = artifact or manifest.get("Implementation-Title", "")
    if not group or not artifact or not version or " " in artifact:
        return None
    return JavaPackage(group, artifact, version, path)
