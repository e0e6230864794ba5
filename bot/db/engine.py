"""Engine and session factory for SQLite and PostgreSQL, and upgrade-to-head at start."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, Select, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot import timeouts
from bot.outages import outages

logger = logging.getLogger(__name__)

READONLY_OPTION = "partage_readonly"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine tuned for a multi-threaded server on either backend, with every
    wait bounded (see `bot.timeouts`): a slow or unresponsive database makes a request
    fail fast with an apology instead of hanging past Slack's 3 seconds.

    SQLite: WAL lets readers run beside the writer; `BEGIN IMMEDIATE` takes the write lock
    at the start of each transaction so two writers queue on the busy timeout instead of
    failing with "database is locked" when both try to upgrade a read lock.
    """
    kwargs.setdefault("pool_timeout", timeouts.DB_POOL_TIMEOUT_SECONDS)
    if url.startswith("sqlite"):
        busy_ms = int(timeouts.DB_LOCK_TIMEOUT_SECONDS * 1000)
        engine = create_engine(
            url,
            connect_args={"timeout": timeouts.DB_LOCK_TIMEOUT_SECONDS, "check_same_thread": False},
            **kwargs,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
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
    connect_args = {**postgres_connect_args(), **kwargs.pop("connect_args", {})}
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    deadline = StatementDeadline(timeouts.DB_CLIENT_STATEMENT_DEADLINE_SECONDS)
    deadline.watch(engine)
    _DEADLINES[engine] = deadline
    return engine


# Each PostgreSQL engine's deadline, for the statements `read_row` makes on a DBAPI
# connection directly, where the engine's events do not see them.
_DEADLINES: weakref.WeakKeyDictionary[Engine, StatementDeadline] = weakref.WeakKeyDictionary()


def postgres_connect_args() -> dict[str, Any]:
    """libpq parameters for the bot's own connections: sent in the startup packet, so
    they cost no round trip. Alembic's engine does not get them."""
    server_timeouts = {
        "statement_timeout": timeouts.DB_STATEMENT_TIMEOUT_SECONDS,
        "lock_timeout": timeouts.DB_LOCK_TIMEOUT_SECONDS,
        "idle_in_transaction_session_timeout": timeouts.DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS,
    }
    options = " ".join(f"-c {name}={int(value * 1000)}" for name, value in server_timeouts.items())
    return {"connect_timeout": timeouts.DB_CONNECT_TIMEOUT_SECONDS, "options": options}


class StatementDeadline:
    """Shuts a PostgreSQL connection's socket down when one statement outlives `seconds`.

    `statement_timeout` is enforced by the server, so it cannot fire when the server (or
    the network to it) accepts TCP but never answers: the request would then block on the
    socket for as long as TCP allows. One watcher thread per engine, started on the first
    statement and gone when idle, looks at the running statements every `TICK_SECONDS`
    (statements only record themselves: waking the watcher for each would double the
    cost of a short statement). Past its deadline a statement's socket is shut down (on a
    duplicate of the descriptor, so no descriptor is closed under the driver's feet); the
    driver raises OperationalError, the unit of work rolls back, the pool drops the
    connection. COMMIT and ROLLBACK are not statements here: a connection cut off at its
    first statement, as a silent server's connections are, never gets that far.
    """

    TICK_SECONDS = 0.1
    IDLE_EXIT_SECONDS = 30.0

    def __init__(self, seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._running: dict[int, tuple[float, Any]] = {}  # id -> (deadline, dbapi conn)
        self._thread: threading.Thread | None = None

    def watch(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(engine, "handle_error", self._on_error)

    @contextmanager
    def running(self, dbapi_connection: Any) -> Iterator[None]:
        """The deadline around one statement made on `dbapi_connection` directly."""
        self._start(dbapi_connection)
        try:
            yield
        finally:
            self._forget(dbapi_connection)

    def _before(self, conn: Any, _cursor: Any, *_args: Any) -> None:
        dbapi_connection = conn.connection.dbapi_connection
        if dbapi_connection is None:
            return
        self._start(dbapi_connection)

    def _start(self, dbapi_connection: Any) -> None:
        deadline = self._monotonic() + self._seconds
        with self._lock:
            self._running[id(dbapi_connection)] = (deadline, dbapi_connection)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._watch, name="db-statement-deadline", daemon=True
                )
                self._thread.start()

    def _after(self, conn: Any, *_args: Any) -> None:
        self._forget(conn.connection.dbapi_connection)

    def _on_error(self, context: Any) -> None:
        try:
            dbapi_connection = context.connection.connection.dbapi_connection
        except Exception:  # no live connection left to forget
            return
        self._forget(dbapi_connection)

    def _forget(self, dbapi_connection: Any) -> None:
        with self._lock:
            self._running.pop(id(dbapi_connection), None)

    def _watch(self) -> None:
        idle_since = self._monotonic()
        while True:
            time.sleep(self.TICK_SECONDS)
            now = self._monotonic()
            with self._lock:
                if not self._running:
                    if now - idle_since >= self.IDLE_EXIT_SECONDS:
                        self._thread = None
                        return
                    continue
                idle_since = now
                late = [key for key, (deadline, _) in self._running.items() if deadline <= now]
                # Under the lock: a statement that finished first has already been
                # forgotten, so only a statement still running is cut off.
                for key in late:
                    _deadline, dbapi_connection = self._running.pop(key)
                    logger.error(
                        "database statement exceeded %.1f s; dropping the connection",
                        self._seconds,
                    )
                    _shutdown_socket(dbapi_connection)


def _shutdown_socket(dbapi_connection: Any) -> None:
    """Read the descriptor now, from the live connection: a closed one has none left."""
    try:
        if dbapi_connection.closed:
            return
        duplicate = socket.socket(fileno=os.dup(dbapi_connection.fileno()))
    except Exception:  # closed meanwhile: nothing to cut off
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()


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


def read_row(
    factory: sessionmaker[Session], statement: Select[Any], params: dict[str, Any]
) -> tuple[Any, ...] | None:
    """The first row of `statement`, read on a pooled DBAPI connection in autocommit,
    without SQLAlchemy's Connection, Result and type processing: for a check made on
    every request (`programme`'s revision), where those cost several times the query.
    Values go to and come from the driver as they are, without SQLAlchemy's types: keep
    to integer and text columns and parameters.

    Everything else holds as on `read_connection`: the pool and its timeout, the
    statement deadline on PostgreSQL, driver errors raised as SQLAlchemy's `DBAPIError`
    (a broken connection is dropped from the pool), and each read sees every commit."""
    engine: Engine = factory.kw["bind"]
    compiled = _compiled(statement, engine)
    sql, arguments = compiled.sql, compiled.arguments(params)
    deadline = _DEADLINES.get(engine)
    try:
        pooled = engine.raw_connection()
    except engine.dialect.loaded_dbapi.Error as error:
        # A database that cannot be reached is a database failure like any other (the
        # listeners answer it with the database apology), not the driver's own error.
        raise DBAPIError.instance(
            sql, arguments, error, engine.dialect.loaded_dbapi.Error
        ) from error
    try:
        dbapi_connection = pooled.dbapi_connection
        assert dbapi_connection is not None  # a checked-out connection has one
        postgres = engine.dialect.name == "postgresql"
        if postgres:
            # No BEGIN and no ROLLBACK round trips; the pool's connections leave in
            # transactional mode again below.
            dbapi_connection.autocommit = True
        try:
            cursor = dbapi_connection.cursor()
            if deadline is None:
                cursor.execute(sql, arguments)
            else:
                with deadline.running(dbapi_connection):
                    cursor.execute(sql, arguments)
            row = cursor.fetchone()
            cursor.close()
        finally:
            if postgres:
                dbapi_connection.autocommit = False
    except engine.dialect.loaded_dbapi.Error as error:
        pooled.invalidate(error)
        raise DBAPIError.instance(
            sql, arguments, error, engine.dialect.loaded_dbapi.Error
        ) from error
    finally:
        pooled.close()
    return None if row is None else tuple(row)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # The order of positional parameters (SQLite); None for named ones (psycopg).
    positions: tuple[str, ...] | None
    # Values bound in the statement itself, which `params` may override.
    bound: dict[str, Any]

    def arguments(self, params: dict[str, Any]) -> Any:
        values = {**self.bound, **params} if self.bound else params
        if self.positions is None:
            return values
        return tuple(values[name] for name in self.positions)


_COMPILED: dict[tuple[Select[Any], str], _Compiled] = {}


def _compiled(statement: Select[Any], engine: Engine) -> _Compiled:
    """The statement compiled once per dialect: statements on this path are built once."""
    key = (statement, engine.dialect.name)
    found = _COMPILED.get(key)
    if found is None:
        compiled = statement.compile(dialect=engine.dialect)
        positions = tuple(compiled.positiontup) if compiled.positiontup is not None else None
        # A bindparam() with no value is one `params` supplies.
        bound = {name: value for name, value in compiled.params.items() if value is not None}
        found = _COMPILED[key] = _Compiled(str(compiled), positions, bound)
    return found


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
    """True when the database runs `SELECT 1`; every failure is logged and means False."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:
        outages().report(
            logger, error, "database health check failed", effect="health checks answered 503"
        )
        return False
    return True


# A write that changes nothing: Alembic's one row rewritten with its own value. It goes
# the way every write goes (the write lock, the journal, the commit), needs no table of
# its own, and fails as the bot's writes would on a read-only file, a full disk or a
# read-only server.
WRITE_PROBE = "UPDATE alembic_version SET version_num = version_num"


def database_takes_writes(engine: Engine) -> str | None:
    """None when a committed write goes through; else the driver's reason, one line."""
    try:
        with engine.begin() as conn:
            conn.execute(text(WRITE_PROBE))
    except Exception as error:
        reason = str(getattr(error, "orig", None) or error).strip()
        return reason.splitlines()[0] if reason else type(error).__name__
    return None
