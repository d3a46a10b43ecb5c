"""Checkpoints of followed files, stored as one JSON file replaced atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from shieldwall.core.errors import ConfigError
from shieldwall.monitor.follow import Checkpoint


class _Stored(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    files: dict[str, tuple[int, int, int, int]] = {}


class CheckpointStore:
    """Offsets per followed path; ``save`` is atomic (write, fsync, rename)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, Checkpoint]:
        """Every checkpoint; none when the store does not exist yet."""
        if not self.path.exists():
            return {}
        try:
            stored = _Stored.model_validate_json(self.path.read_bytes())
        except (OSError, ValidationError) as exc:
            message = f"{self.path}: corrupt checkpoint file ({exc}); move it away"
            raise ConfigError(message) from exc
        return {name: Checkpoint(*values) for name, values in stored.files.items()}

    def save(self, checkpoints: dict[str, Checkpoint]) -> None:
        """Replace the stored checkpoints."""
        files = {k: (c.device, c.inode, c.offset, c.line) for k, c in checkpoints.items()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump({"version": 1, "files": files}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(self.path)
