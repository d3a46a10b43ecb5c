"""Path options of configuration slices: relative to the config file that holds them.

A relative path written in ``shieldwall.toml`` means "next to this file", wherever the scan is
started from. The loader passes the file's directory as the pydantic validation context
(``CONFIG_DIR``); a slice built without one (CLI, environment, tests) keeps the path as given,
relative to the working directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo

CONFIG_DIR = "config_dir"


def relative_to_config(value: str, info: ValidationInfo) -> str:
    """``value`` joined to the config file's directory when it is relative and one is known."""
    context = info.context if isinstance(info.context, dict) else {}
    base = context.get(CONFIG_DIR)
    if base is None or Path(value).is_absolute():
        return value
    return str(Path(base) / value)


ConfigPath = Annotated[str, AfterValidator(relative_to_config)]
"""A ``str`` path field of a config slice, resolved against the config file's directory."""
