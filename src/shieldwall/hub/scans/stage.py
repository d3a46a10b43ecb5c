"""The staging tables of an import: the report's rows loaded in bulk, then joined set-wise.

An import loads its rows into two temporary tables (``COPY`` on PostgreSQL, one executemany on
SQLite) and every later step is one ``INSERT ... SELECT``/``UPDATE ... FROM`` against them, so
the work per finding happens inside the database rather than in a statement per row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from shieldwall.hub.db.types import UTCDateTime

# Finding columns an import writes from the report, in the staging table's order.
VALUE_COLUMNS: tuple[str, ...] = (
    "rule_id",
    "title",
    "scanner",
    "severity",
    "severity_rank",
    "confidence",
    "message",
    "cwe",
    "cvss",
    "vuln_id",
    "aliases",
    "location_kind",
    "path",
    "line",
    "package",
    "package_version",
    "location",
    "fix",
    "properties",
)
_JSON_COLUMNS = frozenset({"aliases", "location", "fix", "properties"})
_TYPES: dict[str, TypeEngine[Any]] = {
    "severity_rank": Integer(),
    "cvss": Float(),
    "line": Integer(),
}
STAGE = "import_stage"
STAGE_SOURCES = "import_stage_sources"


def _tables(dialect: str) -> tuple[Table, Table]:
    metadata = MetaData()
    # JSON travels as text: PostgreSQL's COPY parses it into json, SQLite stores the text as is
    # (what SQLAlchemy's JSON type writes there too).
    json_type: TypeEngine[Any] = JSON() if dialect == "postgresql" else Text()
    columns = [
        Column(name, json_type if name in _JSON_COLUMNS else _TYPES.get(name, Text()))
        for name in VALUE_COLUMNS
    ]
    stage = Table(
        STAGE,
        metadata,
        Column("key", String(64), primary_key=True),
        *columns,
        Column("status", String(20)),
        Column("sla_due", UTCDateTime()),
        Column("suppressed", String(20)),
        prefixes=["TEMPORARY"],
    )
    sources = Table(
        STAGE_SOURCES,
        metadata,
        Column("key", String(64), primary_key=True),
        Column("scanner", String(100), primary_key=True),
        Column("rule_id", String(255)),
        Column("native_fingerprint", String(64)),
        Column("primary", Boolean()),
        prefixes=["TEMPORARY"],
    )
    return stage, sources


_BY_DIALECT = {name: _tables(name) for name in ("postgresql", "sqlite")}


def tables(session: Session) -> tuple[Table, Table]:
    """The staging tables for the session's database."""
    return _BY_DIALECT[session.get_bind().dialect.name]


def create(session: Session) -> tuple[Table, Table]:
    """Create empty staging tables for this transaction (dropping leftovers of an earlier one)."""
    stage, sources = tables(session)
    connection = session.connection()
    for table in (stage, sources):
        table.drop(connection, checkfirst=True)
        table.create(connection)
    return stage, sources


def drop(session: Session) -> None:
    """Drop the staging tables (SQLite keeps temporary tables for the connection's life)."""
    connection = session.connection()
    for table in tables(session):
        table.drop(connection, checkfirst=True)


def _dumps(value: Any) -> str:
    # Most rows hold no fix and no aliases: their JSON text is known without the encoder.
    if value is None:
        return "null"
    if not value and isinstance(value, list):
        return "[]"
    return json.dumps(value)


def load(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Load rows into a staging table: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    names = [c.name for c in table.columns]
    # JSON travels as text, JSON null for an absent value (as SQLAlchemy's JSON type writes it).
    json_at = [i for i, n in enumerate(names) if n in _JSON_COLUMNS]
    dumps = _dumps
    if session.get_bind().dialect.name == "postgresql":
        raw: Any = session.connection().connection.driver_connection
        quoted = ", ".join(f'"{n}"' for n in names)
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy,
        ):
            for row in rows:
                values = [row[n] for n in names]
                for i in json_at:
                    values[i] = dumps(values[i])
                copy.write_row(values)
        session.execute(text(f"ANALYZE {table.name}"))
        return
    json_names = [names[i] for i in json_at]
    session.execute(table.insert(), [row | {n: dumps(row[n]) for n in json_names} for row in rows])
