"""Where the advisory index lives: the configured cache directory or the user cache directory."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_dir

from shieldwall.vulndb.index import index_path


def default_cache_dir() -> Path:
    """The per-user cache directory (``~/.cache/shieldwall`` on Linux)."""
    return Path(user_cache_dir("shieldwall", appauthor=False))


def resolve_index_path(cache_dir: str) -> Path:
    """The index file for a configured cache directory (empty: the per-user default)."""
    return index_path(Path(cache_dir).expanduser() if cache_dir else default_cache_dir())
