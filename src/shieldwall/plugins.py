"""The one place where built-in plugins are listed.

``build_registry`` merges these with the ``shieldwall.analyzers``, ``shieldwall.reporters`` and
``shieldwall.importers`` entry points. Imports are inside the functions so that importing this
module costs nothing and registers nothing.
"""

from __future__ import annotations

from typing import cast

from shieldwall.core.protocols import Analyzer, Importer, Reporter
from shieldwall.core.registry import PluginRef, Registry, build_registry

# The analyzers shipped with shieldwall, in the order they run; each is imported on first use.
BUILTIN_ANALYZERS: tuple[PluginRef, ...] = (
    PluginRef("secrets", "shieldwall.analyzers.secrets", "SecretsAnalyzer"),
    PluginRef("sast", "shieldwall.analyzers.sast", "SastAnalyzer"),
    PluginRef("iac", "shieldwall.analyzers.iac", "IacAnalyzer"),
    PluginRef("deps", "shieldwall.analyzers.deps", "DepsAnalyzer"),
    PluginRef("license", "shieldwall.analyzers.license", "LicenseAnalyzer"),
)


def builtin_analyzers() -> tuple[Analyzer, ...]:
    """The analyzers shipped with shieldwall, imported and instantiated."""
    return tuple(cast(Analyzer, ref.load()) for ref in BUILTIN_ANALYZERS)


def builtin_reporters() -> tuple[Reporter, ...]:
    """The report formats shipped with shieldwall."""
    # >>> reporters
    from shieldwall.report import (
        HtmlReporter,
        JsonReporter,
        JunitReporter,
        MarkdownReporter,
        SarifReporter,
        TableReporter,
    )

    reporters: tuple[Reporter, ...] = (
        TableReporter(),
        JsonReporter(),
        SarifReporter(),
        JunitReporter(),
        MarkdownReporter(),
        HtmlReporter(),
    )
    # <<< reporters
    return reporters


def builtin_importers() -> tuple[Importer, ...]:
    """The foreign report formats the hub can import."""
    from shieldwall.hub.importers import BUILTIN_IMPORTERS

    return BUILTIN_IMPORTERS


def default_registry(*, include_entry_points: bool = True) -> Registry:
    """The registry of every built-in plugin plus installed third-party ones."""
    return build_registry(
        analyzers=BUILTIN_ANALYZERS,
        reporters=builtin_reporters(),
        importers=builtin_importers,
        include_entry_points=include_entry_points,
    )
