"""Small portable SQL helpers the domain needs on both SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring_conflicts(
    session: Session, table: Table, values: dict[str, Any], conflict_columns: list[str]
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when this call inserted the row.

    Used where concurrent requests race to create the same row (a group, an organiser, a
    delivery's recipient): the database decides, nobody fails. The answer comes from
    RETURNING, not `rowcount`: psycopg reports -1 for an INSERT that returns rows,
    inserted or not.
    """
    return insert_returning_id(session, table, values, conflict_columns) is not None


def insert_returning_id(
    session: Session, table: Table, values: dict[str, Any], conflict_columns: list[str]
) -> int | None:
    """The same insert, answering the new row's id (None when the conflict skipped it)."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = (
        module.insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=conflict_columns)
        .returning(*table.primary_key.columns)
    )
    row = session.execute(statement).first()
    return None if row is None else int(row[0])
