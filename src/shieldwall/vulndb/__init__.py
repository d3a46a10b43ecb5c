"""OSV advisories: import and download, the SQLite index, version schemes and matching."""

from __future__ import annotations

from shieldwall.vulndb.ecosystems import Ecosystem, normalize_name, parse_ecosystem, purl_for
from shieldwall.vulndb.errors import (
    AdvisorySourceError,
    DownloadError,
    IndexMissingError,
    InvalidVersionError,
    VulnDbError,
)
from shieldwall.vulndb.index import AdvisoryIndex, ImportReport, IndexBuilder, index_path
from shieldwall.vulndb.matcher import AdvisoryGroup, PackageMatch, match_package, open_index

__all__ = [
    "AdvisoryGroup",
    "AdvisoryIndex",
    "AdvisorySourceError",
    "DownloadError",
    "Ecosystem",
    "ImportReport",
    "IndexBuilder",
    "IndexMissingError",
    "InvalidVersionError",
    "PackageMatch",
    "VulnDbError",
    "index_path",
    "match_package",
    "normalize_name",
    "open_index",
    "parse_ecosystem",
    "purl_for",
]
