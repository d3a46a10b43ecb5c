"""Security in the pipeline: pipeline templates, review comments, organisation policy."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shieldwall.ci.templates import CiPlatform, PipelineFile, TemplateOptions, render_pipeline

__all__ = ["CiPlatform", "PipelineFile", "TemplateOptions", "render_pipeline"]


def __getattr__(name: str) -> Any:
    """The template names, imported on first use: ``shieldwall scan`` imports ``ci.branch`` and
    ``ci.scangate`` and must not pay for the pipeline templates."""
    if name in __all__:
        return getattr(importlib.import_module("shieldwall.ci.templates"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
