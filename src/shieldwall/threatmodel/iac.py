"""The IaC resources of a repository, read with the iac scanner's parsers, for claim checks."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from shieldwall.analyzers.iac.loading import classify, load_group
from shieldwall.analyzers.iac.model import Resource
from shieldwall.analyzers.iac.relations import join
from shieldwall.core.file import File
from shieldwall.target.walker import WalkOptions, walk


def load_resources(root: Path) -> tuple[tuple[Resource, ...], tuple[str, ...]]:
    """Every IaC resource under ``root`` (paths relative to it) and a message per bad file.

    Terraform is evaluated per directory, as the iac scanner does: a module is one directory.
    """
    groups: dict[str, list[File]] = defaultdict(list)
    for file in walk(root, WalkOptions()):
        if classify(file.path) is not None:
            groups[file.path.rsplit("/", 1)[0] if "/" in file.path else ""].append(file)
    resources: list[Resource] = []
    errors: list[str] = []
    for _, files in sorted(groups.items()):
        loaded = load_group(files)
        resources.extend(join(loaded.resources))
        errors.extend(f"{path}: {message}" for path, message in loaded.errors)
    return tuple(resources), tuple(errors)
