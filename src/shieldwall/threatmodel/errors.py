"""The errors of threat modelling: a model that cannot be read, each problem with its line."""

from __future__ import annotations

from dataclasses import dataclass

from shieldwall.core.errors import UsageError


@dataclass(frozen=True, slots=True)
class ModelIssue:
    """One problem in a model file: where it is and what is wrong."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ModelError(UsageError):
    """A threat model is invalid; carries every problem found, not just the first.

    A subclass of ``UsageError`` so that the CLI exits with code 2 and one message per issue.
    """

    def __init__(self, issues: list[ModelIssue]) -> None:
        self.issues = tuple(issues)
        shown = "; ".join(str(i) for i in self.issues[:20])
        more = f" (and {len(self.issues) - 20} more)" if len(self.issues) > 20 else ""
        super().__init__(f"invalid threat model: {shown}{more}")
