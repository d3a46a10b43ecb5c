"""The model file format as pydantic models: the boundary where YAML becomes typed values.

``extra="forbid"`` everywhere, so a misspelt key is an error with its line, not a silently ignored
property. :func:`json_schema` publishes the same definition as a JSON schema.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shieldwall.threatmodel.vocabulary import (
    ActorKind,
    Authentication,
    Authorisation,
    Classification,
    ComponentKind,
    ControlKind,
    Exposure,
    Feature,
    ThreatStatus,
)

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")

ElementId = Annotated[
    str,
    Field(min_length=1, max_length=200, description="Stable id; other elements refer to it."),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Element(_Strict):
    id: ElementId
    name: str = ""
    description: str = ""

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("ids start with a letter and use letters, digits, _ . : -")
        return value


class AssetSpec(_Element):
    """A data asset: what an attacker wants."""

    classification: Classification = Classification.INTERNAL
    pii: bool = False


class ActorSpec(_Element):
    """A person or outside system that uses the system."""

    kind: ActorKind = ActorKind.USER
    trusted: bool = False
    boundary: str | None = None


class ComponentSpec(_Element):
    """A process or store: web app, API, worker, database, queue, bucket, external service."""

    kind: ComponentKind
    technology: str = ""
    exposure: Exposure = Exposure.INTERNAL
    authentication: Authentication = Authentication.NONE
    authorisation: Authorisation = Authorisation.NONE
    encryption_at_rest: bool = False
    stores: list[str] = Field(default_factory=list, description="Asset ids stored here.")
    features: list[Feature] = Field(default_factory=list)
    controls: list[str] = Field(default_factory=list, description="Control ids applied here.")
    boundary: str | None = None
    code: list[str] = Field(
        default_factory=list, description="Globs of the source paths that implement it."
    )
    iac: list[str] = Field(default_factory=list, description="IaC resource addresses or paths.")
    images: list[str] = Field(default_factory=list, description="Container image references.")


class FlowSpec(_Element):
    """Data moving from one element to another."""

    source: str = Field(alias="from")
    target: str = Field(alias="to")
    protocol: str = "https"
    port: int | None = Field(default=None, ge=0, le=65535)
    authenticated: bool = False
    encrypted: bool | None = Field(
        default=None, description="Defaults to what the protocol implies (https: yes, http: no)."
    )
    data: list[str] = Field(default_factory=list, description="Asset ids carried.")
    controls: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class BoundarySpec(_Element):
    """A trust boundary; ``parent`` nests it in another."""

    kind: str = "network"
    parent: str | None = None


class ControlSpec(_Element):
    """A security control in place, referred to by components and flows."""

    kind: ControlKind
    reference: str = ""


class RiskSpec(_Strict):
    """The tracked status of one threat (``RULE-ID@element-id``)."""

    threat: str = Field(pattern=r"^[A-Z][A-Z0-9-]*@[A-Za-z][A-Za-z0-9_.:-]*$")
    status: ThreatStatus
    reference: str = ""
    owner: str = ""
    expires: dt.date | None = None
    reason: str = ""


class ModelSpec(_Strict):
    """A whole threat model file."""

    version: Literal[1] = 1
    name: str = ""
    description: str = ""
    assets: list[AssetSpec] = Field(default_factory=list)
    actors: list[ActorSpec] = Field(default_factory=list)
    components: list[ComponentSpec] = Field(default_factory=list)
    flows: list[FlowSpec] = Field(default_factory=list)
    boundaries: list[BoundarySpec] = Field(default_factory=list)
    controls: list[ControlSpec] = Field(default_factory=list)
    risks: list[RiskSpec] = Field(default_factory=list)
    rules: list[str] = Field(
        default_factory=list, description="Custom rule files, relative to the model."
    )


class RisksFileSpec(_Strict):
    """A sidecar file holding only risk statuses."""

    version: Literal[1] = 1
    risks: list[RiskSpec] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    """The published JSON schema of the model format."""
    schema = ModelSpec.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "shieldwall threat model"
    return schema
