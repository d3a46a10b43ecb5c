"""The one place where built-in plugins are listed.

``build_registry`` merges these with the ``shieldwall.analyzers``, ``shieldwall.reporters`` and
``shieldwall.importers`` entry points. Imports are inside the functions so that importing this
module costs nothing and registers nothing.
"""

from __future__ import annotations

from shieldwall.core.protocols import Analyzer, Importer, Reporter
from shieldwall.core.registry import Registry, build_registry


def builtin_analyzers() -> tuple[Analyzer, ...]:
    """The analyzers shipped with shieldwall."""
    # One import and one entry per analyzer, in the order they run.
    # >>> analyzers
    from shieldwall.analyzers.deps import DepsAnalyzer
    from shieldwall.analyzers.iac import IacAnalyzer
    from shieldwall.analyzers.license import LicenseAnalyzer
    from shieldwall.analyzers.sast import SastAnalyzer
    from shieldwall.analyzers.secrets import SecretsAnalyzer

    # <<< analyzers
    return (SecretsAnalyzer(), SastAnalyzer(), IacAnalyzer(), DepsAnalyzer(), LicenseAnalyzer())


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
        analyzers=builtin_analyzers(),
        reporters=builtin_reporters(),
        importers=builtin_importers(),
        include_entry_points=include_entry_points,
    )
