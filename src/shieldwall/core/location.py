"""Where a finding is: a source region, a package, a file in an image, or a URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from shieldwall.core.ids import Purl


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A region of a text file; lines and columns are 1-based, ``end_*`` inclusive."""

    path: str
    start_line: int
    end_line: int | None = None
    start_column: int | None = None
    end_column: int | None = None
    snippet: str = ""
    kind: Literal["source"] = "source"

    @property
    def last_line(self) -> int:
        """The last line of the region."""
        return self.end_line if self.end_line is not None else self.start_line


@dataclass(frozen=True, slots=True)
class PackageLocation:
    """A package found in a manifest or lockfile, with the path from a direct dependency."""

    path: str
    purl: Purl
    name: str
    version: str
    ecosystem: str
    line: int | None = None
    dependency_path: tuple[str, ...] = ()
    kind: Literal["package"] = "package"


@dataclass(frozen=True, slots=True)
class ImageLocation:
    """A file inside a container image, in the layer that added it."""

    image: str
    path: str
    layer: str = ""
    line: int | None = None
    kind: Literal["image"] = "image"


@dataclass(frozen=True, slots=True)
class UrlLocation:
    """A request to a live application, optionally naming the attacked parameter."""

    url: str
    method: str = "GET"
    parameter: str | None = None
    kind: Literal["url"] = "url"

    @property
    def path(self) -> str:
        """The URL stands in for a path in path-keyed views."""
        return self.url


Location = SourceLocation | PackageLocation | ImageLocation | UrlLocation


def location_path(location: Location) -> str:
    """The path (or URL) a location points at, for grouping and filtering."""
    return location.path


def location_line(location: Location) -> int | None:
    """The first line of a location, when it has one."""
    match location:
        case SourceLocation():
            return location.start_line
        case PackageLocation() | ImageLocation():
            return location.line
        case UrlLocation():
            return None
