"""``INSERT ... ON CONFLICT`` for the two databases the hub supports."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsert_insert(session: Session, model: type[Any]) -> Any:
    """A dialect-specific ``insert`` with ``on_conflict_do_nothing/update`` for the session.

    It targets the model's table (Core), so executing it with a list of rows is a plain
    executemany rather than the slower ORM bulk path.
    """
    name = session.get_bind().dialect.name
    table = model.__table__
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"the hub supports SQLite and PostgreSQL, not {name}")
