"""Container images: docker-save and OCI readers, the streamed layer view, inventory, checks."""

from __future__ import annotations

from shieldwall.image.analyzer import ImageAnalyzer
from shieldwall.image.entry import EntryKind, FileStatus, ImageEntry
from shieldwall.image.errors import DigestMismatchError, ImageError, LayerTooLargeError
from shieldwall.image.model import Image, ImageConfig, Layer
from shieldwall.image.squash import ViewLimits
from shieldwall.image.target import ImageScan, attribute, open_image

__all__ = [
    "DigestMismatchError",
    "EntryKind",
    "FileStatus",
    "Image",
    "ImageAnalyzer",
    "ImageConfig",
    "ImageEntry",
    "ImageError",
    "ImageScan",
    "Layer",
    "LayerTooLargeError",
    "ViewLimits",
    "attribute",
    "open_image",
]
