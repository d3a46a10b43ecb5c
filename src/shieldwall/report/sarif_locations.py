"""Mapping our four location kinds onto SARIF 2.1.0 ``location`` objects.

SARIF has physical locations (an artifact and a region) and logical ones (a named thing). A source
region is purely physical; a package points at its manifest line and names the package as a
``module``; a file in an image is physical relative to the image root (``IMAGEROOT``) with the image
as a logical ``resource``; a URL is an absolute artifact URI, with the attacked parameter as a
logical ``parameter`` (the request itself also goes to ``result.webRequest``).
"""

from __future__ import annotations

import re
from typing import Any, assert_never
from urllib.parse import quote

from shieldwall.core.location import (
    ImageLocation,
    Location,
    PackageLocation,
    SourceLocation,
    UrlLocation,
)

SRCROOT = "%SRCROOT%"
IMAGEROOT = "IMAGEROOT"
# Characters RFC 3986 allows unescaped in a path; the rest (space, '#', '?', '%') is encoded.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_SURROGATE = re.compile("[\ud800-\udfff]")


def artifact_uri(path: str) -> str:
    """A relative path as a URI reference (percent-encoded, forward slashes).

    An undecodable byte kept by ``surrogateescape`` is encoded as that byte (``%E9``), which is
    exactly the file's name on disk; any other lone surrogate becomes U+FFFD.
    """
    path = path.replace("\\", "/")
    try:
        return quote(path, safe=_PATH_SAFE, errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(_SURROGATE.sub("\ufffd", path), safe=_PATH_SAFE)


def _artifact(path: str, base: str = SRCROOT) -> dict[str, Any]:
    return {"uri": artifact_uri(path), "uriBaseId": base}


def source_region(location: SourceLocation) -> dict[str, Any]:
    """A SARIF region; our columns are inclusive, SARIF's ``endColumn`` is exclusive."""
    region: dict[str, Any] = {"startLine": max(location.start_line, 1)}
    if location.end_line is not None:
        region["endLine"] = max(location.end_line, region["startLine"])
    if location.start_column is not None:
        region["startColumn"] = max(location.start_column, 1)
    if location.end_column is not None:
        region["endColumn"] = max(location.end_column + 1, region.get("startColumn", 1) + 1)
    if location.snippet:
        region["snippet"] = {"text": location.snippet}
    return region


def source_physical(location: SourceLocation) -> dict[str, Any]:
    """The physical location of a source region."""
    return {"artifactLocation": _artifact(location.path), "region": source_region(location)}


def _line_region(line: int | None) -> dict[str, Any]:
    return {} if line is None else {"region": {"startLine": max(line, 1)}}


def sarif_location(location: Location) -> dict[str, Any]:
    """One SARIF ``location`` object for any of our location kinds."""
    match location:
        case SourceLocation():
            return {"physicalLocation": source_physical(location)}
        case PackageLocation():
            return {
                "physicalLocation": {
                    "artifactLocation": _artifact(location.path),
                    **_line_region(location.line),
                },
                "logicalLocations": [
                    {
                        "name": f"{location.name}@{location.version}",
                        "fullyQualifiedName": location.purl,
                        "kind": "module",
                    }
                ],
                "properties": {
                    "ecosystem": location.ecosystem,
                    "dependencyPath": list(location.dependency_path),
                },
            }
        case ImageLocation():
            return {
                "physicalLocation": {
                    "artifactLocation": _artifact(location.path.lstrip("/"), IMAGEROOT),
                    **_line_region(location.line),
                },
                "logicalLocations": [
                    {
                        "name": location.image,
                        "fullyQualifiedName": f"{location.image}:{location.path}",
                        "kind": "resource",
                    }
                ],
                "properties": {"image": location.image, "layer": location.layer},
            }
        case UrlLocation():
            found: dict[str, Any] = {
                "physicalLocation": {"artifactLocation": {"uri": location.url}},
            }
            if location.parameter:
                found["logicalLocations"] = [{"name": location.parameter, "kind": "parameter"}]
            return found
        case _:
            assert_never(location)


def web_request(location: Location) -> dict[str, Any] | None:
    """The ``result.webRequest`` of a URL finding, ``None`` for the other kinds."""
    if isinstance(location, UrlLocation):
        return {"method": location.method.upper(), "target": location.url}
    return None
