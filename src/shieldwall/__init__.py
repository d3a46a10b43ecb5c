"""shieldwall: one DevSecOps platform — scanners, policy gate, reports and a hub."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
