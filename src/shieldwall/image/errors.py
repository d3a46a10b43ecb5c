"""Errors of the image readers.

An image that cannot be read as a whole (not an image, truncated blob, digest mismatch, a layer
past the decompression cap) makes the scan untrustworthy, so these are ``ScanAbortedError``s.
"""

from __future__ import annotations

from shieldwall.core.errors import ScanAbortedError


class ImageError(ScanAbortedError):
    """The image cannot be read: unknown layout, missing or corrupt blob."""


class DigestMismatchError(ImageError):
    """A blob's content does not hash to the digest that names it."""


class LayerTooLargeError(ImageError):
    """A layer decompresses to more than the cap: a decompression bomb or a wrong cap."""
