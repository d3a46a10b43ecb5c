"""The one loader of configuration: defaults < file < environment < CLI, with provenance.

This module and ``hub/settings.py`` are the only readers of the environment; the environment is
passed in as a mapping so that tests never need to patch ``os.environ``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ValidationError

from shieldwall.core.config.paths import CONFIG_DIR
from shieldwall.core.config.schema import SCALAR_FIELDS, ShieldwallConfig, env_name, flag_name
from shieldwall.core.errors import ConfigError

CONFIG_FILENAMES = ("shieldwall.toml", ".shieldwall.toml")


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    """The effective configuration, where each value came from, and the file it was read from."""

    config: ShieldwallConfig
    sources: Mapping[str, str]
    path: Path | None

    def path_option(self, field: str, value: str) -> Path:
        """A path option: relative to the config file when it came from there, else the cwd."""
        path = Path(value)
        base = self._file_dir(field)
        if not path.is_absolute() and base is not None:
            return base / path
        return path

    def _file_dir(self, field: str) -> Path | None:
        """The directory of the config file when ``field`` was read from it."""
        if self.path is not None and self.sources.get(field, "").startswith("file:"):
            return self.path.parent
        return None

    def analyzer_config(self, analyzer_id: str, model: type[BaseModel] | None) -> BaseModel | None:
        """The validated slice of one analyzer (``[analyzers.<id>]``)."""
        if model is None:
            return None
        raw = self.config.analyzers.get(analyzer_id, {})
        # ConfigPath fields of the slice resolve against the file they were written in.
        base = self._file_dir("analyzers")
        context = {CONFIG_DIR: base} if base is not None else None
        try:
            return model.model_validate(raw, context=context)
        except ValidationError as exc:
            where = self.path or "configuration"
            raise ConfigError(f"{where}: [analyzers.{analyzer_id}] {_describe(exc)}") from exc


def discover(start: Path) -> Path | None:
    """The config file for a scan of ``start``: the nearest one in it or a parent directory.

    The search stops at the repository root (a directory holding ``.git``).
    """
    directory = start if start.is_dir() else start.parent
    for candidate_dir in (directory.resolve(), *directory.resolve().parents):
        for name in CONFIG_FILENAMES:
            if (candidate_dir / name).is_file():
                return candidate_dir / name
        pyproject = candidate_dir / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
        if (candidate_dir / ".git").exists():
            break
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "shieldwall" in tool


def read_file(path: Path) -> dict[str, Any]:
    """The raw shieldwall table of a config file; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("shieldwall", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.shieldwall] must be a table")
        return table
    return data


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        key = ".".join(str(p) for p in error["loc"]) or "(top level)"
        if error["type"] == "extra_forbidden":
            parts.append(f"unknown key '{key}'")
        else:
            parts.append(f"'{key}': {error['msg']}")
    return "; ".join(parts)


def load_config(
    *,
    root: Path,
    config_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    cli: Mapping[str, Any] | None = None,
) -> LoadedConfig:
    """Merge defaults < file < environment < CLI into a frozen config.

    ``cli`` holds only the options the user actually gave (``None`` values are ignored).
    """
    env = env or {}
    cli = {k: v for k, v in (cli or {}).items() if v is not None}
    merged: dict[str, Any] = {}
    sources: dict[str, str] = dict.fromkeys(ShieldwallConfig.model_fields, "default")

    path = config_path or (env.get("SHIELDWALL_CONFIG") and Path(env["SHIELDWALL_CONFIG"])) or None
    if path is None:
        path = discover(root)
    if path is not None:
        file_values = read_file(path)
        _validate_layer(file_values, f"{path}")
        merged.update(file_values)
        sources.update(dict.fromkeys(file_values, f"file:{path}"))

    for name in SCALAR_FIELDS:
        var = env_name(name)
        if var in env and env[var] != "":
            merged[name] = env[var]
            sources[name] = f"env:{var}"
            _validate_layer({name: env[var]}, f"environment variable {var}")

    for name, value in cli.items():
        if name not in ShieldwallConfig.model_fields:
            raise ConfigError(f"unknown option {flag_name(name)}")
        merged[name] = value
        sources[name] = f"cli:{flag_name(name)}"
        _validate_layer({name: value}, f"option {flag_name(name)}")

    if not merged.get("cache_dir"):
        merged["cache_dir"] = str(default_cache_dir(env))
    try:
        config = ShieldwallConfig.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(f"configuration: {_describe(exc)}") from exc
    return LoadedConfig(config=config, sources=MappingProxyType(sources), path=path)


def default_cache_dir(env: Mapping[str, str]) -> Path:
    """``$XDG_CACHE_HOME/shieldwall``, else ``~/.cache/shieldwall``."""
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "shieldwall"


def _validate_layer(values: Mapping[str, Any], where: str) -> None:
    try:
        ShieldwallConfig.model_validate(values)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {_describe(exc)}") from exc
