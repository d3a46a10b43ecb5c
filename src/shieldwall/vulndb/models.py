"""The OSV schema (https://ossf.github.io/osv-schema/), as pydantic models at the boundary.

Only the fields shieldwall uses are declared; unknown fields are ignored because OSV is a
foreign, evolving format (``extra="ignore"``), but the declared ones are validated.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class _Osv(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class OsvPackage(_Osv):
    """The package an ``affected`` entry is about."""

    ecosystem: str
    name: str
    purl: str | None = None


class OsvEvent(_Osv):
    """One event of a range: exactly one of the four keys is set."""

    introduced: str | None = None
    fixed: str | None = None
    last_affected: str | None = None
    limit: str | None = None


class OsvRange(_Osv):
    """A range of affected versions: ``ECOSYSTEM``, ``SEMVER`` or ``GIT``."""

    type: str
    events: tuple[OsvEvent, ...] = ()
    repo: str | None = None


class OsvSeverity(_Osv):
    """A severity vector (``CVSS_V3``, ``CVSS_V4``, ``Ubuntu``, ...)."""

    type: str
    score: str


class OsvAffected(_Osv):
    """One affected package with its ranges and/or explicit versions."""

    package: OsvPackage | None = None
    ranges: tuple[OsvRange, ...] = ()
    versions: tuple[str, ...] = ()
    severity: tuple[OsvSeverity, ...] = ()
    database_specific: dict[str, Any] | None = None
    ecosystem_specific: dict[str, Any] | None = None


class OsvReference(_Osv):
    """A link about the advisory."""

    type: str = "WEB"
    url: str


class OsvRecord(_Osv):
    """One OSV advisory."""

    id: str = Field(min_length=1)
    modified: str = ""
    published: str | None = None
    withdrawn: str | None = None
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    summary: str = ""
    details: str = ""
    severity: tuple[OsvSeverity, ...] = ()
    affected: tuple[OsvAffected, ...] = ()
    references: tuple[OsvReference, ...] = ()
    database_specific: dict[str, Any] | None = None


OSV_RECORD = TypeAdapter(OsvRecord)
