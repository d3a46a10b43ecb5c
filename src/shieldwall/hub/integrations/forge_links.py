"""Links from a finding to the team's forge: the file and line at the scanned commit, and the
commit itself. URL shapes are each forge's web routes (no API call is made)."""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import quote, urlsplit

from shieldwall.hub.errors import InvalidRequestError


class Forge(StrEnum):
    """Forges whose web URLs we know how to build."""

    GITHUB = "github"
    GITLAB = "gitlab"
    BITBUCKET = "bitbucket"
    GITEA = "gitea"


def check_web_url(url: str) -> str:
    """A repository's web address: https (or http) with a host, no query or fragment."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise InvalidRequestError("the repository URL must look like https://host/owner/repo")
    return url.strip().rstrip("/").removesuffix(".git")


def file_url(forge: Forge, web_url: str, ref: str, path: str, line: int | None) -> str:
    """The file (and line) at ``ref`` (a commit, or a branch when no commit is known)."""
    ref_part = quote(ref, safe="")
    path_part = quote(path.lstrip("/"), safe="/")
    match forge:
        case Forge.GITHUB:
            url, anchor = f"{web_url}/blob/{ref_part}/{path_part}", f"#L{line}"
        case Forge.GITLAB:
            url, anchor = f"{web_url}/-/blob/{ref_part}/{path_part}", f"#L{line}"
        case Forge.BITBUCKET:
            url, anchor = f"{web_url}/src/{ref_part}/{path_part}", f"#lines-{line}"
        case Forge.GITEA:
            url, anchor = f"{web_url}/src/commit/{ref_part}/{path_part}", f"#L{line}"
    return url + (anchor if line else "")


def commit_url(forge: Forge, web_url: str, commit: str) -> str:
    """The commit's page."""
    sha = quote(commit, safe="")
    match forge:
        case Forge.GITHUB | Forge.GITEA:
            return f"{web_url}/commit/{sha}"
        case Forge.GITLAB:
            return f"{web_url}/-/commit/{sha}"
        case Forge.BITBUCKET:
            return f"{web_url}/commits/{sha}"
