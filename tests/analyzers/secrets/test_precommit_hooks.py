"""The pre-commit hook definition is valid and runs the staged secrets scan."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = Path(__file__).resolve().parents[2] / "data" / "secrets" / "pre-commit-hooks.json"


def test_hooks_file_matches_the_published_schema() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    jsonschema.validate(hooks, json.loads(SCHEMA.read_text()))
    (hook,) = hooks
    argv = shlex.split(hook["entry"])
    assert argv[:2] == ["shieldwall", "scan"]
    assert "--staged" in argv and argv[argv.index("--scanners") + 1] == "secrets"
    assert hook["pass_filenames"] is False
