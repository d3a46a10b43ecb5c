"""Security in the pipeline: pipeline templates, review comments, organisation policy."""

from shieldwall.ci.templates import CiPlatform, PipelineFile, TemplateOptions, render_pipeline

__all__ = ["CiPlatform", "PipelineFile", "TemplateOptions", "render_pipeline"]
