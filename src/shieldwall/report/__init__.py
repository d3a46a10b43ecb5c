"""Report writers: one module per format, each taking a ``ScanResult`` and a stream.

The CLI picks them from the registry (``shieldwall.plugins.builtin_reporters``); nothing here
registers itself.
"""

from __future__ import annotations

from shieldwall.report.html import HtmlReporter
from shieldwall.report.json import JsonReporter, finding_to_dict
from shieldwall.report.json_schema import parse_report
from shieldwall.report.junit import JunitReporter
from shieldwall.report.markdown import MarkdownReporter
from shieldwall.report.sarif import SarifReporter
from shieldwall.report.table import TableReporter

__all__ = [
    "HtmlReporter",
    "JsonReporter",
    "JunitReporter",
    "MarkdownReporter",
    "SarifReporter",
    "TableReporter",
    "finding_to_dict",
    "parse_report",
]
