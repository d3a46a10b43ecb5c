"""Request and response bodies of the auth endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.hub.enums import Role, TokenScope


class LoginRequest(BaseModel):
    """Credentials for a browser session."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(max_length=150)
    password: str = Field(max_length=1024)


class LoginPublic(BaseModel):
    """The logged-in user and the CSRF token to send as ``X-CSRF-Token`` on changes."""

    username: str
    csrf_token: str


class MePublic(BaseModel):
    """Who the caller is."""

    id: int
    username: str
    global_role: Role | None
    via: str
    scope: TokenScope | None


class UserCreate(BaseModel):
    """A new user (global admins only)."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=150)
    password: str | None = Field(default=None, max_length=1024)
    role: Role | None = None


class UserPublic(BaseModel):
    """A user without secrets."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    global_role: Role | None
    is_active: bool


class TokenCreate(BaseModel):
    """A token for the caller itself."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=150)
    scope: TokenScope
    project: str | None = None
    expires_days: int | None = Field(default=90, ge=1, le=3650)


class TokenPublic(BaseModel):
    """A new token; ``token`` is shown only in this response."""

    id: int
    token: str
    scope: TokenScope
    project: str | None
    expires_at: datetime | None
