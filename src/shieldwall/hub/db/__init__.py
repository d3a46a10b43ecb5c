"""The hub's database: models, engines and migrations."""

from __future__ import annotations

from shieldwall.hub.db.engine import make_engine, make_session_factory, transaction
from shieldwall.hub.db.migrate import upgrade

__all__ = ["make_engine", "make_session_factory", "transaction", "upgrade"]
