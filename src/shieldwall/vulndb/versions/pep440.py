"""PEP 440 versions (PyPI), by the reference implementation in ``packaging``.

``packaging`` implements https://peps.python.org/pep-0440/ exactly (normalisation, epochs,
pre/post/dev releases, local versions); the tests check the spec's examples against it.
"""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from shieldwall.vulndb.errors import InvalidVersionError


class Pep440Scheme:
    """PEP 440 ordering."""

    name = "pep440"

    def key(self, version: str) -> Version:
        """The parsed version, ordered as PEP 440 says."""
        try:
            return Version(version)
        except InvalidVersion as exc:
            raise InvalidVersionError(f"{version!r} is not a valid PEP 440 version") from exc
