"""What changed between two versions of a model: elements, boundary-crossing flows, threats."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from shieldwall.core.errors import GitError
from shieldwall.threatmodel.engine import Analysis
from shieldwall.threatmodel.facts import ModelIndex
from shieldwall.threatmodel.model import ThreatModel

GIT_TIMEOUT_SECONDS = 60


@dataclass(frozen=True, slots=True)
class ModelDiff:
    """Element ids and threat ids added, removed or changed between ``before`` and ``after``."""

    added_elements: tuple[str, ...]
    removed_elements: tuple[str, ...]
    changed_elements: tuple[str, ...]
    new_crossing_flows: tuple[str, ...]
    new_threats: tuple[str, ...]
    resolved_threats: tuple[str, ...]
    status_changes: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return not any(getattr(self, f) for f in self.__slots__)


def _elements(model: ThreatModel) -> dict[str, object]:
    # Compare elements without their line: moving an element is not a change.
    from dataclasses import replace

    groups = (
        model.assets,
        model.actors,
        model.components,
        model.flows,
        model.boundaries,
        model.controls,
    )
    return {e.id: replace(e, line=0) for group in groups for e in group}


def _crossing(model: ThreatModel) -> set[str]:
    index = ModelIndex(model)
    return {f.id for f in model.flows if index.boundary_of(f.source) != index.boundary_of(f.target)}


def diff_analyses(before: Analysis, after: Analysis) -> ModelDiff:
    """Compare two analysed versions of a model."""
    return diff_models(
        before.model,
        after.model,
        {t.id: t.status.value for t in before.threats},
        {t.id: t.status.value for t in after.threats},
    )


def diff_models(
    before: ThreatModel,
    after: ThreatModel,
    before_threats: Mapping[str, str],
    after_threats: Mapping[str, str],
) -> ModelDiff:
    """Compare two models and their threats (threat id to status), e.g. two hub versions."""
    old, new = _elements(before), _elements(after)
    status_changes = tuple(
        f"{tid}: {before_threats[tid]} -> {status}"
        for tid, status in sorted(after_threats.items())
        if tid in before_threats and before_threats[tid] != status
    )
    return ModelDiff(
        added_elements=tuple(sorted(new.keys() - old.keys())),
        removed_elements=tuple(sorted(old.keys() - new.keys())),
        changed_elements=tuple(sorted(k for k in new.keys() & old.keys() if new[k] != old[k])),
        new_crossing_flows=tuple(sorted(_crossing(after) - _crossing(before))),
        new_threats=tuple(sorted(after_threats.keys() - before_threats.keys())),
        resolved_threats=tuple(sorted(before_threats.keys() - after_threats.keys())),
        status_changes=status_changes,
    )


def render_diff(diff: ModelDiff, before: str, after: str) -> str:
    """The diff as Markdown-ish text for a terminal or a pull-request comment."""
    if diff.empty:
        return f"No change in the threat model between {before} and {after}.\n"
    sections = (
        ("New elements", diff.added_elements),
        ("Removed elements", diff.removed_elements),
        ("Changed elements", diff.changed_elements),
        ("New flows crossing a trust boundary", diff.new_crossing_flows),
        ("New threats", diff.new_threats),
        ("Threats no longer applying", diff.resolved_threats),
        ("Status changes", diff.status_changes),
    )
    out = [f"# Threat model changes: {before} -> {after}", ""]
    for title, items in sections:
        if items:
            out += [f"## {title} ({len(items)})", *(f"- {i}" for i in items), ""]
    return "\n".join(out)


def git_show(repo: Path, ref: str, path: str) -> bytes | None:
    """The bytes of ``path`` at ``ref`` (None when it did not exist there)."""
    if ref.startswith("-"):
        raise GitError(f"invalid git ref {ref!r}")
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), "show", f"{ref}:{path}"],
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git show failed: {exc}") from exc
    if done.returncode == 0:
        return done.stdout
    message = done.stderr.decode("utf-8", "replace").strip()
    if "does not exist" in message or "exists on disk, but not in" in message:
        return None
    raise GitError(f"git show {ref}:{path}: {message}")


def repo_relative(path: Path) -> tuple[Path, str]:
    """The repository root holding ``path`` and the path relative to it, in git's form."""
    directory = path.resolve().parent
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git failed: {exc}") from exc
    if done.returncode != 0:
        raise GitError(f"{path} is not in a git repository")
    root = Path(done.stdout.strip())
    return root, path.resolve().relative_to(root).as_posix()
