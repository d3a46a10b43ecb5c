"""Errors of registry pulls.

::

    ImageError (ScanAbortedError, exit 3)
    └── PullError                    a registry pull failed: bad answer, missing manifest or blob
        ├── RegistryUnreachableError the registry cannot be reached (DNS, refused, TLS, timeout)
        └── RegistryAuthError        the registry wants credentials, or refused the ones given

A digest mismatch is the image package's :class:`~shieldwall.image.errors.DigestMismatchError`.
Messages never carry a password or a token.
"""

from __future__ import annotations

from shieldwall.image.errors import ImageError


class PullError(ImageError):
    """A registry answered something unusable: an error status, a bad manifest, a short blob."""


class RegistryUnreachableError(PullError):
    """No connection to the registry (or its token service) could be made."""


class RegistryAuthError(PullError):
    """The registry requires credentials, or rejected the ones it was given."""
