"""Placeholder entry point, replaced by the Typer app."""

from __future__ import annotations


def main() -> None:
    """Run the CLI."""
