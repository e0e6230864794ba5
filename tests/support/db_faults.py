"""A database that fails under the bot: its tables locked by another connection.

SQLite: another connection holds the write lock (`BEGIN IMMEDIATE`), so the bot's next
write waits its busy timeout and fails. PostgreSQL: another transaction holds ACCESS
EXCLUSIVE locks on the tables every flow (and a vote) reads first, so the bot's next statement waits
its lock timeout and fails. Either way the bot meets a real OperationalError from a real
database, after the bounded wait a member would meet.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, text

LOCKED_TABLES = ("groups", "meetings", "polls")


@contextmanager
def tables_locked(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "sqlite":
        holder = sqlite3.connect(str(engine.url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    other = create_engine(engine.url)
    try:
        with other.connect() as conn:
            names = ", ".join(f'"{name}"' for name in LOCKED_TABLES)
            conn.execute(text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"))
            try:
                yield
            finally:
                conn.rollback()
    finally:
        other.dispose()
