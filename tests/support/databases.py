"""Databases of a test's own, beside the session's shared one: at an older revision, or
read-only, for the checks that must see them fail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from bot.db.engine import alembic_config, make_engine


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of `admin_url`, dropped after."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"partage_own_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{admin_url.rpartition('/')[0]}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_read_only(admin_url: str, url: str) -> None:
    """Every new connection to the database of `url` starts read-only, as on a server
    turned read-only (a standby, `default_transaction_read_only`)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = url.rpartition("/")[2]
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    admin.dispose()


def sqlite_at(path: Path, revision: str = "head") -> str:
    """A SQLite file at `revision`, in WAL mode as the bot leaves it (a read-only
    connection cannot switch it). Returns its URL."""
    url = f"sqlite:///{path}"
    command.upgrade(alembic_config(url), revision)
    engine = make_engine(url)
    with engine.connect():
        pass
    engine.dispose()
    return url


def read_only_sqlite(path: Path) -> str:
    """The URL opening `path` read-only, as a file without write permission is for a
    non-root process (the tests run as root, which file modes do not stop)."""
    return f"sqlite:///file:{path}?mode=ro&uri=true"
