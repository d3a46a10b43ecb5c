"""Continuous monitoring: log parsers, normalisation, detection engines and alert routing.

The pipeline is ``reader -> parser -> Event -> detectors (Sigma, threshold) -> AlertGrouper ->
sinks``; ``shieldwall monitor replay`` runs it over files, ``monitor rules test`` over each rule's
own samples.
"""

from __future__ import annotations

from shieldwall.monitor.event import Event, LogSource

__all__ = ["Event", "LogSource"]
