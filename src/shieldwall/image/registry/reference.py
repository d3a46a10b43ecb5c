"""Image references: ``[registry[:port]/]repository[:tag][@sha256:digest]``.

The grammar is distribution's ``reference`` package (``reference/regexp.go``): the first
component is a registry when it holds a ``.`` or a ``:`` or is ``localhost``; otherwise the
image is on Docker Hub, whose one-component names live under ``library/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shieldwall.core.errors import UsageError

DOCKER_HUB = "docker.io"
DOCKER_HUB_API = "registry-1.docker.io"  # docker.io itself only redirects to the website
_DOCKER_HUB_ALIASES = frozenset({"index.docker.io", "registry-1.docker.io"})
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_PATH = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_HOST = re.compile(
    r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
    r"|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$"
)
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
DIGEST = re.compile(r"^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$")


@dataclass(frozen=True, slots=True)
class Reference:
    """A parsed image reference; ``digest`` wins over ``tag`` when both are given."""

    registry: str
    repository: str
    tag: str = "latest"
    digest: str = ""

    @property
    def api_host(self) -> str:
        """The host (and port) the distribution API is served on."""
        return DOCKER_HUB_API if self.registry == DOCKER_HUB else self.registry

    @property
    def manifest_ref(self) -> str:
        """What goes after ``/manifests/``: the digest when pinned, else the tag."""
        return self.digest or self.tag

    def __str__(self) -> str:
        """The canonical form: registry, repository, tag and digest."""
        text = f"{self.registry}/{self.repository}"
        if self.tag and not (self.digest and self.tag == "latest"):
            text += f":{self.tag}"
        return text + (f"@{self.digest}" if self.digest else "")


def _split_registry(rest: str) -> tuple[str, str]:
    first, sep, remainder = rest.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first.startswith("[")):
        return first, remainder
    return DOCKER_HUB, rest


def parse_reference(text: str) -> Reference:
    """``text`` as a reference; :class:`UsageError` saying what is wrong when it is not one."""
    rest, _, digest = text.partition("@")
    if digest and not DIGEST.match(digest):
        raise UsageError(f"{text}: {digest!r} is not a sha256 or sha512 digest")
    registry, path = _split_registry(rest)
    tag = ""
    slash, colon = path.rfind("/"), path.rfind(":")
    if colon > slash:
        path, tag = path[:colon], path[colon + 1 :]
        if not _TAG.match(tag):
            raise UsageError(f"{text}: {tag!r} is not a valid tag")
    if not _HOST.match(registry):
        raise UsageError(f"{text}: {registry!r} is not a registry host")
    if not _PATH.match(path):
        raise UsageError(
            f"{text}: {path!r} is not a repository name (lower-case components split by '/')"
        )
    if registry in _DOCKER_HUB_ALIASES:
        registry = DOCKER_HUB  # one name, so docker's config.json entry for the Hub is found
    if registry == DOCKER_HUB and "/" not in path:
        path = f"library/{path}"
    return Reference(registry=registry, repository=path, tag=tag or "latest", digest=digest)


def looks_like_reference(text: str) -> bool:
    """Whether ``text`` (not an existing path) should be pulled from a registry.

    A bare word such as ``image.tar`` is a valid Docker Hub name too; it only counts with an
    explicit registry, a tag or a digest, so a mistyped file name does not go to the network.
    """
    try:
        ref = parse_reference(text)
    except UsageError:
        return False
    rest = text.partition("@")[0]
    explicit_registry = _split_registry(rest)[0] != DOCKER_HUB or rest.startswith(DOCKER_HUB + "/")
    tagged = rest.rfind(":") > rest.rfind("/")
    return explicit_registry or tagged or bool(ref.digest)
