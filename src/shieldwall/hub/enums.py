"""Closed choices of the hub: roles, permissions, token scopes and finding statuses."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A role on a project (or on every project, when given to a user globally)."""

    VIEWER = "viewer"
    DEVELOPER = "developer"
    SECURITY = "security"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """Position in viewer < developer < security < admin."""
        return _ROLE_ORDER.index(self)


_ROLE_ORDER = (Role.VIEWER, Role.DEVELOPER, Role.SECURITY, Role.ADMIN)


class Permission(StrEnum):
    """One thing a caller may do on a project."""

    READ = "read"
    COMMENT = "comment"
    UPLOAD = "upload"
    TRIAGE = "triage"
    ADMIN = "admin"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.DEVELOPER: frozenset({Permission.READ, Permission.COMMENT, Permission.UPLOAD}),
    Role.SECURITY: frozenset(
        {Permission.READ, Permission.COMMENT, Permission.UPLOAD, Permission.TRIAGE}
    ),
    Role.ADMIN: frozenset(Permission),
}


class TokenScope(StrEnum):
    """What an API token may be used for; it never grants more than its user's role."""

    READ = "read"
    UPLOAD = "upload"
    TRIAGE = "triage"
    ADMIN = "admin"


SCOPE_PERMISSIONS: dict[TokenScope, frozenset[Permission]] = {
    TokenScope.READ: frozenset({Permission.READ}),
    # An uploader reads back its own results (the CLI prints the scan summary).
    TokenScope.UPLOAD: frozenset({Permission.READ, Permission.UPLOAD}),
    TokenScope.TRIAGE: frozenset({Permission.READ, Permission.COMMENT, Permission.TRIAGE}),
    TokenScope.ADMIN: frozenset(Permission),
}


class FindingStatus(StrEnum):
    """Where a finding is in its lifecycle."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    FALSE_POSITIVE = "false_positive"
    ACCEPTED = "accepted"
    FIXED = "fixed"


# Statuses a rescan may close; triage decisions (false positive, accepted) survive rescans.
# Plain strings: database drivers may adapt an Enum member by its name rather than its value.
ACTIVE_STATUSES: tuple[str, ...] = (FindingStatus.OPEN.value, FindingStatus.CONFIRMED.value)


class JobStatus(StrEnum):
    """State of a background job."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
