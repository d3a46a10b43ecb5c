"""``INSERT ... ON CONFLICT`` for the two databases the hub supports."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsert_insert(session: Session, model: type[Any]) -> Any:
    """A dialect-specific ``insert`` with ``on_conflict_do_nothing/update`` for the session."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"the hub supports SQLite and PostgreSQL, not {name}")
