"""DAST: scan a running web application (crawl, passive checks, confirmed active checks)."""

from shieldwall.dast.client import Limits
from shieldwall.dast.options import DastOptions
from shieldwall.dast.rules import RULES
from shieldwall.dast.scanner import DastOutcome, run_dast

__all__ = ["RULES", "DastOptions", "DastOutcome", "Limits", "run_dast"]
