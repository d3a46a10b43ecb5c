"""Registry pulls over the OCI Distribution Spec v2 API, into a verified local blob cache."""

from __future__ import annotations

from shieldwall.image.registry.cache import BlobCache
from shieldwall.image.registry.client import RegistryClient
from shieldwall.image.registry.credentials import Credentials, resolve_credentials
from shieldwall.image.registry.errors import PullError, RegistryAuthError, RegistryUnreachableError
from shieldwall.image.registry.pull import PullOptions, pull_image
from shieldwall.image.registry.reference import Reference, looks_like_reference, parse_reference

__all__ = [
    "BlobCache",
    "Credentials",
    "PullError",
    "PullOptions",
    "Reference",
    "RegistryAuthError",
    "RegistryClient",
    "RegistryUnreachableError",
    "looks_like_reference",
    "parse_reference",
    "pull_image",
    "resolve_credentials",
]
