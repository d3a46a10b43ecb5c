"""The hub's errors; services raise them, the app maps them to HTTP status codes.

::

    HubError (ShieldwallError)
    ├── NotFoundError        no such object, or one the caller may not see (404)
    ├── PermissionDeniedError authenticated but not allowed (403)
    ├── AuthenticationError  no or bad credentials (401)
    ├── RateLimitedError     too many attempts (429)
    ├── ConflictError        a uniqueness or state conflict (409)
    ├── InvalidRequestError  well-formed but invalid input (422)
    └── ImportFormatError    an uploaded report cannot be parsed (422)
"""

from __future__ import annotations

from shieldwall.core.errors import ShieldwallError


class HubError(ShieldwallError):
    """Base of every error the hub raises on purpose."""


class NotFoundError(HubError):
    """The object does not exist or the caller may not know it exists."""


class PermissionDeniedError(HubError):
    """The caller is authenticated but lacks the permission."""


class AuthenticationError(HubError):
    """Missing, invalid or expired credentials."""


class RateLimitedError(HubError):
    """Too many attempts in the rate-limit window."""


class ConflictError(HubError):
    """The request conflicts with the current state (duplicate name, bad transition)."""


class InvalidRequestError(HubError):
    """Input that parses but cannot be acted on."""


class ImportFormatError(HubError):
    """An uploaded report is malformed, too large, or of an unknown format."""
