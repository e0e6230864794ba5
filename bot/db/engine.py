"""Engine and session factory for SQLite and PostgreSQL, and upgrade-to-head at start."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

READONLY_OPTION = "partage_readonly"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine tuned for a multi-threaded server on either backend.

    SQLite: WAL lets readers run beside the writer; `BEGIN IMMEDIATE` takes the write lock
    at the start of each transaction so two writers queue on the busy timeout instead of
    failing with "database is locked" when both try to upgrade a read lock.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs
        )

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # Read-only units of work (see `read_transaction`) take no write lock, so a
            # burst of `programme` requests does not queue behind itself.
            # With no BEGIN at all, each read runs in SQLite's autocommit mode, like
            # PostgreSQL's read path below: no lock held between statements.
            if not conn.get_execution_options().get(READONLY_OPTION, False):
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    # No pre-ping: it costs a round trip per request. A connection broken by a database
    # restart fails one unit of work (answered with an apology, retried by the
    # dispatcher) and is then replaced by the pool; recycling bounds their age.
    kwargs.setdefault("pool_recycle", 1800)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: handlers render objects after the transaction has committed.
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory.begin() as session:
        yield session


@contextmanager
def read_transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work that only reads, in autocommit mode on both backends: no write lock
    on SQLite, no BEGIN and ROLLBACK round trips on PostgreSQL. The reads do not share a
    snapshot, which a displayed programme does not need. A flush raises: writing here
    would be committed at once."""
    session = ReadOnlySession(bind=factory.kw["bind"], expire_on_commit=False)
    try:
        options: dict[str, object] = {READONLY_OPTION: True}
        if session.get_bind().dialect.name == "postgresql":
            options["isolation_level"] = "AUTOCOMMIT"
        session.connection(execution_options=options)
        yield session
    finally:
        # Nothing to roll back in autocommit: closing hands the connection back to the pool.
        session.close()


@contextmanager
def read_connection(factory: sessionmaker[Session]) -> Iterator[Connection]:
    """`read_transaction` without the ORM session, for the hottest read (`programme`):
    Core statements on an autocommit connection. Writing through it is a bug, as there."""
    engine: Engine = factory.kw["bind"]
    options: dict[str, object] = {READONLY_OPTION: True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "AUTOCOMMIT"
    with engine.connect().execution_options(**options) as connection:
        yield connection


class ReadOnlyViolation(RuntimeError):
    """An ORM write inside `read_transaction`: a bug, use `transaction` instead."""


class ReadOnlySession(Session):
    """The session of `read_transaction`: a flush would be committed at once, so it raises.
    A subclass rather than a per-session event listener: registering one costs more than
    the `programme` query it guards."""

    def flush(self, objects: Any = None) -> None:
        if self.new or self.dirty or self.deleted:
            raise ReadOnlyViolation("read_transaction used for a write")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate_to_head(url: str) -> None:
    """Bring the database to the latest revision (idempotent; safe with several processes
    on PostgreSQL because Alembic's version table update is transactional)."""
    command.upgrade(alembic_config(url), "head")


def database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        logger.warning("database health check failed", exc_info=True)
        return False
    return True
