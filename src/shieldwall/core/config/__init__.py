"""Configuration: the schema and its one loader."""

from __future__ import annotations

from shieldwall.core.config.load import LoadedConfig, discover, load_config
from shieldwall.core.config.schema import IgnoreEntry, ShieldwallConfig, env_name, parse_size

__all__ = [
    "IgnoreEntry",
    "LoadedConfig",
    "ShieldwallConfig",
    "discover",
    "env_name",
    "load_config",
    "parse_size",
]
