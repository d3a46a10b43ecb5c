"""The organisation policy: one YAML file, enforced by ``shieldwall policy check`` (and the hub).

```yaml
version: 1
required_scanners: [secrets, sast, deps]
thresholds: {main: high, "release/*": high, "*": critical}  # branch glob -> failing severity
suppressions:
  require_reason: true
  max_expiry_days: 90          # every suppression needs an expiry at most this far away
  restricted:                  # these rules may only be accepted on the hub, by these people
    - {rules: ["SW-SEC-*"], approvers: [security-team]}
licenses: {deny: [AGPL-3.0-only, SSPL-1.0]}
```
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.core.errors import ConfigError

__all__ = [
    "SEVERITY_RANK",
    "LicensePolicy",
    "OrgPolicy",
    "PolicyError",
    "Restriction",
    "SuppressionPolicy",
    "load_policy",
]

Threshold = Literal["critical", "high", "medium", "low", "info", "none"]
# Lower rank = stricter gate ("info" fails on everything, "none" on nothing).
SEVERITY_RANK: dict[str, int] = {
    "info": 0,
    "low": 1,
    "medium": 2,
    "high": 3,
    "critical": 4,
    "none": 5,
}


_DEFAULT: Threshold = "high"


class PolicyError(ConfigError):
    """The policy file is malformed; the message names the file and line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Restriction(_Strict):
    """Rules (globs) whose findings only ``approvers`` may accept, on the hub."""

    rules: tuple[str, ...] = Field(min_length=1)
    approvers: tuple[str, ...] = ()

    def covers(self, rule_id: str) -> bool:
        """Whether ``rule_id`` matches one of the globs."""
        return any(fnmatch.fnmatchcase(rule_id, pattern) for pattern in self.rules)


class SuppressionPolicy(_Strict):
    """What every suppression must carry, and which rules cannot be suppressed in the repo."""

    require_reason: bool = True
    max_expiry_days: int | None = Field(default=None, ge=1)
    restricted: tuple[Restriction, ...] = ()

    def restriction_for(self, rule_id: str) -> Restriction | None:
        """The first restriction covering ``rule_id``."""
        return next((r for r in self.restricted if r.covers(rule_id)), None)


class LicensePolicy(_Strict):
    """SPDX ids the organisation never accepts."""

    deny: tuple[str, ...] = ()


class OrgPolicy(_Strict):
    """The organisation policy."""

    version: Literal[1] = 1
    required_scanners: tuple[str, ...] = ()
    thresholds: dict[str, Threshold] = Field(default_factory=lambda: {"*": _DEFAULT})
    suppressions: SuppressionPolicy = SuppressionPolicy()
    licenses: LicensePolicy = LicensePolicy()

    def threshold_for(self, branch: str) -> Threshold:
        """The threshold of the first glob that matches ``branch`` (exact names first)."""
        if branch in self.thresholds:
            return self.thresholds[branch]
        for pattern, threshold in self.thresholds.items():
            if fnmatch.fnmatchcase(branch, pattern):
                return threshold
        return "high"


def load_policy(path: Path) -> OrgPolicy:
    """Read and validate the policy; problems are :class:`PolicyError` with the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read the policy: {exc}") from exc
    # Imported here: qa.matrix also defines the QA plan's models, which a scan without a policy
    # file never needs.
    from shieldwall.qa.matrix import compose_and_load, node_at

    try:
        root, data = compose_and_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise PolicyError(f"{path}{line}: not valid YAML: {exc}") from exc
    if root is None or not isinstance(data, dict):
        raise PolicyError(f"{path}:1: the policy is a mapping (required_scanners:, ...)")
    try:
        return OrgPolicy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        node = node_at(root, loc)
        where = ".".join(str(p) for p in loc) or "(top)"
        raise PolicyError(f"{path}:{node.start_mark.line + 1}: {where}: {first['msg']}") from exc
